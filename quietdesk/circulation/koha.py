"""Import patrons and current loans from Koha CSV exports, minimized on the way in.

``quietdesk import koha --patrons borrowers.csv --loans issues.csv``

* Borrowers become quietdesk patrons through the vault (sealed fields, blind
  indexes, a random data key each). Only what lending needs is kept: names,
  card number, one email and one phone, the address only where the library
  collects addresses, the home branch. The date of birth becomes an age band
  and the month it next changes; every other column is dropped and counted.
* Issues still out become loans; returned ones are skipped (quietdesk keeps no
  loan history). Items unknown to quietdesk are created as placeholders named
  by their Koha item number, for the catalogue import to complete.
* Streaming: both files are read in blocks and cut into chunks of whole records
  (``koha_rows.Export``), sealing runs in worker processes, memory stays flat
  whatever the file size or the length of its lines: a line or field past its
  limit is reported (file:line) instead of read. Lookups across the whole file
  (duplicate card or borrower numbers, loans to borrowers) use temporary
  tables; card numbers there are keyed hashes under a key that dies with the run.
* All or nothing: one transaction. Any bad row (reported with its file and
  line number) rolls the whole import back.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import multiprocessing
import os
import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.core.models import Branch
from quietdesk.patrons import services as patron_services
from quietdesk.patrons.models import Patron
from quietdesk.vault import reader

from . import koha_rows, plain_sql
from .koha_rows import (
    BORROWERS_REQUIRED,
    ISSUES_REQUIRED,
    Export,
    ImportFailed,
    Malformed,
    Report,
    parse,
    parse_date,
    whole_number,
)
from .models import Item, Loan

__all__ = ["ImportFailed", "Report", "import_koha"]


# --- the import ------------------------------------------------------------


_MAP = "qd_import_borrower"
_ISSUE = "qd_import_issue"


def _temp_tables(cursor) -> None:
    if connection.vendor == "postgresql":
        cursor.execute(f"CREATE TEMP TABLE {_MAP} (borrowernumber BIGINT PRIMARY KEY, patron_id UUID NOT NULL, "
                       "card_digest BIGINT NOT NULL UNIQUE) ON COMMIT DROP")
        cursor.execute(f"CREATE TEMP TABLE {_ISSUE} (line BIGINT, borrowernumber BIGINT, itemnumber BIGINT, "
                       "issuedate DATE, date_due DATE) ON COMMIT DROP")
    else:
        cursor.execute(f"CREATE TEMP TABLE {_MAP} (borrowernumber INTEGER PRIMARY KEY, patron_id CHAR(32) NOT NULL, "
                       "card_digest INTEGER NOT NULL UNIQUE)")
        cursor.execute(f"CREATE TEMP TABLE {_ISSUE} (line INTEGER, borrowernumber INTEGER, itemnumber INTEGER, "
                       "issuedate TEXT, date_due TEXT)")


def _drop_temp_tables(cursor) -> None:
    # On PostgreSQL they also go at commit, but an import run inside a caller's
    # transaction (a savepoint) would otherwise leave them for the next one.
    schema = "pg_temp" if connection.vendor == "postgresql" else "temp"
    cursor.execute(f"DROP TABLE IF EXISTS {schema}.{_MAP}")
    cursor.execute(f"DROP TABLE IF EXISTS {schema}.{_ISSUE}")


def _existing(cursor, column: str, values: list) -> set:
    found: set = set()
    for start in range(0, len(values), 5000):
        part = values[start : start + 5000]
        marks = ", ".join(["%s"] * len(part))
        cursor.execute(f"SELECT {column} FROM {_MAP} WHERE {column} IN ({marks})", part)  # noqa: S608
        found.update(r[0] for r in cursor.fetchall())
    return found


class _Importer:
    def __init__(self, actor: Actor, *, encoding: str, delimiter: str, chunk_rows: int, workers: int,
                 progress, out):
        self.actor, self.encoding, self.delimiter = actor, encoding, delimiter
        self.chunk_rows, self.workers, self.progress, self.out = chunk_rows, workers, progress, out
        self.report = Report()
        self.stopped = False  # a file could not be read to its end (Malformed)

    # -- borrowers ----------------------------------------------------------------

    def _store(self, cursor, name: str, result, task) -> None:
        key_rows, rows, meta, errors, dropped, bands, no_dob, unknown_branch, recheck = result
        report = self.report
        for line, message in errors:
            report.error(name, line, message)
        report.dropped.update(dropped)
        report.age_bands.update(bands)
        report.no_birth_date += no_dob
        report.unknown_branches += unknown_branch
        numbers = [m[1] for m in meta]
        digests = [m[2] for m in meta]
        seen_numbers = _existing(cursor, "borrowernumber", numbers)
        seen_cards = _existing(cursor, "card_digest", digests)
        here_numbers, here_cards, fresh = set(), set(), []
        for i, (line, number, digest) in enumerate(meta):
            duplicate = False
            if number in seen_numbers or number in here_numbers:
                report.error(name, line, f"borrowernumber {number} appears twice in the file")
                duplicate = True
            if digest in seen_cards or digest in here_cards:
                report.error(name, line, "this card number appears twice in the file")
                duplicate = True
            here_numbers.add(number)
            here_cards.add(digest)
            if not duplicate:
                fresh.append(i)
        for line, card in recheck:
            if reader.find(self.actor, Patron.objects.all(), "card_number", card,
                           purpose="import: check card is free", log_empty=False):
                report.error(name, line, "this card number already belongs to a patron in quietdesk")
        if not report.error_count:
            try:
                patron_services.bulk_register_patrons(key_rows, rows)
            except patron_services.PseudonymCollision:
                # Seal the chunk again: new random ids, new pseudonyms (same cards, same lines).
                key_rows, rows = koha_rows.seal_chunk(task)[:2]
                patron_services.bulk_register_patrons(key_rows, rows)
        # The map of borrower numbers and card digests catches duplicates in later
        # chunks even once the import is bound to fail, so every bad row is reported.
        placeholder = uuid.UUID(int=0).hex
        mapped = [(meta[i][1], rows[i][0] if rows else placeholder, meta[i][2]) for i in fresh]
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {_MAP} (borrowernumber, patron_id, card_digest) FROM STDIN") as copy:
                for row in mapped:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {_MAP} (borrowernumber, patron_id, card_digest) VALUES (%s, %s, %s)",  # noqa: S608
                               mapped)
        report.patrons += len(rows)

    def _borrowers(self, cursor, export: Export) -> None:
        bar = self.progress(total=export.path.stat().st_size, unit="B", unit_scale=True, desc="borrowers") \
            if self.progress else None
        pending: collections.deque = collections.deque()  # (task, result) in flight, bounded: memory stays flat

        def store(task, result) -> None:
            self._store(cursor, export.name, result, task)
            if bar is not None:
                bar.update(len(task[0]))

        try:
            for task in export.chunks(self.chunk_rows):
                if self.workers <= 1 or self.pool is None:
                    store(task, koha_rows.seal_chunk(task))
                    continue
                pending.append((task, self.pool.apply_async(koha_rows.seal_chunk, (task,))))
                while len(pending) > 2 * self.workers:
                    task, result = pending.popleft()
                    store(task, result.get())
        except Malformed as exc:
            # Recorded first, so that nothing more is registered; the chunks in flight are
            # still checked, for their bad rows to be reported too.
            self.report.error(exc.file, exc.line, str(exc), keep=True)
            self.stopped = True
        while pending:
            task, result = pending.popleft()
            store(task, result.get())
        if bar is not None:
            bar.close()

    # -- issues --------------------------------------------------------------------

    def _issues(self, cursor, export: Export) -> None:
        header = self.issues_header or []  # read in run(), before any work
        col = {n: i for i, n in enumerate(header)}
        report, name, ncols = self.report, export.name, len(header)
        batch = []
        insert = (f"INSERT INTO {_ISSUE} (line, borrowernumber, itemnumber, issuedate, date_due) "  # noqa: S608
                  "VALUES (%s, %s, %s, %s, %s)")
        today = timezone.localdate()
        try:
            for data, first in export.chunks(5000):
                for line, row, problem in parse(data, first, export.codec, export.delimiter, ncols):
                    if problem is not None:
                        report.error(name, line, problem)
                        continue
                    if "returndate" in col and row[col["returndate"]].strip():
                        report.returned_skipped += 1
                        continue
                    borrower, item = whole_number(row[col["borrowernumber"]]), whole_number(row[col["itemnumber"]])
                    if borrower is None or item is None:
                        report.error(name, line, "borrowernumber and itemnumber must be whole numbers "
                                                 "(digits 0-9, at most 18)")
                        continue
                    try:
                        due = parse_date(row[col["date_due"]])
                        issued = parse_date(row[col["issuedate"]]) if "issuedate" in col and \
                            row[col["issuedate"]].strip() else today
                    except ValueError:
                        report.error(name, line, "issuedate and date_due must be dates (YYYY-MM-DD)")
                        continue
                    batch.append((line, borrower, item, plain_sql.day(issued), plain_sql.day(due)))
                    if len(batch) >= 5000:
                        cursor.executemany(insert, batch)
                        batch.clear()
        except Malformed as exc:
            report.error(exc.file, exc.line, str(exc), keep=True)
            self.stopped = True
            return
        if batch:
            cursor.executemany(insert, batch)
        self._check_issues(cursor, name)
        if not report.error_count:
            self._make_loans(cursor)

    def _check_issues(self, cursor, name: str) -> None:
        checks = [
            (f"SELECT i.line, i.borrowernumber FROM {_ISSUE} i LEFT JOIN {_MAP} m "  # noqa: S608
             "ON m.borrowernumber = i.borrowernumber WHERE m.borrowernumber IS NULL ORDER BY i.line",
             "borrowernumber {} is not in the borrowers file (or that row was bad)"),
            (f"SELECT line, itemnumber FROM {_ISSUE} WHERE itemnumber IN (SELECT itemnumber FROM {_ISSUE} "  # noqa: S608
             "GROUP BY itemnumber HAVING COUNT(*) > 1) ORDER BY line",
             "item {} is checked out more than once in the file"),
            (f"SELECT i.line, i.itemnumber FROM {_ISSUE} i JOIN {Item._meta.db_table} it "  # noqa: S608
             "ON it.ils_number = i.itemnumber WHERE it.status <> 'available' ORDER BY i.line",
             "item {} is not on the shelf in quietdesk (already out or on hold)"),
        ]
        for query, message in checks:
            cursor.execute(query, [])
            for line, value in cursor.fetchall():
                self.report.error(name, line, message.format(value))

    def _make_loans(self, cursor) -> None:
        item, loan = Item._meta.db_table, Loan._meta.db_table
        cursor.execute(
            f"INSERT INTO {item} (barcode, title, status, loan_count, ils_number, branch_id) "  # noqa: S608
            f"SELECT 'KOHA-' || n, 'Item ' || n || ' (imported from Koha)', 'available', 0, n, NULL "
            f"FROM (SELECT DISTINCT itemnumber AS n FROM {_ISSUE}) s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {item} it WHERE it.ils_number = s.n)", [])
        self.report.items_created = max(cursor.rowcount, 0)
        # Random ids, made by the database: a loan's id says nothing about when it was made.
        new_id = "lower(hex(randomblob(16)))" if connection.vendor == "sqlite" else "gen_random_uuid()"
        cursor.execute(
            f"INSERT INTO {loan} (id, item_id, patron_id, out_on, due_on, returned_on, renewals, fine_cents) "  # noqa: S608
            f"SELECT {new_id}, it.id, m.patron_id, i.issuedate, i.date_due, NULL, 0, 0 FROM {_ISSUE} i "
            f"JOIN {_MAP} m ON m.borrowernumber = i.borrowernumber JOIN {item} it ON it.ils_number = i.itemnumber", [])
        self.report.loans = max(cursor.rowcount, 0)
        cursor.execute(f"UPDATE {item} SET status = 'out' WHERE ils_number IN (SELECT itemnumber FROM {_ISSUE})", [])  # noqa: S608

    # -- the whole run -----------------------------------------------------------------

    def run(self, patrons: Path, loans: Path | None) -> Report:
        started = timezone.now()
        with contextlib.ExitStack() as files:
            borrowers = files.enter_context(Export(patrons, self.encoding, self.delimiter, "borrowers"))
            issues = files.enter_context(Export(loans, self.encoding, self.delimiter, "issues")) if loans else None
            try:  # both headers before any work
                header = borrowers.header(BORROWERS_REQUIRED)
                self.issues_header = issues.header(ISSUES_REQUIRED) if issues else None
            except Malformed as exc:
                raise ImportFailed(Report(), f"{exc.file}:{exc.line}: {exc}") from None
            self._run(borrowers, issues, header)
        self.report.seconds = (timezone.now() - started).total_seconds()
        return self.report

    def _run(self, borrowers: Export, issues: Export | None, header: list[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT card_bidx FROM {Patron._meta.db_table}", [])  # noqa: S608
            existing = frozenset(r[0] for r in cursor.fetchall())
        koha_rows.SETUP = koha_rows.Setup(header, borrowers.codec, self.delimiter, timezone.localdate(),
                        {b.code.lower(): b.pk for b in Branch.objects.all()}, existing, secrets.token_bytes(32),
                        settings.COLLECT_ADDRESS)
        self.pool = None
        if self.workers > 1:
            connections.close_all()  # children must not share the parent's connection
            self.pool = multiprocessing.get_context("fork").Pool(self.workers)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                _temp_tables(cursor)
                if connection.vendor == "sqlite":
                    # A bigger page cache for this connection while the import runs: inserts
                    # into five random-keyed indexes otherwise go to the OS for most pages.
                    cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB, fixed whatever the file size
                self._borrowers(cursor, borrowers)
                # A file that could not be read to its end leaves the loans unchecked: they
                # would only repeat "not in the borrowers file" for every row after it.
                if issues is not None and not self.stopped:
                    self._issues(cursor, issues)
                report = self.report
                if report.error_count:
                    report.errors.sort(key=lambda e: (e[0] != borrowers.name, e[1]))
                    raise ImportFailed(report, f"{report.error_count} bad row(s): nothing was imported.")
                # One access-log entry for the import, not one per patron: an import
                # reads and shows nobody's data (nothing is decrypted), the entry names
                # who ran it, when, how many records and which files (by digest), and
                # each patron's record carries its registration date. A million
                # identical "imported" entries would add nothing but length to the log
                # that people must review.
                digest = hashlib.sha256(b"".join(f.digest.digest() for f in (borrowers, issues) if f is not None))
                append(self.actor, Event.IMPORT, categories=["registration", "circulation"],
                       basis=f"Koha import: {report.patrons} patrons, {report.loans} loans "
                             f"(files sha256 {digest.hexdigest()[:16]})")
                _drop_temp_tables(cursor)
        finally:
            if connection.vendor == "sqlite" and connection.connection is not None:
                connection.connection.execute("PRAGMA cache_size = -2000")
            if self.pool is not None:
                self.pool.terminate()
                self.pool.join()
            koha_rows.SETUP = None


def import_koha(actor: Actor, patrons: str | Path, loans: str | Path | None = None, *, encoding: str = "utf-8-sig",
                delimiter: str = ",", chunk_rows: int = 5000, workers: int | None = None, progress=None,
                out=None) -> Report:
    """Import a Koha export; raises ImportFailed (nothing written) on any bad row."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 4)
    koha_rows.reading_codec(encoding)  # ImportFailed for an unknown encoding or one not read by lines
    if len(delimiter) != 1 or delimiter in '"\r\n\x00':
        raise ImportFailed(Report(), "The delimiter is one character other than a quote or a line break, "
                                     "for example , or ; or a tab.")
    importer = _Importer(actor, encoding=encoding, delimiter=delimiter, chunk_rows=chunk_rows, workers=workers,
                         progress=progress, out=out)
    return importer.run(Path(patrons), Path(loans) if loans else None)
