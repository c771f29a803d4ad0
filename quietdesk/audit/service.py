"""Appending to the access log, in the caller's transaction."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, connections, transaction

from quietdesk import sql

from . import chain
from .models import AccessEntry


@dataclass(frozen=True)
class Entry:
    """What ``append`` wrote: the entry's number and hash."""

    seq: int
    entry_hash: str
    categories: str


@dataclass(frozen=True)
class Actor:
    """Who is reading: a signed-in staff member, or a named system job."""

    name: str
    role: str

    @classmethod
    def system(cls, job: str) -> Actor:
        return cls(name=f"system:{job}", role="system")

    @classmethod
    def for_user(cls, user) -> Actor:
        return cls(name=user.get_username(), role=getattr(user, "role", "unknown"))


def _clean(value: str, limit: int) -> str:
    if chain.SEP in value or "\n" in value:
        raise ValueError("Access-log fields cannot contain control separators.")
    return value[:limit]


_ENTRY = AccessEntry._meta.db_table
_INSERT = (
    f"INSERT INTO {_ENTRY} (seq, at, actor, role, subject, categories, action, basis, entry_hash) "  # noqa: S608
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_LAST = f"SELECT seq, entry_hash FROM {_ENTRY} ORDER BY seq DESC LIMIT 1"  # noqa: S608
# Serializes appenders on PostgreSQL for the rest of the transaction. SQLite
# needs nothing: its transactions are IMMEDIATE, so writers already queue.
_PG_LOCK = "SELECT pg_advisory_xact_lock(7242011)"


def append(
    actor: Actor,
    *,
    action: str,
    subject: str = "-",
    categories: Iterable[str] = (),
    basis: str = "",
) -> Entry:
    """Append one entry. Must run inside the transaction that does the read.

    Plain SQL on purpose (``quietdesk.sql``): this runs on every read of patron
    data, and the ORM's query building would cost more than the read itself.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("The access log is written in the same transaction as the read.")
    if sql.vendor() == "postgresql":
        sql.execute(_PG_LOCK)
    row = sql.fetchone(_LAST) or (0, chain.GENESIS)
    seq = row[0] + 1
    values = (
        seq,
        datetime.now(UTC).isoformat(timespec="microseconds")[:-6] + "Z",  # 2026-11-21T10:00:00.000000Z
        _clean(actor.name, 150),
        _clean(actor.role, 32),
        _clean(subject, 32),
        _clean(",".join(sorted(set(categories))), 200),
        _clean(action, 32),
        _clean(basis, 300),
    )
    entry_hash = chain.next_hash(row[1], chain.canonical(*values))
    sql.execute(_INSERT, (*values, entry_hash))
    return Entry(seq, entry_hash, values[5])


def record(actor: Actor, **kwargs) -> Entry:
    """Append in a transaction of its own (for events with no read attached)."""
    with transaction.atomic():
        return append(actor, **kwargs)


def _raw_cursor():
    """A plain DB-API cursor. On SQLite a separate read-only connection: Django's
    type-detecting wrapper costs more per row than hashing it does."""
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if ":memory:" in name or "mode=memory" in name:  # the test suite's database
            connection.ensure_connection()
            return contextlib.nullcontext(connection.connection.cursor())
        return contextlib.closing(sqlite3.connect(f"file:{name}?mode=ro", uri=True).cursor())
    connection.ensure_connection()
    return contextlib.closing(connection.connection.cursor())


def _check_range(bounds: tuple[int, int, int]) -> tuple[int, chain.Problem | None]:
    """Check entries numbered lo to hi, starting from the stored hash of entry lo_prev
    (the last one before lo that exists)."""
    lo_prev, lo, hi = bounds
    t = AccessEntry._meta.db_table
    sqlite = connection.vendor == "sqlite"
    mark = "?" if sqlite else "%s"
    # The database joins the text columns (fewer Python objects per row: the
    # verifier's cost is per object, not per byte).
    sep = " || char(31) || " if sqlite else " || chr(31) || "
    rest = sep.join(c for c in chain.COLUMNS if c != "seq")
    with _raw_cursor() as cursor:
        prev_seq, prev_hash = 0, chain.GENESIS
        if lo_prev is not None:
            cursor.execute(f"SELECT seq, entry_hash FROM {t} WHERE seq = {mark}", [lo_prev])  # noqa: S608
            prev_seq, prev_hash = cursor.fetchone()
        cursor.execute(
            f"SELECT seq, {rest}, entry_hash FROM {t} WHERE seq >= {mark} AND seq <= {mark} ORDER BY seq",  # noqa: S608
            [lo, hi],
        )

        # The loop makes no reference cycles; without this, the collector would walk
        # every object of the loaded Django process again and again as rows arrive.
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            return chain.check_batches(iter(lambda: cursor.fetchmany(20000), []), prev_seq, prev_hash)
        finally:
            if gc_was_on:
                gc.enable()


def _ranges(parts: int) -> list[tuple[int | None, int, int]]:
    """Split the log by number into up to ``parts`` ranges, each with the number of the entry before it."""
    t = AccessEntry._meta.db_table
    with connection.cursor() as cursor:
        # Two subqueries: SQLite answers a lone min() or max() from the key, but
        # scans the whole table for "min(seq), max(seq)" in one select.
        cursor.execute(f"SELECT (SELECT min(seq) FROM {t}), (SELECT max(seq) FROM {t})", [])  # noqa: S608
        lo, hi = cursor.fetchone()
        if lo is None:
            return []
        width = (hi - lo + 1) // parts
        if parts == 1 or width < 1000:
            return [(None, lo, hi)]
        out = []
        for i in range(parts):
            start = lo + i * width
            end = hi if i == parts - 1 else start + width - 1
            prev = None
            if i:
                cursor.execute(f"SELECT max(seq) FROM {t} WHERE seq < %s", [start])  # noqa: S608
                prev = cursor.fetchone()[0]
            out.append((prev, start, end))
        return out


def verify(want_hashes_at: frozenset[int] = frozenset(), workers: int | None = None) -> chain.Result:
    """Check every link of the log; stop at (and name) the first bad entry.

    Links are independent once joined with their predecessor, so large logs
    are checked in parallel, one process per core.
    """
    total = AccessEntry.objects.count()
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if total >= 200_000 else 1
    ranges = _ranges(workers)
    if len(ranges) <= 1:
        results = [_check_range(r) for r in ranges]
    else:
        connections.close_all()  # children must not share the parent's connection
        with multiprocessing.get_context("fork").Pool(len(ranges)) as pool:
            results = pool.map(_check_range, ranges)
    entries = 0
    for count, problem in results:
        entries += count
        if problem is not None:
            return chain.Result(entries, "", problem, {})
    # The head of what was checked, not of entries appended since (a checkpoint
    # signs a size and a head hash that must belong together).
    checked = AccessEntry.objects.filter(seq__lte=ranges[-1][2]) if ranges else AccessEntry.objects.none()
    head = checked.order_by("-seq").values_list("entry_hash", flat=True).first() or chain.GENESIS
    hashes_at = dict(AccessEntry.objects.filter(seq__in=want_hashes_at).values_list("seq", "entry_hash"))
    return chain.Result(entries, head, None, hashes_at)
