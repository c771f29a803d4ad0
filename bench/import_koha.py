"""quietdesk bench import --json [--patrons N] [--loans N] [--workers N]

patrons_per_s      `quietdesk import koha` end to end on a generated Koha
                   borrowers.csv (Koha's ~60 columns): parse, validate, minimize,
                   a random data key per patron, sealed fields, blind indexes,
                   pseudonyms, one transaction, plus the issues file if --loans
plain_rows_per_s   the same file read with csv and its rows inserted in plain text
                   (no validation, no encryption) into a scratch table, one
                   transaction, same run: the floor for moving the rows at all
ratio              patrons_per_s / plain_rows_per_s
seconds            the import's wall time
peak_rss_mb        peak resident memory of the importing process (and of its workers)
floor_patrons_per_s
                   the ceiling for any import that seals and stores patrons this way on
                   this machine, same run: CPU time per patron of just the vault work
                   (``seal_patrons``: key, wrap, sealed fields, blind indexes, pseudonym)
                   plus just the inserts (``bulk_register_patrons``, rolled back), on
                   already-parsed, already-valid records, spread over every core

(``quietdesk bench import`` runs this module: ``import`` is a Python keyword.)
"""

import csv
import os
import resource
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

NEEDS_DATABASE = True

COLUMNS = [
    "borrowernumber", "cardnumber", "surname", "firstname", "title", "othernames", "initials", "streetnumber",
    "streettype", "address", "address2", "city", "state", "zipcode", "country", "email", "phone", "mobile", "fax",
    "emailpro", "phonepro", "B_address", "B_city", "B_zipcode", "B_email", "B_phone", "dateofbirth", "branchcode",
    "categorycode", "dateenrolled", "dateexpiry", "gonenoaddress", "lost", "debarred", "debarredcomment",
    "contactname", "contactfirstname", "borrowernotes", "relationship", "sex", "password", "flags", "userid",
    "opacnote", "contactnote", "sort1", "sort2", "altcontactfirstname", "altcontactsurname", "altcontactphone",
    "smsalertnumber", "privacy", "privacy_guarantor_checkouts", "checkprevcheckout", "updated_on", "lastseen",
    "lang", "login_attempts", "anonymized", "autorenew_checkouts",
]
FIRST = ["Ana", "Luis", "Mei", "Omar", "Sofia", "Jamal", "Nguyen", "Olga", "Priya", "Tomas", "Fatima", "Chen"]
LAST = ["Garcia", "Nguyen", "Smith", "Okafor", "Kowalski", "Haddad", "Tanaka", "Silva", "Ivanova", "Patel"]


def add_arguments(parser):
    parser.add_argument("--patrons", type=int, default=100_000)
    parser.add_argument("--loans", type=int, default=0)
    parser.add_argument("--workers", type=int, default=None)


def _write(path: Path, patrons: int, loans: int) -> Path | None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for n in range(1, patrons + 1):
            dob = f"{1940 + n % 80}-{1 + n % 12:02d}-{1 + n % 28:02d}" if n % 10 else ""
            w.writerow([n, f"2400{n:09d}", LAST[n % len(LAST)], FIRST[n % len(FIRST)], "", "", "", n % 999, "St",
                        f"{n % 300} Main", "", "Santa Rosa", "CA", "95401", "USA",
                        f"p{n}@example.org" if n % 3 else "", f"707-555-{n % 10000:04d}" if n % 2 else "", "", "",
                        "", "", "", "", "", "", "", dob, "CENTRAL", "PT", "2020-01-02", "2030-01-02", "0", "0", "",
                        "", "", "", "Large print" if n % 17 == 0 else "", "", "FM"[n % 2], "!", "0", f"u{n}", "", "",
                        "", "", "", "", "", "", "1", "0", "inherit", "2026-01-01 10:00:00", "2026-10-01", "default",
                        "0", "0", "1"])
    if not loans:
        return None
    issues = path.with_name("issues.csv")
    with open(issues, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["issue_id", "borrowernumber", "itemnumber", "date_due", "returndate", "issuedate"])
        for i in range(loans):
            w.writerow([i + 1, 1 + (i * 7919) % patrons, 100000 + i, "2026-12-20 23:59:00", "", "2026-11-29 10:00:00"])
    return issues


