"""The alerts' background jobs (django-tasks, database backend; run by ``quietdesk outbound_worker``).

Jobs carry ids only, never content or addresses. Each one is idempotent: the database
rows say what is left to do (see delivery.py's design notes). Each is registered by name
(``outbound.jobs``); code that schedules one goes through ``kicks.py``.
"""

from __future__ import annotations

import uuid

from django.utils import timezone
from django_tasks import task

from quietdesk.outbound import jobs

from . import delivery, escalation, forward, kicks
from .services import do_purge_expired


@jobs.register("alerts.run_broadcast")
@task()
def run_broadcast(broadcast_id: str) -> dict:
    counts = delivery.run_broadcast(uuid.UUID(broadcast_id))
    due = delivery.next_due(uuid.UUID(broadcast_id))
    if due is not None:
        kicks.kick(uuid.UUID(broadcast_id), run_after=max(due, timezone.now()))
    return counts


@jobs.register("alerts.check_escalation")
@task()
def check_escalation(broadcast_id: str) -> str:
    return escalation.check(uuid.UUID(broadcast_id))


@jobs.register("alerts.purge_report")
@task()
def purge_report(report_id: str) -> int:
    return do_purge_expired(report_ids=[uuid.UUID(report_id)])


@jobs.register("alerts.send_forward")
@task()
def send_forward(forward_id: str) -> str:
    return str(forward.run(uuid.UUID(forward_id)))
