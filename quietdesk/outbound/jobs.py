"""Background jobs by name (django-tasks, database backend; run by ``quietdesk outbound_worker``).

A module that wants work done later enqueues a job by its registered name; the module that
defines the job (``<app>/tasks.py``, imported by its AppConfig.ready()) registers it. So
the code a job runs never has to import the module that schedules it back: no import
circle between a task and the services it calls.

Jobs carry ids only, never content or addresses, and are idempotent: the database rows
say what is left to do.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

_JOBS: dict = {}


def register(name: str):
    """Decorator for a ``@task()``: ``@jobs.register("alerts.run_broadcast")``."""

    def add(job):
        _JOBS[name] = job
        return job

    return add


def path(name: str) -> str:
    """The dotted path django-tasks stores for a registered job (to find its rows)."""
    return _JOBS[name].module_path


def enqueue(name: str, *args, run_after: datetime | None = None) -> None:
    """Enqueue now when the queue lives in our database (it then commits with the caller's
    rows, so no kick is lost); otherwise after the caller's transaction commits."""
    job = _JOBS[name]
    bound = job.using(run_after=run_after) if run_after else job
    if isinstance(task_backends[bound.backend], DatabaseBackend):
        bound.enqueue(*args)
    else:
        transaction.on_commit(lambda: bound.enqueue(*args))


def waiting(name: str, *args, by: datetime | None = None) -> bool:
    """Whether a job of this name and arguments is queued and not yet started (due by ``by``, if
    given). Only the database queue can be asked; elsewhere the answer is no (so callers kick)."""
    job = _JOBS[name]
    if not isinstance(task_backends[job.backend], DatabaseBackend):
        return False
    rows = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=job.module_path,
                                       args_kwargs__args=list(args))
    if by is not None:
        rows = rows.filter(Q(run_after=get_date_max()) | Q(run_after__lte=by))
    return rows.exists()
