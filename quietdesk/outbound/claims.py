"""The durable send's state machine, shared by every row that stands for one message out.

Alerts' ``Delivery``, the network's ``Forward`` and ``outbound.Message`` all move the same
way (design notes and the residual risk window: ``alerts/delivery.py``)::

    pending --claim--> sending --record--> sent | delivered | failed | pending (retry later)
                          \\--recover (claimant dead or lease over)--> pending

Each transition is one conditional UPDATE committed on its own. A row model needs the
fields ``state``, ``attempts``, ``next_attempt_at``, ``claimed_by`` and ``claimed_until``.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone

from quietdesk.processes import is_running

PENDING, SENDING = "pending", "sending"
LEASE = timedelta(seconds=120)  # outlasts one channel call (10 s timeouts)
MAX_BACKOFF = timedelta(minutes=10)
_HOST = socket.gethostname()[:60]


def worker_id() -> str:
    """``host:pid``: lets a later process tell whether the claimant is still alive."""
    return f"{_HOST}:{os.getpid()}"


def claimant_gone(claimed_by: str) -> bool:
    """A claim made on this host by a process that no longer exists (never this one)."""
    host, _, pid = claimed_by.rpartition(":")
    return host == _HOST and pid.isdigit() and int(pid) != os.getpid() and not is_running(int(pid))


def backoff(attempts: int, cap: timedelta = MAX_BACKOFF) -> timedelta:
    return min(cap, timedelta(seconds=15 * 2 ** max(0, attempts - 1)))


def due(model: type[Model], now=None) -> QuerySet:
    now = now or timezone.now()
    return model._default_manager.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), state=PENDING)


def claim(model: type[Model], pk, now=None) -> bool:
    """pending -> sending, committed before anything leaves the machine. Two workers can never
    both win: on PostgreSQL the second UPDATE waits and re-checks; SQLite writes one at a time."""
    now = now or timezone.now()
    return due(model, now).filter(pk=pk).update(
        state=SENDING, claimed_by=worker_id(), claimed_until=now + LEASE, attempts=F("attempts") + 1) == 1


def mine(model: type[Model], pk) -> QuerySet:
    return model._default_manager.filter(pk=pk, state=SENDING, claimed_by=worker_id())


def release(model: type[Model], pk, **changes) -> bool:
    """Record the outcome of this worker's own claim (``changes`` names the new state)."""
    return mine(model, pk).update(claimed_by="", claimed_until=None, **changes) == 1


def recover(rows: QuerySet, note: str | None = "the worker stopped while sending: sent again", now=None) -> int:
    """Put back rows in ``sending`` whose claimant died (same host) or whose lease ran out."""
    now = now or timezone.now()
    model = rows.model
    extra = {"note": note} if note is not None else {}
    recovered = 0
    for pk, claimed_by, until in rows.filter(state=SENDING).values_list("pk", "claimed_by", "claimed_until"):
        if (until is not None and until < now) or claimant_gone(claimed_by):
            recovered += model.objects.filter(pk=pk, state=SENDING, claimed_by=claimed_by).update(
                state=PENDING, claimed_by="", claimed_until=None, **extra)
    return recovered
