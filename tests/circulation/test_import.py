"""quietdesk import koha: round trip from a generated Koha export, minimization, bad input."""

import csv
import datetime
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.circulation import koha
from quietdesk.circulation.models import Item, Loan
from quietdesk.patrons.models import Patron
from quietdesk.patrons.services import view_patron
from quietdesk.vault import reader
from quietdesk.vault.models import DataKey
from tests.circulation.helpers import DESK
from tests.circulation.koha_export import BORROWER_COLUMNS, write_export
from tests.personas import PersonaTestCase

REPO = Path(__file__).resolve().parents[2]


def run_import(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "koha", *args, "--workers", "0", "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class RoundTrip(PersonaTestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.borrowers, self.issues, self.people, self.rows = write_export(self.tmp, patrons=60, loans=30, returned=8)

    def test_round_trip(self):
        before = Patron.objects.count()
        out, _ = run_import("--patrons", str(self.borrowers), "--loans", str(self.issues))
        self.assertIn("Imported 60 patrons and 30 loans", out)
        self.assertIn("returned loans skipped (quietdesk keeps no loan history): 8", out)
        self.assertEqual(Patron.objects.count(), before + 60)
        self.assertEqual(DataKey.objects.filter(kind="patron").count(), before + 60)
        actor = Actor("desk", "circulation")
        today = timezone.localdate()
        for person in self.people[:15]:
            found = reader.find(actor, Patron.objects.all(), "card_number", person["cardnumber"], purpose="test")
            self.assertEqual(len(found), 1)
            p = found[0]
            values = view_patron(actor, p, purpose="test")
            self.assertEqual((values["given_name"], values["family_name"]), (person["firstname"], person["surname"]))
            self.assertEqual(values["email"], person["email"])
            self.assertEqual(values["address"], "")  # not collected unless the library turns it on
            self.assertEqual(values["notes"], "")  # borrowernotes are not imported
            if person["dateofbirth"]:
                dob = datetime.date.fromisoformat(person["dateofbirth"])
                age = today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
                band = "child" if age < 13 else "teen" if age < 18 else "adult"
                self.assertEqual(p.age_band, band)
                if band != "adult":
                    self.assertEqual(p.age_band_changes_on.day, 1)  # a month, not a birth date
                    self.assertEqual(p.age_band_changes_on.month, dob.month)
            else:
                self.assertEqual(p.age_band, "adult")
        # Loans: only those still out, each linked to the right borrower.
        cards = {str(b["borrowernumber"]): b["cardnumber"] for b in self.people}
        out_rows = [r for r in self.rows if not r["returndate"]]
        self.assertEqual(Loan.objects.filter(returned_on__isnull=True).count(), len(out_rows))
        for row in out_rows[:10]:
            loan = Loan.objects.select_related("patron", "item").get(item__ils_number=row["itemnumber"])
            card = view_patron(actor, loan.patron, purpose="test")["card_number"]
            self.assertEqual(card, cards[str(row["borrowernumber"])])
            self.assertEqual(loan.due_on.isoformat(), row["date_due"][:10])
            self.assertEqual(loan.item.status, "out")
        # One access-log entry for the import (see koha.py for why).
        entries = AccessEntry.objects.filter(action="import")
        self.assertEqual(entries.count(), 1)
        self.assertIn("60 patrons, 30 loans", entries.get().basis)
        # The loans work with the ordinary services afterwards.
        from quietdesk.circulation import services

        item = Item.objects.get(ils_number=out_rows[0]["itemnumber"])
        services.do_return(DESK, item)
        self.assertFalse(Loan.objects.filter(item=item).exists())

    def test_minimization_report(self):
        report = koha.import_koha(Actor.system("t"), self.borrowers, self.issues, workers=0)
        self.assertEqual(report.patrons, 60)
        for column in ("sex", "borrowernotes", "categorycode", "userid", "password", "address", "city"):
            self.assertIn(column, report.dropped)
        for kept in ("firstname", "surname", "cardnumber", "email", "dateofbirth", "branchcode"):
            self.assertNotIn(kept, report.dropped)
        self.assertEqual(sum(report.age_bands.values()), 60)
        self.assertEqual(report.items_created, 30)

    def test_branch_codes_map_to_branches(self):
        koha.import_koha(Actor.system("t"), self.borrowers, workers=0)
        central = [b for b in self.people if b["branchcode"] == "CENTRAL"]
        self.assertEqual(Patron.objects.filter(home_branch=self.branch).exclude(pk=self.patron.pk).count(), len(central))


class BadImports(PersonaTestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.borrowers, self.issues, self.people, self.rows = write_export(self.tmp, patrons=20, loans=10, returned=2)
        self.before = (Patron.objects.count(), DataKey.objects.count(), AccessEntry.objects.count(),
                       Item.objects.count(), Loan.objects.count())

    def assertNothingWritten(self):
        self.assertEqual((Patron.objects.count(), DataKey.objects.count(), AccessEntry.objects.count(),
                          Item.objects.count(), Loan.objects.count()), self.before)

    def rewrite(self, path: Path, change, columns=None):
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        change(rows)
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=columns or list(rows[0]))
            w.writeheader()
            w.writerows(rows)

    def fails(self, *args, expect: str):
        with self.assertRaises(CommandError) as ctx:
            out, err = io.StringIO(), io.StringIO()
            try:
                call_command("import", "koha", *args, "--workers", "0", "--no-progress", stdout=out, stderr=err)
            finally:
                self.output = err.getvalue() + str(ctx.exception if hasattr(ctx, "exception") else "")
        text = err.getvalue() + str(ctx.exception)
        self.assertIn(expect, text)
        self.assertNothingWritten()
        return text

    def test_wrong_columns(self):
        path = self.tmp / "wrong.csv"
        path.write_text("id,name,mail\n1,Ann,a@example.org\n", encoding="utf-8")
        text = self.fails("--patrons", str(path), expect="lacks the column(s) borrowernumber, cardnumber")
        self.assertIn("Found: id, name, mail", text)
        issues = self.tmp / "issues-wrong.csv"
        issues.write_text("borrowernumber,barcode\n1,2\n", encoding="utf-8")
        self.fails("--patrons", str(self.borrowers), "--loans", str(issues), expect="itemnumber, date_due")

    def test_semicolon_file_names_the_delimiter(self):
        path = self.tmp / "semi.csv"
        path.write_text(";".join(BORROWER_COLUMNS) + "\n", encoding="utf-8")
        self.fails("--patrons", str(path), expect="delimiter ','")

    def test_bad_encoding_reports_the_line(self):
        raw = self.borrowers.read_bytes().split(b"\n")
        raw[5] = raw[5].replace(b",", b",\xe9", 3)  # Latin-1 bytes in a UTF-8 file
        self.borrowers.write_bytes(b"\n".join(raw))
        self.fails("--patrons", str(self.borrowers), expect="borrowers.csv:6: characters that are not valid")

    def test_latin1_file_with_the_right_encoding_imports(self):
        self.rewrite(self.borrowers, lambda rows: rows[0].update(firstname="José"))
        self.borrowers.write_bytes(self.borrowers.read_text(encoding="utf-8").encode("latin-1"))
        out, _ = run_import("--patrons", str(self.borrowers), "--encoding", "latin-1")
        self.assertIn("Imported 20 patrons", out)
        p = reader.find(Actor("t", "circulation"), Patron.objects.all(), "card_number",
                        self.people[0]["cardnumber"], purpose="t")[0]
        self.assertEqual(view_patron(Actor("t", "circulation"), p, purpose="t")["given_name"], "José")

    def test_bad_rows_are_all_reported_with_line_numbers(self):
        def damage(rows):
            rows[2]["cardnumber"] = "1"
            rows[4]["dateofbirth"] = "31/12/1990"
            rows[6]["cardnumber"] = rows[7]["cardnumber"]
            rows[9]["firstname"] = "123-45-6789"
            rows[11]["email"] = "not-an-address"
            rows[19]["borrowernumber"] = "abc"
        self.rewrite(self.borrowers, damage)
        text = self.fails("--patrons", str(self.borrowers), expect="bad row(s): nothing was imported")
        for line, words in [(4, "cardnumber"), (6, "dateofbirth"), (9, "appears twice"), (11, "identity number"),
                            (13, "email"), (21, "borrowernumber")]:
            self.assertIn(f"borrowers.csv:{line}: ", text)
            self.assertIn(words, text)

    def test_bad_loans(self):
        def damage(rows):
            rows[0]["borrowernumber"] = "999"
            rows[1]["itemnumber"] = rows[2]["itemnumber"]
            rows[3]["date_due"] = "soon"
        self.rewrite(self.issues, damage)
        text = self.fails("--patrons", str(self.borrowers), "--loans", str(self.issues), expect="nothing was imported")
        self.assertIn("issues.csv:2: borrowernumber 999 is not in the borrowers file", text)
        self.assertIn("issues.csv:3: item", text)
        self.assertIn("checked out more than once", text)
        self.assertIn("issues.csv:5: issuedate and date_due must be dates", text)

    def test_card_already_in_quietdesk_and_item_already_out(self):
        self.rewrite(self.borrowers, lambda rows: rows[3].update(cardnumber="21000000000001"))  # self.patron's card
        self.fails("--patrons", str(self.borrowers), expect="borrowers.csv:5: this card number already belongs")

    def test_item_already_out_here(self):
        from quietdesk.circulation import services

        first = next(r for r in self.rows if not r["returndate"])
        item = Item.objects.create(barcode="LOCAL1", title="t", ils_number=first["itemnumber"])
        services.do_checkout(DESK, self.patron, item)
        self.before = (Patron.objects.count(), DataKey.objects.count(), AccessEntry.objects.count(),
                       Item.objects.count(), Loan.objects.count())
        self.fails("--patrons", str(self.borrowers), "--loans", str(self.issues), expect="is not on the shelf in quietdesk")

    def test_missing_file_and_bad_options(self):
        self.fails("--patrons", str(self.tmp / "nope.csv"), expect="Cannot read the borrowers file")
        self.fails("--patrons", str(self.borrowers), "--encoding", "klingon", expect="Unknown encoding")
        self.fails("--patrons", str(self.borrowers), "--delimiter", ";;", expect="one character")


@pytest.mark.slow
@pytest.mark.nodb  # its own SQLite file database in a child process
def test_import_with_worker_processes_on_a_file_database(tmp_path):
    """The real command, with sealing in worker processes, on SQLite in a file."""
    borrowers, issues, people, _ = write_export(tmp_path, patrons=3000, loans=500, returned=50)
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(QUIETDESK_MODE="test", QUIETDESK_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO))
    qd = [sys.executable, "-m", "quietdesk"]
    subprocess.run([*qd, "migrate", "-v0"], env=env, check=True, cwd=REPO)
    done = subprocess.run([*qd, "import", "koha", "--patrons", str(borrowers), "--loans", str(issues),
                           "--workers", "2", "--no-progress"], env=env, cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Imported 3000 patrons and 500 loans" in done.stdout
    card = people[1234]["cardnumber"]
    check = subprocess.run([*qd, "shell", "-c", (
        "from quietdesk.vault import reader; from quietdesk.audit.service import Actor; "
        "from quietdesk.patrons.models import Patron; from quietdesk.patrons.services import view_patron; "
        f"a=Actor('t','circulation'); p=reader.find(a, Patron.objects.all(), 'card_number', '{card}', purpose='t'); "
        "print(Patron.objects.count(), view_patron(a, p[0], purpose='t')['given_name'])")],
        env=env, cwd=REPO, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert check.stdout.split()[-2:] == ["3000", people[1234]["firstname"]]
