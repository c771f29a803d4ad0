"""The send job: one message id (never content or an address). Idempotent: see sending.py."""

from __future__ import annotations

import uuid

from django.utils import timezone
from django_tasks import task

from . import jobs, sending


@jobs.register("outbound.send")
@task()
def send_message(message_id: str) -> str:
    state = sending.send(uuid.UUID(message_id))
    due = sending.next_attempt(uuid.UUID(message_id))
    if due is None:  # sent, given up, or being sent by another job: nothing to schedule
        return state
    # Waiting for a retry. The job that made this attempt always schedules the next one. A job
    # that found the row "not due" is a spare (a worker restart kicked every pending row while
    # its job was already queued): re-kicking would keep it alive for ever, and every restart
    # would add one more. So it only kicks when no queued job will run by then, which keeps
    # the message from being left without one.
    if state != "not due" or not jobs.waiting("outbound.send", message_id, by=due):
        sending.kick(uuid.UUID(message_id), run_after=max(due, timezone.now()))
    return state
