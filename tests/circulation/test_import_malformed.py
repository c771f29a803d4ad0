"""quietdesk import koha with malformed files: each gets a file:line report (or, for
the header, one file:1 message), never a traceback, reads with bounded memory, and
writes nothing (all or nothing).

Before: CR-only or mixed line endings and a field over 128 KiB ended in csv's
traceback, a superscript digit or a 30-digit borrowernumber in int()'s or SQLite's,
and a 100 MB line was read whole (763 MB at peak)."""

import io
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import tracemalloc
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from quietdesk.audit.models import AccessEntry
from quietdesk.circulation import koha_rows
from quietdesk.circulation.koha_rows import MAX_RECORD_BYTES, Export
from quietdesk.circulation.models import Item, Loan
from quietdesk.patrons.models import Patron
from quietdesk.vault.models import DataKey
from tests.circulation.koha_export import write_export
from tests.personas import PersonaTestCase

REPO = Path(__file__).resolve().parents[2]


def run_import(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "koha", *args, "--workers", "0", "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class MalformedFiles(PersonaTestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.borrowers, self.issues, self.people, self.rows = write_export(self.tmp, patrons=12, loans=6, returned=1)
        self.lines = self.borrowers.read_bytes().split(b"\r\n")[:-1]  # csv writes \r\n; header first
        self.issue_lines = self.issues.read_bytes().split(b"\r\n")[:-1]
        self.before = self.counts()

    def counts(self):
        return (Patron.objects.count(), DataKey.objects.count(), AccessEntry.objects.count(), Item.objects.count(),
                Loan.objects.count())

    def write(self, data: bytes, name: str = "borrowers.csv") -> Path:
        path = self.tmp / name
        path.write_bytes(data)
        return path

    def fails(self, *args, expect: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        with self.assertRaises(CommandError) as ctx:
            call_command("import", "koha", *args, "--workers", "0", "--no-progress", stdout=out, stderr=err)
        text = err.getvalue() + str(ctx.exception)
        self.assertIn(expect, text)
        self.assertNotIn("Traceback", text)
        self.assertEqual(self.counts(), self.before)  # nothing written
        return text

    def imports(self, path: Path, *args, patrons: int = 12) -> str:
        out, _ = run_import("--patrons", str(path), *args)
        self.assertIn(f"Imported {patrons} patrons", out)
        Patron.objects.exclude(pk=self.patron.pk).delete()  # for the next import of the same cards
        self.before = self.counts()
        return out

    # -- line endings --------------------------------------------------------------

    def test_cr_only_line_endings_import(self):
        before = Patron.objects.count()
        out, _ = run_import("--patrons", str(self.write(b"\r".join(self.lines) + b"\r")))
        self.assertIn("Imported 12 patrons", out)
        self.assertEqual(Patron.objects.count(), before + 12)

    def test_mixed_line_endings_import(self):
        ends = [b"\r\n", b"\n", b"\r"]
        data = b"".join(line + ends[i % 3] for i, line in enumerate(self.lines))
        # And the loans file with its own mix, no final line break.
        issues = b"".join(line + ends[(i + 1) % 3] for i, line in enumerate(self.issue_lines)).rstrip(b"\r\n")
        self.issues.write_bytes(issues)
        self.imports(self.write(data), "--loans", str(self.issues))

    def test_line_numbers_count_every_kind_of_line_break(self):
        lines = list(self.lines)
        lines[7] = lines[7].replace(b"2300000000007", b"1", 1)  # a bad card on line 8
        ends = [b"\r", b"\n", b"\r\n"]
        data = b"".join(line + ends[i % 3] for i, line in enumerate(lines))
        self.fails("--patrons", str(self.write(data)), expect="borrowers.csv:8: cardnumber")

    def test_quoted_line_breaks_stay_in_their_field(self):
        # A note over four lines (CR, LF, CRLF inside the quotes: lines 2 to 5) is one
        # record, and the next record's line number counts those lines.
        header = self.lines[0].split(b",")
        notes = header.index(b"borrowernotes")
        row = self.lines[1].split(b",")
        row[notes] = b'"one\rtwo\nthree\r\nfour ""quoted"""'
        bad = self.lines[2].replace(b"2300000000002", b"12", 1)
        data = b"\r\n".join([self.lines[0], b",".join(row), bad, *self.lines[3:]]) + b"\r\n"
        self.fails("--patrons", str(self.write(data)), expect="borrowers.csv:6: cardnumber")

    # -- bytes that are not text ---------------------------------------------------

    def test_nul_bytes(self):
        lines = list(self.lines)
        lines[4] = lines[4].replace(b",", b",\x00", 1)
        text = self.fails("--patrons", str(self.write(b"\n".join(lines) + b"\n")), expect="borrowers.csv:5: a NUL byte")
        self.assertEqual(text.count("NUL"), 1)

    def test_utf16_without_a_byte_order_mark(self):
        data = b"\n".join(self.lines).decode().encode("utf-16-le")
        self.fails("--patrons", str(self.write(data)), expect="borrowers.csv:1: the header is not utf-8 text")

    def test_invalid_bytes_in_the_chosen_encoding(self):
        lines = list(self.lines)
        lines[3] = lines[3].replace(b",", b",\x81", 1)  # undefined in cp1252
        self.fails("--patrons", str(self.write(b"\n".join(lines))), "--encoding", "cp1252",
                   expect="borrowers.csv:4: characters that are not valid cp1252")
        lines[3] = self.lines[3].replace(b",", b",\xed\xa0\x80", 1)  # a UTF-8-encoded surrogate
        self.fails("--patrons", str(self.write(b"\n".join(lines))), expect="borrowers.csv:4: characters that are not")

    def test_encodings_that_cannot_be_read_by_lines(self):
        for encoding in ("utf-16", "utf-32-le"):
            self.fails("--patrons", str(self.borrowers), "--encoding", encoding,
                       expect="line breaks and quotes are single ASCII bytes")

    # -- byte-order marks ------------------------------------------------------------

    def test_utf8_byte_order_mark(self):
        path = self.write(b"\xef\xbb\xbf" + b"\n".join(self.lines))
        self.imports(path, "--encoding", "utf-8")  # explicit utf-8 too, not only utf-8-sig
        self.fails("--patrons", str(path), "--encoding", "latin-1", expect="borrowers.csv:1: the file starts with a UTF-8")

    def test_utf8_byte_order_mark_by_default(self):
        self.imports(self.write(b"\xef\xbb\xbf" + b"\r\n".join(self.lines)))

    def test_utf16_and_utf32_byte_order_marks(self):
        text = "\n".join(line.decode() for line in self.lines)
        for encoding, name in (("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32")):
            data = text.encode(encoding)
            if not encoding.endswith("16") and not encoding.endswith("32"):
                data = b"\xfe\xff" + data
            self.fails("--patrons", str(self.write(data)), expect=f"borrowers.csv:1: the file is {name} text")

    def test_byte_order_mark_inside_the_file(self):
        # Two exports joined: the second one's mark and header land on lines 8 and 8.
        data = b"\r\n".join(self.lines[:7]) + b"\r\n\xef\xbb\xbf" + b"\r\n".join(self.lines) + b"\r\n"
        text = self.fails("--patrons", str(self.write(data)), expect="borrowers.csv:8: a byte-order mark inside")
        self.assertIn("appears twice", text)  # the joined rows are still checked

    # -- fields and lines past their limits ----------------------------------------------

    def test_field_over_128_kib(self):
        header = self.lines[0].split(b",")
        row = self.lines[6].split(b",")
        row[header.index(b"borrowernotes")] = b"x" * (128 * 1024 + 1)
        lines = list(self.lines)
        lines[6] = b",".join(row)
        self.fails("--patrons", str(self.write(b"\n".join(lines))),
                   expect="borrowers.csv:7: a field is longer than 131,072 characters")
        # Exactly the limit is read (and the column dropped and counted).
        row[header.index(b"borrowernotes")] = b"x" * (128 * 1024)
        lines[6] = b",".join(row)
        self.imports(self.write(b"\n".join(lines)))

    def test_line_over_the_limit(self):
        lines = list(self.lines)
        lines[3] = lines[3] + b"," * (MAX_RECORD_BYTES + 1)  # many empty fields: no field is long
        text = self.fails("--patrons", str(self.write(b"\n".join(lines))),
                          expect="borrowers.csv:4: this line is longer than 1024 KiB")
        self.assertNotIn("borrowers.csv:5", text)  # reading stopped there

    def test_quote_never_closed_and_quote_that_runs_on(self):
        lines = list(self.lines)
        lines[5] = lines[5].replace(b",", b',"', 1)
        self.fails("--patrons", str(self.write(b"\n".join(lines[:8]))),
                   expect="borrowers.csv:6: a quoted field that starts on this line is never closed")
        filler = [b"a short line"] * (MAX_RECORD_BYTES // 12 + 10)
        self.fails("--patrons", str(self.write(b"\n".join(lines + filler + [b'"']))),
                   expect="borrowers.csv:6: a quoted field that starts on this line runs on for more than 1024 KiB")

    def test_text_after_a_closing_quote(self):
        lines, row = list(self.lines), self.lines[2].split(b",")
        row[3] = b'"Ann"e'
        lines[2] = b",".join(row)
        self.fails("--patrons", str(self.write(b"\n".join(lines))),
                   expect='borrowers.csv:3: a quoted field goes on after its closing quote')

    def test_an_endless_line_from_a_device(self):
        """/dev/zero: no line break ever, NULs for ever. Stopped at the limit, with memory to match."""
        tracemalloc.start()
        try:
            self.fails("--patrons", "/dev/zero", expect="zero:1: this line is longer than 1024 KiB")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        self.assertLess(peak, 16 * 1024 * 1024)

    # -- numbers -------------------------------------------------------------------------

    def test_numbers_that_python_or_the_database_would_choke_on(self):
        for number, line in (("\u00b2", 3), ("\u0663", 4), ("9" * 30, 5), ("1" * 5000, 6), ("-4", 7), ("4.0", 8)):
            lines = list(self.lines)
            lines[line - 1] = number.encode() + lines[line - 1][lines[line - 1].index(b","):]
            self.fails("--patrons", str(self.write(b"\n".join(lines))),
                       expect=f"borrowers.csv:{line}: borrowernumber must be a whole number")
        issues = list(self.issue_lines)
        header = issues[0].split(b",")
        row = issues[2].split(b",")
        row[header.index(b"itemnumber")] = "\u00b9".encode()
        issues[2] = b",".join(row)
        self.issues.write_bytes(b"\n".join(issues))
        self.fails("--patrons", str(self.borrowers), "--loans", str(self.issues),
                   expect="issues.csv:3: borrowernumber and itemnumber must be whole numbers")

    # -- the loans file is read the same way ------------------------------------------------

    def test_loans_file_with_cr_endings_and_a_long_line(self):
        self.issues.write_bytes(b"\r".join(self.issue_lines) + b"\r")
        out, _ = run_import("--patrons", str(self.borrowers), "--loans", str(self.issues))
        self.assertIn("Imported 12 patrons and 6 loans", out)
        Loan.objects.all().delete()
        Item.objects.update(status="available")
        Patron.objects.exclude(pk=self.patron.pk).delete()
        self.before = self.counts()
        self.issues.write_bytes(b"\n".join(self.issue_lines[:3]) + b"\n" + b"9" * (MAX_RECORD_BYTES + 5))
        self.fails("--patrons", str(self.borrowers), "--loans", str(self.issues),
                   expect="issues.csv:4: this line is longer than 1024 KiB")

    # -- files that are no export at all ------------------------------------------------------

    def test_empty_header_only_and_directory(self):
        self.fails("--patrons", str(self.write(b"")), expect="borrowers.csv:1: the borrowers file lacks the column(s)")
        self.imports(self.write(self.lines[0] + b"\r\n"), patrons=0)
        self.fails("--patrons", str(self.tmp), expect="Cannot read the borrowers file")
        self.fails("--patrons", str(self.borrowers), "--delimiter", '"', expect="other than a quote")
        for workers in ("999", "-1", "\u0663"):
            with self.assertRaisesMessage(CommandError, "a whole number from 0 to 32"):
                call_command("import", "koha", "--patrons", str(self.borrowers), "--no-progress", "--workers", workers)


@pytest.mark.nodb
@pytest.mark.parametrize("block", [1, 2, 3, 5, 7, 64])
def test_lines_are_cut_the_same_whatever_the_block_size(block, monkeypatch, tmp_path):
    """A \\r\\n split across two reads is one line break, not two."""
    data = b"h\r\na\rb\nc\r\n\r\nd\r\r\ne\n\r" + b"x" * 20 + b"\r\n" + b"last"
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    monkeypatch.setattr(koha_rows, "_BLOCK", block)
    with Export(path, "utf-8", ",", "borrowers") as export:
        lines = list(export._lines)
        assert lines == data.splitlines(keepends=True)
        assert export.line == len(lines) == 11
        assert export.digest.hexdigest() == __import__("hashlib").sha256(data).hexdigest()


MEASURE = textwrap.dedent("""
    import io, json, sys, tracemalloc
    import django
    django.setup()
    from django.core.management import CommandError, call_command
    from quietdesk.patrons.models import Patron
    call_command("migrate", verbosity=0)
    results = {}
    for path in sys.argv[1:]:
        err = io.StringIO()
        tracemalloc.start()
        try:
            call_command("import", "koha", "--patrons", path, "--workers", "2", "--no-progress", stderr=err)
            outcome = "imported"
        except CommandError as exc:
            outcome = err.getvalue() + str(exc)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        results[path] = {"outcome": outcome, "peak": peak, "patrons": Patron.objects.count()}
    # VmHWM is this process image's own peak: ru_maxrss would also count the pytest parent's
    # size at fork, which Linux carries across exec (a long suite run made it look like 750 MB).
    with open("/proc/self/status") as status:
        results["peak_rss_kib"] = int(next(l for l in status if l.startswith("VmHWM:")).split()[1])
    print(json.dumps(results))
""")


@pytest.mark.slow
@pytest.mark.nodb  # its own SQLite file database in a child process
def test_a_100_mb_line_is_not_read_into_memory(tmp_path):
    """The real command in a child process, with worker processes: a 100 MB line (made
    here, in 1 MiB writes) and a quote left open over 20 MB of short lines. Each is
    reported with its line, nothing is imported, and memory stays bounded (Python's
    allocations during the import, and the process's peak resident size)."""
    borrowers, _, _, _ = write_export(tmp_path, patrons=3, loans=0, returned=0)
    header, first, *_ = borrowers.read_bytes().split(b"\r\n")
    long_line, open_quote = tmp_path / "long-line.csv", tmp_path / "open-quote.csv"
    with open(long_line, "wb") as fh:
        fh.write(header + b"\r\n" + first + b"\r\n" + b"7,")
        for _ in range(100):
            fh.write(b"x" * (1024 * 1024))
        fh.write(b"\r\n")
    with open(open_quote, "wb") as fh:
        fh.write(header + b"\r\n" + first + b"\r\n" + b'7,"')
        for _ in range(20):
            fh.write(b"short line\n" * (1024 * 1024 // 11))
    assert long_line.stat().st_size > 100 * 1024 * 1024
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(QUIETDESK_MODE="test", QUIETDESK_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO),
               DJANGO_SETTINGS_MODULE="quietdesk.settings")
    done = subprocess.run([sys.executable, "-c", MEASURE, str(long_line), str(open_quote)], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    line = results[str(long_line)]
    assert "long-line.csv:3: this line is longer than 1024 KiB" in line["outcome"]
    quote = results[str(open_quote)]
    assert "open-quote.csv:3: a quoted field that starts on this line runs on for more than 1024 KiB" \
        in quote["outcome"]
    for result in (line, quote):
        assert "Traceback" not in result["outcome"]
        assert result["patrons"] == 0  # the good row before it was not imported either
        assert result["peak"] < 16 * 1024 * 1024, result  # Python's allocations while importing
    assert 0 < results["peak_rss_kib"] < 400 * 1024, results  # the whole process, Django and migrations included
