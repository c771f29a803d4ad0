"""Deadline reminders to the director, before the deadline and never after it.

Two deadlines: a subpoena's (or any request's) return date, while its case is open and
nothing was produced; and the third calendar day after a request about a member of staff,
until their copy is recorded (ICE protocol, Collective bargaining). Reminders go
``QUIETDESK_RETURN_DATE_REMINDER_DAYS`` (7 and 2) and ``QUIETDESK_STAFF_COPY_REMINDER_DAYS``
(2 and 1) days before, by the director's email path (``notify.send_reminder``: no details),
from ``quietdesk legal_reminders`` run by cron or a systemd timer (hourly is fine).

Each reminder is sent once:

* A ``Reminder`` row per (case, deadline, days before), unique, is the claim: it is
  committed (state ``sending``) before the email leaves and marked ``sent`` after. A run
  that finds it sent does nothing; a ``failed`` one is tried again at the next run, while
  the deadline is still ahead.
* A run that misses a day sends only the nearest reminder due: the further ones are
  recorded as ``skipped`` (one email, not two at once). On or after the deadline nothing
  is sent.
* A run killed between the mail server's acceptance and the ``sent`` mark leaves the row
  ``sending``; once its claim lapses (``LEASE``) it is sent again: at most one duplicate
  per crash, as for alerts (``alerts/delivery.py``), because a missed deadline costs more.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor
from quietdesk.vault import api as vault

from . import notify, services
from .models import Case, CaseEvent, Reminder, State

LEASE = datetime.timedelta(minutes=10)
ACTOR = Actor.system("legal-reminders")
SUMMARY = {Reminder.Kind.RETURN_DATE: "return date", Reminder.Kind.STAFF_COPY: "staff member's copy due"}


@dataclass(frozen=True)
class Due:
    case: Case
    kind: str
    deadline: datetime.date
    days_before: int  # the nearest reminder due
    skipped: tuple[int, ...]  # further ones also due: never sent now


def _due(case: Case, kind: str, deadline: datetime.date | None, leads, today: datetime.date) -> Due | None:
    if deadline is None or deadline <= today:
        return None
    ready = sorted(d for d in leads if deadline - datetime.timedelta(days=d) <= today)
    if not ready:
        return None
    return Due(case, kind, deadline, ready[0], tuple(ready[1:]))


def due(today: datetime.date | None = None) -> list[Due]:
    today = today or timezone.localdate()
    out = []
    answering = Case.objects.exclude(state__in=[State.CLOSED, State.PRODUCED]).filter(return_date__gt=today)
    for case in answering:
        item = _due(case, Reminder.Kind.RETURN_DATE, case.return_date, settings.QUIETDESK_RETURN_DATE_REMINDER_DAYS,
                    today)
        if item:
            out.append(item)
    recent = timezone.now() - datetime.timedelta(days=5)  # the copy is due on the third day
    for case in Case.objects.filter(concerns_staff=True, staff_copy_on__isnull=True, arrived_at__gte=recent):
        item = _due(case, Reminder.Kind.STAFF_COPY, case.staff_inform_by, settings.QUIETDESK_STAFF_COPY_REMINDER_DAYS,
                    today)
        if item:
            out.append(item)
    return out


def _claim(item: Due, now: datetime.datetime) -> Reminder | None:
    key = {"case": item.case, "kind": item.kind, "deadline": item.deadline}
    for days in item.skipped:
        Reminder.objects.get_or_create(**key, days_before=days, defaults={"state": Reminder.State.SKIPPED})
    row, created = Reminder.objects.get_or_create(
        **key, days_before=item.days_before,
        defaults={"state": Reminder.State.SENDING, "attempts": 1, "claimed_until": now + LEASE},
    )
    if created:
        return row
    taken = Reminder.objects.filter(pk=row.pk).filter(
        Q(state=Reminder.State.FAILED) | Q(state=Reminder.State.SENDING, claimed_until__lt=now)
    ).update(state=Reminder.State.SENDING, attempts=F("attempts") + 1, claimed_until=now + LEASE)
    return Reminder.objects.get(pk=row.pk) if taken else None


def _record(item: Due, row: Reminder, status: str) -> None:
    sent = status == "sent"
    with transaction.atomic():
        moved = Reminder.objects.filter(pk=row.pk, state=Reminder.State.SENDING).update(
            state=Reminder.State.SENT if sent else Reminder.State.FAILED, claimed_until=None,
            sent_at=timezone.now() if sent else None)
        if not moved or not (sent or row.attempts == 1):
            return  # failures are written once, not at every retry
        what = f"{SUMMARY[item.kind]} {item.deadline}, {item.days_before} day(s) before"
        outcome = "emailed to the director" if sent else f"not emailed ({status.replace('_', ' ')})"
        services._event(item.case, vault.sealer_for(item.case.id), ACTOR.name, CaseEvent.Kind.REMINDER,
                        f"reminder {outcome}: {what}")
        services.log_case(ACTOR, item.case, Event.CASE_REMINDER, basis=f"reminder {outcome}: {what}")


def run(today: datetime.date | None = None, *, dry_run: bool = False) -> dict[str, int]:
    """Send what is due; idempotent. Returns counts: due now, sent, failed, already sent
    (or being sent by another run)."""
    items = due(today)
    counts = {"due": len(items), "sent": 0, "failed": 0, "already": 0}
    for item in [] if dry_run else items:
        row = _claim(item, timezone.now())
        if row is None:
            counts["already"] += 1
            continue
        status = notify.send_reminder(item.case, item.deadline, item.days_before)
        _record(item, row, status)
        counts["sent" if status == "sent" else "failed"] += 1
    return counts
