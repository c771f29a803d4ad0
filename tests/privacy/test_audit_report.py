"""The privacy audit: a full report over an empty library, the scan through the reader (values never
shown), requests under non-disclosure left out, the vendor register, the command's HTML and PDF."""

import io
import json
import tempfile
from pathlib import Path

import pypdfium2
from django.core.management import call_command

from quietdesk.audit.events import Event
from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor, record
from quietdesk.patrons.models import Patron
from quietdesk.patrons.services import do_register_patron
from quietdesk.privacy.audit_report import audit_pdf as pdf
from quietdesk.privacy.audit_report import audit_runs, build, files
from quietdesk.privacy.models import AuditRun, Vendor
from quietdesk.vault import api
from tests.audit.helpers import about
from tests.personas import PersonaTestCase, make_staff, patron_data

SYSTEM = Actor.system("test")
SECTIONS = ("1. Data inventory", "2. Staff access review", "3. High-risk data scan", "4. Checklist",
            "5. Vendor register", "6. Data flow map")


def pdf_text(data: bytes) -> tuple[int, str]:
    doc = pypdfium2.PdfDocument(data)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    return len(doc), text


class EmptyLibraryTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        from quietdesk.core.models import Branch

        cls.privacy = make_staff("privacy", "privacy_officer", branch=None)
        cls.branch = Branch.objects.create(code="central", name="Central")

    def test_an_empty_library_gets_a_full_report(self):
        self.assertEqual(Patron.objects.count(), 0)
        run = audit_runs.do_audit(SYSTEM)
        data = run.data
        for key in ("inventory", "legal_holds", "access", "scan", "checklist", "vendors", "flows", "charts", "summary"):
            self.assertIn(key, data)
        self.assertTrue(all(line["past"] in (0, None) for line in data["inventory"]))
        self.assertEqual(data["summary"]["findings"], 0)
        self.assertGreaterEqual(len(data["checklist"]), 15)
        statuses = {i["key"]: i["status"] for i in data["checklist"]}
        self.assertEqual(statuses["officer"], "pass")
        self.assertEqual(statuses["vendors"], "person")  # an empty register needs a person
        self.assertEqual(statuses["notice"], "pass")
        self.assertIn("<svg", data["charts"]["flow"])
        json.dumps(data)  # stored as JSON
        pages, text = pdf_text(pdf.render(data))
        self.assertGreaterEqual(pages, 3)
        for heading in SECTIONS:
            self.assertIn(heading, text)
        html = files.html(data)
        for heading in SECTIONS:
            self.assertIn(heading.split(". ")[1], html)
        self.assertEqual(AccessEntry.objects.filter(action="privacy_audit").count(), 1)


class ScanTests(PersonaTestCase):
    def test_the_scan_reads_through_the_reader_and_never_shows_a_value(self):
        flagged = do_register_patron(SYSTEM, patron_data(7, notes="Wrote SSN 123-45-6780 once. Asked about asylum."),
                                     branch=self.branch)
        Patron.objects.filter(pk=flagged.pk)  # noqa: B018
        before = AccessEntry.objects.filter(action="audit_scan").count()
        data = build.build(SYSTEM)
        scanned = about(flagged.id, action="audit_scan")
        self.assertEqual(len(scanned), 1)
        self.assertIn("privacy audit scan", scanned[0].basis)
        self.assertGreater(AccessEntry.objects.filter(action="audit_scan").count(), before)
        found = [f for f in data["scan"]["findings"] if f["record"] == flagged.pseudonym]
        self.assertEqual(found, [{"source": "Patron notes", "record": flagged.pseudonym, "field": "notes",
                                  "kinds": {"immigration": 1, "ssn": 1}}])
        dump = json.dumps(data) + files.html(data) + pdf_text(pdf.render(data))[1]
        for secret in ("123-45-6780", "asylum", "Given7", "Family7"):
            self.assertNotIn(secret, dump)

    def test_requests_under_nondisclosure_never_appear(self):
        from quietdesk.legal import services as legal

        actor = Actor.for_user(self.director)
        gagged = legal.do_open_case(actor, {"requester": "law_enforcement", "category": "registration",
                                            "document": "national_security_letter", "purpose": "asylum file 123-45-6780"})
        gagged.refresh_from_db()
        self.assertTrue(gagged.nondisclosure)
        legal.do_add_statement(actor, gagged, "asked whether the patron is undocumented")
        legal.read_case(actor, gagged, purpose="review")
        record(actor, Event.PRODUCE, subject=api.log_ref(self.patron.id), categories=["registration"],
               case_ref=gagged.pseudonym, restricted=True, basis="production under a court order")
        self.assertTrue(AccessEntry.objects.filter(case_ref=gagged.pseudonym).exists())
        from quietdesk.retention.legal_holds import hold_for_production

        label = hold_for_production(actor, patron=self.patron, categories=["circulation"], case=gagged)
        open_hold = hold_for_production(actor, patron=self.patron, categories=["holds"], reason="docket 42")
        data = build.build(SYSTEM)
        self.assertNotIn(label, json.dumps(data))
        self.assertEqual([h["label"] for h in data["legal_holds"]], [open_hold])
        self.assertEqual(next(line for line in data["inventory"] if line["category"] == "legal")["count"], 1)
        dump = json.dumps(data)
        self.assertNotIn(gagged.pseudonym, dump)
        self.assertFalse([f for f in data["scan"]["findings"] if f["source"].startswith("Request case")])
        director = next(p for p in data["access"]["people"] if p["actor"] == "director")
        self.assertEqual(director["actions"], {"legal_hold": 1})  # the rest was all about the gagged request

    def test_flags_for_bulk_reading(self):
        from django.test import override_settings

        actor = Actor.for_user(self.desk)
        for _ in range(6):
            record(actor, Event.EXPORT, subject=api.log_ref(self.patron.id), categories=["registration"],
                   basis="export")
        with override_settings(QUIETDESK_AUDIT_FLAG_BULK=5):
            data = build.build(SYSTEM)
        desk = next(p for p in data["access"]["people"] if p["actor"] == "desk")
        self.assertIn("bulk export: 6 records in one hour", desk["flags"])
        self.assertEqual(data["access"]["people"][0]["actor"], "desk")  # flagged people first


