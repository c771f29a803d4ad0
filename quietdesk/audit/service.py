"""Writing the access log, in the caller's transaction, and checking it.

* ``append``: one entry (a view, a change, a disclosure, a case step, an
  administrative event). Refuses a routine event.
* ``count_routine``: a routine desk step; adds one to today's count for this
  actor and event, names no one (``events.py`` says why).
* ``roll_up_routine``: finished days' counts become ``routine_summary`` entries.
* ``verify``: re-hashes every link from the genesis, or from the newest anchor
  left by pruning (``prune.py``), and checks that every blanked entry was blanked
  by a recorded prune run that was entitled to.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import multiprocessing
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

from django.db import connection, connections, transaction
from django.utils import timezone

from quietdesk import sql

from . import chain
from .events import Event
from .models import AccessEntry, LogAnchor, RoutineTally


@dataclass(frozen=True)
class Entry:
    """What ``append`` wrote: the entry's number and hash."""

    seq: int
    entry_hash: str
    categories: str


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in staff member, a self-check machine, a patron, or a named system job."""

    name: str
    role: str
    branch: int | None = None  # the staff member's branch, for misuse detection

    @classmethod
    def system(cls, job: str) -> Actor:
        return cls(name=f"system:{job}", role="system")

    @classmethod
    def patron(cls) -> Actor:
        """A patron acting on their own records. Never named: a name here, even a pseudonym,
        would make the day's counts a record of that patron's visits."""
        return cls(name="patron (self-service)", role="patron")

    @classmethod
    def for_user(cls, user) -> Actor:
        return cls(name=user.get_username(), role=getattr(user, "role", "unknown"),
                   branch=getattr(user, "branch_id", None))

    @classmethod
    def from_request(cls, request) -> Actor:
        return cls.for_user(request.user)


def _clean(value: str, limit: int) -> str:
    if chain.SEP in value or "\n" in value:
        raise ValueError("Access-log fields cannot contain control separators.")
    return value[:limit]


_ENTRY = AccessEntry._meta.db_table
_INSERT = (
    f"INSERT INTO {_ENTRY} (seq, at, actor, role, subject, case_ref, categories, action, basis, restricted, "  # noqa: S608
    "entry_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_LAST = f"SELECT seq, entry_hash FROM {_ENTRY} ORDER BY seq DESC LIMIT 1"  # noqa: S608
# Serializes appenders on PostgreSQL for the rest of the transaction. SQLite
# needs nothing: its transactions are IMMEDIATE, so writers already queue.
_PG_LOCK = "SELECT pg_advisory_xact_lock(7242011)"


def now_text() -> str:
    """An entry's time: to the second, UTC. Finer would only help line entries up with other traces."""
    return datetime.datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def append(
    actor: Actor,
    event: Event,
    *,
    subject: str = "",
    case_ref: str = "",
    categories: Iterable[str] = (),
    basis: str = "",
    restricted: bool = False,
) -> Entry:
    """Append one entry. Must run inside the transaction that does what it records.

    ``subject`` is a sealed reference (``vault.api.log_ref``), never a name or a
    pseudonym. Plain SQL on purpose (``quietdesk.sql``): this runs on every read of
    patron data, and the ORM's query building would cost more than the read itself.
    """
    if not isinstance(event, Event):
        raise TypeError(f"The access log records events (audit.events.Event), not {event!r}.")
    if event.routine:
        raise ValueError(f"{event} is a routine step: count it (count_routine), do not log it per person.")
    if subject and not subject.startswith("r1:"):
        raise ValueError("An access-log subject is a sealed reference (vault.api.log_ref), never a label.")
    if not connection.in_atomic_block:
        raise RuntimeError("The access log is written in the same transaction as the read.")
    if sql.vendor() == "postgresql":
        sql.execute(_PG_LOCK)
    row = sql.fetchone(_LAST) or (0, chain.GENESIS)
    seq = row[0] + 1
    at = now_text()
    actor_name, role = _clean(actor.name, 150), _clean(actor.role, 32)
    cats = _clean(",".join(sorted(set(categories))), 200)
    case_ref, basis = _clean(case_ref, 16), _clean(basis, 300)
    mark = "nd" if restricted else ""
    digest = chain.body_digest(chain.body(at, actor_name, role, subject, case_ref, cats, basis, mark))
    entry_hash = chain.next_hash(row[1], seq, at[:10], event.value, digest)
    sql.execute(_INSERT, (seq, at, actor_name, role, subject, case_ref, cats, event.value, basis, mark, entry_hash))
    return Entry(seq, entry_hash, cats)


def record(actor: Actor, event: Event, **kwargs) -> Entry:
    """Append in a transaction of its own (for events with no read attached)."""
    with transaction.atomic():
        return append(actor, event, **kwargs)


# --- routine steps -----------------------------------------------------------

_TALLY = RoutineTally._meta.db_table
_BUMP = (
    f"INSERT INTO {_TALLY} (day, actor, role, action, count) VALUES (%s, %s, %s, %s, 1) "  # noqa: S608
    "ON CONFLICT (day, actor, role, action) DO UPDATE SET count = " + _TALLY + ".count + 1"
)


_BUMP_N = _BUMP.replace("VALUES (%s, %s, %s, %s, 1)", "VALUES (%s, %s, %s, %s, %s)").replace(
    ".count + 1", ".count + excluded.count")


def count_routine(actor: Actor, event: Event, n: int = 1) -> None:
    """``n`` more routine steps today by this actor. Call inside the step's transaction."""
    if not isinstance(event, Event) or not event.routine:
        raise ValueError(f"{event} is not a routine step; append it to the log.")
    day = timezone.localdate()
    day = day.isoformat() if sql.vendor() == "sqlite" else day
    who = (_clean(actor.name, 150), _clean(actor.role, 32), event.value)
    if n == 1:
        sql.execute(_BUMP, (day, *who))
    else:
        sql.execute(_BUMP_N, (day, *who, n))


def roll_up_routine(before: datetime.date | None = None) -> int:
    """Turn the counts of days before ``before`` (default today) into log entries; returns how many."""
    before = before or timezone.localdate()
    written = 0
    with transaction.atomic():
        rows = list(RoutineTally.objects.select_for_update().filter(day__lt=before).order_by("day", "actor", "role", "action"))
        groups: dict[tuple, list[RoutineTally]] = {}
        for row in rows:
            groups.setdefault((row.day, row.actor, row.role), []).append(row)
        for (day, actor, role), items in groups.items():
            counts = ", ".join(f"{r.action}={r.count}" for r in items)
            append(Actor(actor, role), Event.ROUTINE_SUMMARY, basis=f"{day.isoformat()}: {counts}"[:300])
            written += 1
        RoutineTally.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return written


# --- verification ----------------------------------------------------------------


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
        out = []
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
    else:
        connections.close_all()  # children must not share the parent's connection
        with multiprocessing.get_context("fork").Pool(len(ranges)) as pool:
            results = pool.map(_check_range, ranges)
    entries = 0
    first = start_seq + 1
    for count, problem in results:
        entries += count
        if problem is not None:
            return chain.Result(entries, "", problem, {}, first)
    from . import prune  # the pruning rules and verification's check of their work

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
