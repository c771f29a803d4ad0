"""The privacy app's background job (django-tasks, database backend; run by
``quietdesk outbound_worker``), registered by name (``outbound.jobs``). It carries an
audit's id only; ``audit_runs.do_request_audit`` queues it."""

from __future__ import annotations

from django_tasks import task

from quietdesk.outbound import jobs

from .audit_report import audit_runs


@jobs.register(audit_runs.JOB)
@task()
def build_audit(run_id: int) -> str:
    return audit_runs.run_queued(run_id)
