"""Asking the worker to look at something later: jobs enqueued by name (``outbound.jobs``).

The jobs themselves are in ``tasks.py``, which imports the modules that call these; keeping
the two apart is what leaves no import circle between a job and the code that schedules it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from quietdesk.outbound import jobs


def kick(broadcast_id: uuid.UUID, run_after: datetime | None = None) -> None:
    jobs.enqueue("alerts.run_broadcast", str(broadcast_id), run_after=run_after)


def schedule_escalation(broadcast_id: uuid.UUID, at: datetime) -> None:
    jobs.enqueue("alerts.check_escalation", str(broadcast_id), run_after=at)


def schedule_purge(report_id: uuid.UUID, at: datetime) -> None:
    jobs.enqueue("alerts.purge_report", str(report_id), run_after=at)


def kick_forward(forward_id: uuid.UUID, run_after: datetime | None = None) -> None:
    jobs.enqueue("alerts.send_forward", str(forward_id), run_after=run_after)
