"""Verifying the access log: every link re-hashed from the genesis, or from the newest
anchor left by pruning (``prune.py``), and every blanked entry checked against the
recorded prune run that blanked it."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sqlite3

from django.db import connection, connections

from . import chain, prune
from .models import AccessEntry, LogAnchor


def _raw_cursor():
    """A plain DB-API cursor. On SQLite a separate read-only connection: Django's
    type-detecting wrapper costs more per row than hashing it does."""
    if connection.vendor != "sqlite":  # pragma: no cover — PostgreSQL only: the PostgreSQL leg of scripts/test runs it
        connection.ensure_connection()
        return contextlib.closing(connection.connection.cursor())
    name = str(connection.settings_dict["NAME"])
    if ":memory:" in name or "mode=memory" in name:  # the test suite's database
        connection.ensure_connection()
        return contextlib.nullcontext(connection.connection.cursor())
    return contextlib.closing(sqlite3.connect(f"file:{name}?mode=ro", uri=True).cursor())  # pragma: no cover — a file database: the suite's SQLite is in memory


def _check_range(bounds: tuple) -> tuple[int, chain.Problem | None]:
    """Check entries numbered lo to hi, starting from (prev_seq, prev_hash), or from the
    stored hash of entry ``prev_seq`` when ``prev_hash`` is None."""
    prev_seq, prev_hash, lo, hi = bounds
    t = AccessEntry._meta.db_table
    sqlite = connection.vendor == "sqlite"
    mark = "?" if sqlite else "%s"
    # The database joins the body's columns (fewer Python objects per row: the
    # verifier's cost is per object, not per byte).
    sep = " || char(31) || " if sqlite else " || chr(31) || "
    text = sep.join(chain.BODY_COLUMNS)
    with _raw_cursor() as cursor:
        if prev_hash is None:
            cursor.execute(f"SELECT entry_hash FROM {t} WHERE seq = {mark}", [prev_seq])  # noqa: S608
            (prev_hash,) = cursor.fetchone()
        cursor.execute(
            f"SELECT seq, substr(at, 1, 10), action, {text}, body_digest, entry_hash FROM {t} "  # noqa: S608
            f"WHERE seq >= {mark} AND seq <= {mark} ORDER BY seq",
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


def _ranges(parts: int, start_seq: int, start_hash: str) -> list[tuple]:
    """Split the log by number into up to ``parts`` ranges, each with where it starts from."""
    t = AccessEntry._meta.db_table
    with connection.cursor() as cursor:
        # Two subqueries: SQLite answers a lone min() or max() from the key, but
        # scans the whole table for "min(seq), max(seq)" in one select.
        cursor.execute(f"SELECT (SELECT min(seq) FROM {t}), (SELECT max(seq) FROM {t})", [])  # noqa: S608
        lo, hi = cursor.fetchone()
        if lo is None:
            return []
        lo = min(lo, start_seq + 1)  # a missing first entry is reported by the check, not skipped
        width = (hi - lo + 1) // parts
        if parts == 1 or width < 1000:
            return [(start_seq, start_hash, lo, hi)]
        out: list[tuple] = []
        for i in range(parts):
            begin = lo + i * width
            end = hi if i == parts - 1 else begin + width - 1
            if i == 0:
                out.append((start_seq, start_hash, begin, end))
                continue
            cursor.execute(f"SELECT max(seq) FROM {t} WHERE seq < %s", [begin])  # noqa: S608
            out.append((cursor.fetchone()[0], None, begin, end))
        return out


def newest_anchor() -> LogAnchor | None:
    return LogAnchor.objects.order_by("-first_kept").first()


def verify(
    want_hashes_at: frozenset[int] = frozenset(),
    workers: int | None = None,
    *,
    anchor_check=None,
) -> chain.Result:
    """Check every link of the log; stop at (and name) the first bad entry.

    After pruning, checking starts at the newest anchor's first kept entry, from the
    head hash its signed checkpoint vouches for (``anchor_check(note) -> head`` verifies
    the signature; the audit command passes the vault's key). Links are independent
    once joined with their predecessor, so large logs are checked in parallel.
    """
    anchor = newest_anchor()
    start_seq, start_hash = 0, chain.GENESIS
    if anchor is not None:
        start_seq, start_hash = anchor.first_kept - 1, anchor.head_hash
        if anchor_check is not None:
            problem = anchor_check(anchor)
            if problem:
                return chain.Result(0, "", chain.Problem(anchor.first_kept, problem), {}, anchor.first_kept)
    total = AccessEntry.objects.count()
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if total >= 200_000 else 1
    ranges = _ranges(workers, start_seq, start_hash)
    if len(ranges) <= 1:
        results = [_check_range(r) for r in ranges]
    else:  # pragma: no cover — forked workers reopen the database: never the suite's in-memory SQLite
        connections.close_all()  # children must not share the parent's connection
        with multiprocessing.get_context("fork").Pool(len(ranges)) as pool:
            results = pool.map(_check_range, ranges)
    entries = 0
    first = start_seq + 1
    for count, problem in results:
        entries += count
        if problem is not None:
            return chain.Result(entries, "", problem, {}, first)
    problem, pruned = prune.check_blanked()
    if problem is not None:
        return chain.Result(entries, "", problem, {}, first, pruned)
    # The head of what was checked, not of entries appended since (a checkpoint
    # signs a size and a head hash that must belong together).
    checked = AccessEntry.objects.filter(seq__lte=ranges[-1][3]) if ranges else AccessEntry.objects.none()
    head = checked.order_by("-seq").values_list("entry_hash", flat=True).first() or start_hash
    hashes_at = dict(AccessEntry.objects.filter(seq__in=want_hashes_at).values_list("seq", "entry_hash"))
    if anchor is not None and anchor.first_kept - 1 in want_hashes_at:
        hashes_at[anchor.first_kept - 1] = anchor.head_hash
    return chain.Result(entries, head, None, hashes_at, first, pruned + prune.anchor_history())
