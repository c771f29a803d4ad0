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
    if due is not None:  # waiting for a retry
        sending.kick(uuid.UUID(message_id), run_after=max(due, timezone.now()))
    return state
