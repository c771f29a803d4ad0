"""A privacy audit from the button to the files: never inside a web request.

The audit decrypts and scans every free-text field, so it can take minutes: the page
only queues it (``do_request_audit``: a queued AuditRun and a job by name, in one
transaction), and ``quietdesk outbound_worker`` builds it (``run_queued``). The job acts
as the member of staff who asked, so every record the scan reads is logged under their
name, as when the audit ran in the page. ``do_audit`` does the same at once, for the
command line (``quietdesk privacy report``).
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.outbound import jobs

from ..models import AuditRun
from . import build, files

JOB = "privacy.build_audit"
KEEP_RUNS = 12
logger = logging.getLogger(__name__)


def do_request_audit(actor: Actor) -> AuditRun:
    """Queue an audit for the worker; the page shows its state until it is done."""
    with transaction.atomic():
        run = AuditRun.objects.create(created_by=actor.name, requester_role=actor.role,
                                      requester_branch=actor.branch, state=AuditRun.State.QUEUED)
        jobs.enqueue(JOB, run.pk)
    return run


def requester(run: AuditRun) -> Actor:
    return Actor(name=run.created_by, role=run.requester_role or "unknown", branch=run.requester_branch)


def run_queued(run_id: int) -> str:
    """The worker's job: build a queued audit once (a second delivery finds it taken)."""
    if not AuditRun.objects.filter(pk=run_id, state=AuditRun.State.QUEUED).update(state=AuditRun.State.RUNNING):
        return "not queued"
    run = AuditRun.objects.get(pk=run_id)
    try:
        _complete(run, requester(run))
    except Exception as exc:  # the page says it failed; the worker carries on with other jobs
        failure = f"{type(exc).__name__} while building the audit"
        AuditRun.objects.filter(pk=run_id).update(state=AuditRun.State.FAILED, failure=failure,
                                                  finished_at=timezone.now())
        logger.error("privacy audit #%s failed: %s", run_id, type(exc).__name__)  # the class only: no data
        return "failed"
    return "done"


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
