"""Background jobs (django-tasks, database backend; run by ``quietdesk alerts_worker``).

Jobs carry ids only, never content or addresses. Each one is idempotent: the
database rows say what is left to do (see delivery.py's design notes).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks_db.backend import DatabaseBackend

from . import delivery, escalation


def _enqueue(job, *args, run_after: datetime | None = None) -> None:
    """Enqueue now when the queue lives in our database (it then commits with the caller's
    rows, so no kick is lost); otherwise after the caller's transaction commits."""
    bound = job.using(run_after=run_after) if run_after else job
    if isinstance(task_backends[bound.backend], DatabaseBackend):
        bound.enqueue(*args)
    else:
        transaction.on_commit(lambda: bound.enqueue(*args))


def kick(broadcast_id: uuid.UUID, run_after: datetime | None = None) -> None:
    _enqueue(run_broadcast, str(broadcast_id), run_after=run_after)


def schedule_escalation(broadcast_id: uuid.UUID, at: datetime) -> None:
    _enqueue(check_escalation, str(broadcast_id), run_after=at)


def schedule_purge(report_id: uuid.UUID, at: datetime) -> None:
    _enqueue(purge_report, str(report_id), run_after=at)


def kick_forward(forward_id: uuid.UUID, run_after: datetime | None = None) -> None:
    _enqueue(send_forward, str(forward_id), run_after=run_after)


@task()
def run_broadcast(broadcast_id: str) -> dict:
    counts = delivery.run_broadcast(uuid.UUID(broadcast_id))
    due = delivery.next_due(uuid.UUID(broadcast_id))
    if due is not None:
        kick(uuid.UUID(broadcast_id), run_after=max(due, timezone.now()))
    return counts


@task()
def check_escalation(broadcast_id: str) -> str:
    return escalation.check(uuid.UUID(broadcast_id))


@task()
def purge_report(report_id: str) -> int:
    from .services import do_purge_expired

    return do_purge_expired(report_ids=[uuid.UUID(report_id)])


@task()
def send_forward(forward_id: str) -> str:
    from . import forward

    return str(forward.run(uuid.UUID(forward_id)))
