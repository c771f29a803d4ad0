"""quietdesk bench vault --json [--patrons N] [--lookups N] [--log-entries N]

register_per_s        patrons registered through the service (encryption, blind
                      indexes, duplicate-card check, access-log entry), one
                      transaction each
plain_register_per_s  the same rows inserted through plain Django (no encryption,
                      no indexes, no log), one transaction each, same run
lookup_p99_ms         99th percentile of reader.find() by card number at that size
verify_entries_per_s  access-log chain verification speed over --log-entries entries
verify_floor_entries_per_s
                      (SQLite) the least any Python verifier of this log can do, same
                      file, same run: a bare sqlite3 reader in as many processes,
                      reading the same columns and hashing each link, nothing else
                      (no Django, no problem reports)
"""

import os
import random
import time
import uuid

from django.db import connection, transaction

NEEDS_DATABASE = True


def add_arguments(parser):
    parser.add_argument("--patrons", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=2_000)
    parser.add_argument("--log-entries", type=int, default=1_000_000)


def _card(i: int) -> str:
    return f"29{i:012d}"


def _data(i: int) -> dict:
    return {
        "given_name": f"Given{i}", "family_name": f"Family{i}", "card_number": _card(i),
        "email": f"p{i}@example.org", "phone": "", "notes": "", "age_band": "adult", "age_band_changes_on": None,
    }


def _synthetic_log(n: int) -> None:
    """Append n valid chained entries quickly (bulk), as if n reads had happened."""
    from quietdesk.audit import chain
    from quietdesk.audit.models import AccessEntry

    last = AccessEntry.objects.order_by("-seq").first()
    prev, seq = (last.entry_hash, last.seq) if last else (chain.GENESIS, 0)
    batch = []
    for _ in range(n):
        seq += 1
        body = {"at": "2026-11-21T10:00:00Z", "actor": "bench", "role": "circulation",
                "subject": "r1:" + "A" * 38, "case_ref": "", "categories": "registration",
                "basis": "bench [duty_minimum]", "restricted": ""}
        prev = chain.next_hash(prev, seq, body["at"][:10], "view", chain.body_digest(chain.body(**body)))
        batch.append(AccessEntry(seq=seq, action="view", **body, entry_hash=prev))
        if len(batch) == 20_000:
            AccessEntry.objects.bulk_create(batch)
            batch.clear()
    AccessEntry.objects.bulk_create(batch)


def _bare_range(args):
    """One process of the floor: fetch and hash a range of entries, nothing more."""
    import hashlib
    import sqlite3

    name, table, rest, lo, hi = args
    cursor = sqlite3.connect(f"file:{name}?mode=ro", uri=True).cursor()
    cursor.execute(f"SELECT seq, substr(at, 1, 10), action, {rest}, entry_hash FROM {table} "  # noqa: S608
                   "WHERE seq >= ? AND seq <= ? ORDER BY seq", (lo, hi))
    sha, prev, n = hashlib.sha256, None, 0
    for batch in iter(lambda: cursor.fetchmany(20000), []):
        for seq, day, action, text, stored in batch:
            digest = sha(text.encode()).hexdigest()
            if prev is not None and sha(f"{prev}\x1f{seq}\x1f{day}\x1f{action}\x1f{digest}".encode()).hexdigest() != stored:
                raise AssertionError(seq)
            prev, n = stored, n + 1
    return n


def _verify_floor(workers: int) -> float | None:
    import multiprocessing

    from quietdesk.audit import chain
    from quietdesk.audit.models import AccessEntry

    if connection.vendor != "sqlite":
        return None
    table = AccessEntry._meta.db_table
    rest = " || char(31) || ".join(chain.BODY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT min(seq) FROM {table}), (SELECT max(seq) FROM {table})", [])  # noqa: S608
        lo, hi = cursor.fetchone()
    name = str(connection.settings_dict["NAME"])
    width = (hi - lo + 1) // workers
    parts = [(name, table, rest, lo + i * width, hi if i == workers - 1 else lo + (i + 1) * width - 1)
             for i in range(workers)]
    connection.close()
    t0 = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        n = sum(pool.map(_bare_range, parts))
    return n / (time.perf_counter() - t0) if n else None


def run(patrons: int, lookups: int, log_entries: int) -> dict:
    from quietdesk.audit.models import AccessEntry
    from quietdesk.audit.service import Actor
    from quietdesk.audit.verify import verify
    from quietdesk.patrons.models import Patron
    from quietdesk.patrons.services import do_register_patron
    from quietdesk.vault import datakeys, reader

    actor = Actor("bench", "circulation")

    # Plain Django: the same rows, clear bytes, no indexes, no log.
    t0 = time.perf_counter()
    for i in range(patrons):
        pid = uuid.uuid4()
        d = _data(i)
        with transaction.atomic():
            Patron.objects.create(
                id=pid, pseudonym=pid.hex[:16], given_name_ct=d["given_name"].encode(),
                family_name_ct=d["family_name"].encode(), email_ct=d["email"].encode(),
                card_number_ct=d["card_number"].encode(), card_bidx=0, name_bidx=0,
            )
    plain_s = time.perf_counter() - t0
    Patron.objects.all().delete()

    t0 = time.perf_counter()
    for i in range(patrons):
        do_register_patron(actor, _data(i))
    register_s = time.perf_counter() - t0

    datakeys.cache.clear()  # lookups pay for unwrapping, as a fresh process would
    rng = random.Random(7)  # noqa: S311
    times = []
    for _ in range(lookups):
        card = _card(rng.randrange(patrons))
        t = time.perf_counter()
        found = reader.find(actor, Patron.objects.all(), "card_number", card, purpose="bench")
        times.append(time.perf_counter() - t)
        assert len(found) == 1
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000

    existing = AccessEntry.objects.count()
    if log_entries > existing:
        _synthetic_log(log_entries - existing)
    connection.close()
    t0 = time.perf_counter()
    result = verify()
    verify_s = time.perf_counter() - t0
    assert result.ok, result.problem
    floor = _verify_floor(min(os.cpu_count() or 1, 4))

    return {
        "patrons": patrons,
        "register_per_s": round(patrons / register_s, 1),
        "plain_register_per_s": round(patrons / plain_s, 1),
        "register_ratio": round((patrons / register_s) / (patrons / plain_s), 3),
        "lookup_p99_ms": round(p99, 3),
        "lookup_p50_ms": round(times[len(times) // 2] * 1000, 3),
        "log_entries": result.entries,
        "verify_entries_per_s": round(result.entries / verify_s),
        "verify_floor_entries_per_s": round(floor) if floor else None,
        "verify_ratio_to_floor": round(result.entries / verify_s / floor, 3) if floor else None,
        "database": connection.vendor,
        "blind_index_bits": __import__("django.conf").conf.settings.BLIND_INDEX_BITS,
    }