class VendorTests(PersonaTestCase):
    def test_an_incomplete_vendor_is_saved_and_flagged(self):
        self.login(self.privacy)
        r = self.client.post("/stats/vendors/new/", {"name": "E-books Inc", "categories": ["circulation"]})
        self.assertEqual(r.status_code, 302)
        vendor = Vendor.objects.get()
        self.assertEqual(vendor.name, "E-books Inc")
        page = self.client.get("/stats/vendors/").content.decode()
        self.assertIn("Incomplete", page)
        detail = self.client.get(f"/stats/vendors/{vendor.pk}/").content.decode()
        self.assertIn("next review date", detail)
        self.assertIn("clause: Does not sell, share or rent patron data", detail)
        data = build.build(SYSTEM)
        entry = data["vendors"][0]
        self.assertTrue(entry["missing"])
        self.assertEqual({i["key"]: i["status"] for i in data["checklist"]}["vendors"], "fail")
        # Nothing at all is refused, with a message; nothing saved.
        r = self.client.post("/stats/vendors/new/", {})
        self.assertEqual(r.status_code, 200)
        self.assertIn("Nothing to save", r.content.decode())
        self.assertEqual(Vendor.objects.count(), 1)
        # Completing it clears the flags.
        from quietdesk.privacy.vendor_register import CLAUSES

        r = self.client.post(f"/stats/vendors/{vendor.pk}/", {
            "name": "E-books Inc", "service": "ebooks", "holds": "card numbers of e-book borrowers",
            "categories": ["circulation"], "clauses": [k for k, _ in CLAUSES], "next_review_on": "2099-01-01",
            "contact": "Account manager"})
        self.assertEqual(r.status_code, 302)
        self.assertIn("Complete", self.client.get("/stats/vendors/").content.decode())
        self.assertEqual({i["key"]: i["status"] for i in build.build(SYSTEM)["checklist"]}["vendors"], "pass")

    def test_only_the_privacy_audit_roles_see_the_pages(self):
        for user, status in ((self.desk, 403), (self.manager, 403), (self.admin, 403), (self.privacy, 200),
                             (self.director, 200)):
            self.login(user)
            for url in ("/stats/audit/", "/stats/vendors/"):
                self.assertEqual(self.client.get(url).status_code, status, (user.username, url))


class CommandTests(PersonaTestCase):
    def test_audit_report_writes_html_and_pdf(self):
        out = io.StringIO()
        with tempfile.TemporaryDirectory() as tmp:
            call_command("audit", "report", "--out", tmp, stdout=out)
            html = sorted(Path(tmp).glob("privacy-audit-*.html"))
            pdfs = sorted(Path(tmp).glob("privacy-audit-*.pdf"))
            self.assertEqual((len(html), len(pdfs)), (1, 1))
            self.assertEqual(pdfs[0].stat().st_mode & 0o777, 0o600)
            pages, text = pdf_text(pdfs[0].read_bytes())
            self.assertGreaterEqual(pages, 3)
            self.assertIn("Privacy audit", text)
            self.assertIn("Data flow map", html[0].read_text())
        self.assertIn("Privacy audit #", out.getvalue())
        self.assertEqual(AuditRun.objects.count(), 1)

    def test_the_older_command_name_and_the_new_one_both_write_the_report(self):
        for command in (("audit", "report"), ("privacy", "report")):
            out = io.StringIO()
            with tempfile.TemporaryDirectory() as tmp:
                call_command(*command, "--out", tmp, stdout=out)
                self.assertEqual(len(list(Path(tmp).glob("privacy-audit-*.pdf"))), 1, command)
            self.assertIn("Privacy audit #", out.getvalue())


class OtherBranchTests(PersonaTestCase):
    def test_reads_of_other_branches_patrons_are_flagged_without_joining_the_log_to_patrons(self):
        from django.test import override_settings

        from quietdesk.patrons.services import view_patron

        stranger = do_register_patron(SYSTEM, patron_data(9), branch=self.other_branch)
        actor = Actor.for_user(self.desk)  # the desk works at Central
        for _ in range(3):
            view_patron(actor, stranger, purpose="desk view")
        view_patron(actor, self.patron, purpose="desk view")  # their own branch: not marked
        marked = AccessEntry.objects.filter(actor="desk", basis__contains="[other branch]")
        self.assertEqual(marked.count(), 3)
        with override_settings(QUIETDESK_AUDIT_FLAG_OUTSIDE_BRANCH=3):
            data = build.build(SYSTEM)
        desk = next(p for p in data["access"]["people"] if p["actor"] == "desk")
        self.assertIn("3 reads of other branches' patrons", desk["flags"])