def _plain(path: Path) -> float:
    """Baseline: csv parse + plain-text insert of the same rows (no validation, no crypto)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_plain_patron (n BIGINT, card TEXT, given TEXT, family TEXT, email TEXT, "
                       "phone TEXT, dob TEXT)", [])
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, open(path, newline="", encoding="utf-8") as fh:
        rows = csv.reader(fh)
        next(rows)
        batch = []
        for r in rows:
            batch.append((int(r[0]), r[1], r[3], r[2], r[15], r[16], r[26]))
            if len(batch) == 5000:
                cursor.executemany("INSERT INTO bench_plain_patron VALUES (%s, %s, %s, %s, %s, %s, %s)", batch)
                batch.clear()
        if batch:
            cursor.executemany("INSERT INTO bench_plain_patron VALUES (%s, %s, %s, %s, %s, %s, %s)", batch)
    return time.perf_counter() - t0


class _Undo(Exception):
    pass


def _floor(n: int) -> dict:
    """CPU per patron of sealing and inserting alone (no CSV, no validation, no queue)."""
    import datetime

    from quietdesk.patrons.services import bulk_register_patrons, seal_patrons

    records = [{"given_name": FIRST[i % len(FIRST)], "family_name": LAST[i % len(LAST)], "card_number": f"2500{i:09d}",
                "email": f"f{i}@example.org" if i % 3 else "", "phone": f"707-555-{i % 10000:04d}" if i % 2 else "",
                "address": "", "age_band": "adult", "age_band_changes_on": None, "home_branch_id": None}
               for i in range(n)]
    today = datetime.date.today()  # noqa: DTZ011 (a registration date, as the importer passes)
    t0 = time.process_time()
    sealed = [seal_patrons(records[i : i + 5000], registered_on=today) for i in range(0, n, 5000)]
    seal_s = time.process_time() - t0
    if connection.vendor == "sqlite":  # the page cache the importer gives itself
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -65536", [])
    t0 = time.process_time()
    try:
        with transaction.atomic():
            for key_rows, rows in sealed:
                bulk_register_patrons(key_rows, rows)
            insert_s = time.process_time() - t0
            raise _Undo
    except _Undo:
        pass
    cores = os.cpu_count() or 1
    per = (seal_s + insert_s) / n
    return {"floor_seal_us": round(seal_s / n * 1e6, 1), "floor_insert_us": round(insert_s / n * 1e6, 1),
            "floor_patrons_per_s": round(cores / per)}


def run(patrons: int, loans: int, workers: int | None) -> dict:
    from quietdesk.audit.service import Actor
    from quietdesk.circulation.koha import import_koha
    from quietdesk.core.models import Branch
    from quietdesk.patrons.models import Patron

    Branch.objects.create(code="central", name="Central")
    path = Path(settings.DATA_DIR) / "borrowers.csv"
    issues = _write(path, patrons, loans)
    os.sync()
    t0 = time.perf_counter()
    report = import_koha(Actor.system("bench"), path, issues, workers=workers)
    seconds = time.perf_counter() - t0
    assert report.patrons == patrons == Patron.objects.count()
    plain_s = _plain(path)
    floor = _floor(min(patrons, 100_000))
    return {
        "patrons": patrons,
        "loans": report.loans,
        "patrons_per_s": round(patrons / seconds),
        "plain_rows_per_s": round(patrons / plain_s),
        "ratio": round(plain_s / seconds, 3),
        "seconds": round(seconds, 2),
        "workers": workers if workers is not None else min(os.cpu_count() or 1, 4),
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "worker_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "database": connection.vendor,
        **floor,
    }
