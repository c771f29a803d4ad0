"""Running queued background jobs inside a test, as the outbound worker would."""

from __future__ import annotations


def drain_jobs(limit: int = 100) -> int:
    """Run the queued jobs that are due, in this process (what db_worker would do)."""
    from django_tasks_db.models import DBTaskResult

    ran = 0
    while ran < limit:
        job = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if job is None:
            return ran
        job.claim("test-runner")
        result = job.task_result
        try:
            value = job.task.call(*result.args, **result.kwargs)
        except BaseException as exc:
            job.set_failed(exc)
            raise
        job.set_successful(value)
        ran += 1
    raise AssertionError("jobs keep coming: a job requeues itself forever")


def skip_waits() -> None:
    """As if every retry's wait had passed: messages and their jobs are due now."""
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from quietdesk.outbound.models import Message

    Message.objects.update(next_attempt_at=None)
    DBTaskResult.objects.update(run_after=timezone.now() - datetime.timedelta(seconds=1))
