"""What the worker repairs at start, gathered from every app that sends (``on_start``).

Each app registers its own recovery in its AppConfig.ready(), so this app imports none of
them. ``orphaned_jobs`` closes django-tasks jobs a dead local worker was running (they
would stay RUNNING forever in django-tasks-db).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import claims, sending

_ON_START: list[Callable[[], dict[str, int]]] = [sending.recover_all]


def on_start(recover: Callable[[], dict[str, int]]) -> None:
    if recover not in _ON_START:
        _ON_START.append(recover)


def close_orphaned_jobs() -> int:
    closed = 0
    for pk, worker_ids in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list("pk", "worker_ids"):
        last = worker_ids[-1] if worker_ids else ""
        if last and claims.claimant_gone(last):
            closed += DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now(),
                exception_class_path="quietdesk.outbound.worker.WorkerLost",
                traceback="The worker process ended while running this job; quietdesk outbound_worker requeued its work.",
            )
    return closed


def recover_all() -> dict[str, int]:
    summary = {"orphaned jobs closed": close_orphaned_jobs()}
    for recover in _ON_START:
        summary.update(recover())
    return summary
