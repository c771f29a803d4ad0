"""Writing the access log, in the caller's transaction, and checking it.

* ``append``: one entry (a view, a change, a disclosure, a case step, an
  administrative event). Refuses a routine event.
* ``count_routine``: a routine desk step; adds one to today's count for this
  actor and event, names no one (``events.py`` says why).
* ``roll_up_routine``: finished days' counts become ``routine_summary`` entries.
Verification is ``verify.py``; the log's own retention is ``prune.py``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

from django.db import connection, transaction
from django.utils import timezone

from quietdesk import sql

from . import chain
from .events import Event
from .models import AccessEntry, RoutineTally


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
    if sql.vendor() == "postgresql":  # pragma: no cover — PostgreSQL only: the PostgreSQL leg of scripts/test runs it
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
    today = timezone.localdate()
    day = today.isoformat() if sql.vendor() == "sqlite" else today
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
