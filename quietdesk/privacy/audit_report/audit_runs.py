"""A privacy audit from the button to the files: never inside a web request.

The audit decrypts and scans every free-text field, so it can take minutes: the page
only queues it (``do_request_audit``: a queued AuditRun and a job by name, in one
transaction), and ``quietdesk outbound_worker`` builds it (``run_queued``). The job acts
as the member of staff who asked, as they are when it runs (an account deactivated or no
longer allowed to run audits gets no scan: the run fails), so every record the scan reads
is logged under their name and current role, as when the audit ran in the page. While a
run waits or runs, asking again shows that run (a double click is one scan, not two). A
worker stopped mid-build leaves a run ``running``: the worker's next start marks it
failed (``recover_stalled``). ``do_audit`` builds at once, for the command line
(``quietdesk privacy report``).
"""

from __future__ import annotations

import datetime
import logging

from django.db import connection, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.outbound import jobs
from quietdesk.staff.models import StaffUser
from quietdesk.staff.roles import Cap, has_cap

from ..models import AuditRun
from . import build, files

JOB = "privacy.build_audit"
KEEP_RUNS = 12
logger = logging.getLogger(__name__)
NOT_ALLOWED = "the person who asked can no longer run audits"
WORKER_STOPPED = "the worker stopped while building it"
# Serializes askers on PostgreSQL (SELECT ... FOR UPDATE locks no row when none waits yet);
# SQLite's transactions are IMMEDIATE, so writers already queue.
_PG_LOCK = "SELECT pg_advisory_xact_lock(7242131)"
_UNFINISHED = (AuditRun.State.QUEUED, AuditRun.State.RUNNING)


def do_request_audit(actor: Actor) -> AuditRun:
    """Queue an audit for the worker, or return the one already waiting or running (a second
    click would otherwise be a second full decrypting scan); the page shows its state."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(_PG_LOCK, [])
        waiting = AuditRun.objects.select_for_update().filter(state__in=_UNFINISHED).order_by("created_at", "id")
        run = waiting.first()
        if run is not None:
            return run
        run = AuditRun.objects.create(created_by=actor.name, requester_role=actor.role,
                                      requester_branch=actor.branch, state=AuditRun.State.QUEUED)
        jobs.enqueue(JOB, run.pk)
    return run


def requester(run: AuditRun) -> Actor | None:
    """Who asked, as they are now: None if their account is gone, inactive, or may no longer
    run audits (the scan must not decrypt as someone the library has since stopped)."""
    user = StaffUser.objects.filter(username=run.created_by).first()
    if user is None or not has_cap(user, Cap.PRIVACY_AUDIT):
        return None
    return Actor.for_user(user)


def _fail(run_id: int, failure: str) -> None:
    AuditRun.objects.filter(pk=run_id).update(state=AuditRun.State.FAILED, failure=failure[:200],
                                              finished_at=timezone.now())


def run_queued(run_id: int) -> str:
    """The worker's job: build a queued audit once (a second delivery finds it taken)."""
    if not AuditRun.objects.filter(pk=run_id, state=AuditRun.State.QUEUED).update(state=AuditRun.State.RUNNING):
        return "not queued"
    run = AuditRun.objects.get(pk=run_id)
    actor = requester(run)
    if actor is None:
        _fail(run_id, NOT_ALLOWED)
        return "failed"
    try:
        _complete(run, actor)
    except Exception as exc:  # the page says it failed; the worker carries on with other jobs
        _fail(run_id, f"{type(exc).__name__} while building the audit")
        files.discard([run_id])  # a failed run is never downloadable: keep none of its files
        logger.error("privacy audit #%s failed: %s", run_id, type(exc).__name__)  # the class only: no data
        return "failed"
    return "done"


def recover_stalled() -> dict[str, int]:
    """At worker start (``outbound.worker.on_start``): a run left ``running`` was being built by
    a worker that stopped; nothing will finish it, so it fails (the officer asks again). A run
    whose job is still running belongs to a live worker (``worker.close_orphaned_jobs`` has
    already closed the jobs of dead ones): it is left alone."""
    live = {tuple(args_kwargs.get("args") or ())[:1] for args_kwargs in DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, task_path=jobs.path(JOB)).values_list("args_kwargs", flat=True)}
    stalled = [pk for pk in AuditRun.objects.filter(state=AuditRun.State.RUNNING).values_list("pk", flat=True)
               if (pk,) not in live]
    for run_id in stalled:
        _fail(run_id, WORKER_STOPPED)
    files.discard(stalled)
    return {"privacy audits failed (worker stopped)": len(stalled)}


def do_audit(actor: Actor, *, now: datetime.datetime | None = None) -> AuditRun:
    """Build an audit now (the command line), with the same files and log entry as the job."""
    run = AuditRun.objects.create(created_by=actor.name, requester_role=actor.role, requester_branch=actor.branch,
                                  state=AuditRun.State.RUNNING)
    _complete(run, actor, now=now)
    return run


def _complete(run: AuditRun, actor: Actor, *, now: datetime.datetime | None = None) -> None:
    """Build (the scan reads through the reader, logged), store the files, keep the latest few."""
    data = build.build(actor, now=now)
    files.store(run.pk, data)
    with transaction.atomic():
        run.data = data
        run.state = AuditRun.State.DONE
        run.finished_at = timezone.now()
        run.save(update_fields=["data", "state", "finished_at"])
        finished = AuditRun.objects.filter(state__in=[AuditRun.State.DONE, AuditRun.State.FAILED])
        old = list(finished.order_by("-created_at", "-id").values_list("id", flat=True)[KEEP_RUNS:])
        AuditRun.objects.filter(id__in=old).delete()
        s = data["summary"]
        append(actor, Event.PRIVACY_AUDIT, categories=["statistics"],
               basis=f"audit #{run.pk}: {s['past_limit']} past limit, {s['flagged_staff']} staff flagged, "
                     f"{s['findings']} high-risk finding(s)")
        transaction.on_commit(lambda: files.discard(old))
