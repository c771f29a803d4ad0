"""After a crash: put back what a dead worker left half done (see delivery.py's design notes)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import delivery, tasks
from .models import Broadcast, DeliveryState
from .services import do_purge_expired


def _fail_orphaned_jobs() -> int:
    """Jobs a dead local worker was running stay RUNNING forever in django-tasks-db: close them."""
    closed = 0
    for pk, worker_ids in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list("pk", "worker_ids"):
        last = worker_ids[-1] if worker_ids else ""
        if last and delivery._claimant_gone(last):
            closed += DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now(),
                exception_class_path="quietdesk.alerts.recovery.WorkerLost",
                traceback="The worker process ended while running this job; quietdesk alerts_worker requeued its work.",
            )
    return closed


def recover_all() -> dict[str, int]:
    from . import forward

    requeued = delivery.recover()
    forwards_back = forward.recover()
    forwards = forward.resume()
    closed = _fail_orphaned_jobs()
    purged = do_purge_expired()
    kicked = 0
    waiting = Broadcast.objects.filter(deliveries__state=DeliveryState.PENDING).distinct()
    for broadcast_id in waiting.values_list("pk", flat=True):
        tasks.kick(broadcast_id, run_after=delivery.next_due(broadcast_id))
        kicked += 1
    escalations = 0
    for broadcast in Broadcast.objects.filter(~Q(escalate_at=None)):
        if broadcast.current_tier < broadcast.max_tier:
            tasks.schedule_escalation(broadcast.pk, broadcast.escalate_at)
            escalations += 1
    return {"deliveries requeued": requeued, "orphaned jobs closed": closed, "reports purged": purged,
            "broadcasts resumed": kicked, "escalations rescheduled": escalations,
            "forwards requeued": forwards_back, "forwards resumed": forwards}
