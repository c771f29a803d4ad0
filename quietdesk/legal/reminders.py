"""Deadline reminders to the director, before the deadline and never after it.

Two deadlines: a subpoena's (or any request's) return date, while its case is open and
nothing was produced; and the third calendar day after a request about a member of staff,
until their copy is recorded (ICE protocol, Collective bargaining). Reminders go
``QUIETDESK_RETURN_DATE_REMINDER_DAYS`` (7 and 2) and ``QUIETDESK_STAFF_COPY_REMINDER_DAYS``
(2 and 1) days before, to the director's notice addresses (no details), from ``quietdesk
legal_reminders`` run by cron or a systemd timer (hourly is fine), through the durable
send that every outbound message takes (``outbound.sending``, sent by the worker).

Each reminder is sent once:

* A ``Reminder`` row per (case, deadline, days before), unique, is the claim: it is
  committed (state ``sending``) with its ``outbound.Message`` rows, one per address. A run
  that finds it does nothing. The worker sends them, retries a server that does not
  answer, and gives up at the start of the deadline's day (``not_after``): nothing is sent
  on or after the deadline. When every message is done ``on_recorded`` marks the reminder
  ``sent`` (each address has it) or ``failed``; a failed one is queued again at the next
  run, while the deadline is still ahead, for the addresses that do not have it. A
  reminder left ``sending`` after its messages finished (the hook failed and was undone)
  is settled the same way by the next run, and so queued again if it failed.
* A run that misses a day queues only the nearest reminder due: the further ones are
  recorded as ``skipped`` (one email, not two at once).
* A worker killed mid-send resends the one message in flight (at most one duplicate per
  crash, as for every outbound message), because a missed deadline costs more.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor
from quietdesk.outbound import sending
from quietdesk.outbound.models import Message, MessageState
from quietdesk.vault import api as vault

from . import notify, timeline
from .models import Case, CaseEvent, Reminder, State

TOPIC = "legal.reminder"
ACTOR = Actor.system("legal-reminders")
SUMMARY: dict[str, str] = {Reminder.Kind.RETURN_DATE: "return date", Reminder.Kind.STAFF_COPY: "staff member's copy due"}


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


def _not_after(deadline: datetime.date) -> datetime.datetime:
    """The start of the deadline's day, local time: never sent on or after it."""
    return timezone.make_aware(datetime.datetime.combine(deadline, datetime.time.min))


def _queue(item: Due, row: Reminder) -> bool:
    """Queue the reminder's messages to the addresses that do not have it yet; False if there are none."""
    have = set(Message.objects.filter(topic=TOPIC, about=str(row.pk), state__in=notify.DONE)
               .values_list("recipient", flat=True))
    to = [("email", a) for a in notify.recipients() if a not in have]
    if not to:
        return False
    sending.queue(TOPIC, str(row.pk), to, notify.REMINDER_SUBJECT,
                  notify.reminder_body(item.case, item.deadline, item.days_before), not_after=_not_after(item.deadline))
    return True


def _claim(item: Due) -> Reminder | None:
    """The reminder's row, queued now, or None when it is already sent or on its way."""
    key = {"case": item.case, "kind": item.kind, "deadline": item.deadline}
    with transaction.atomic():
        for days in item.skipped:
            Reminder.objects.get_or_create(**key, days_before=days, defaults={"state": Reminder.State.SKIPPED})
        row, created = Reminder.objects.get_or_create(
            **key, days_before=item.days_before, defaults={"state": Reminder.State.SENDING, "attempts": 1})
        if not created:
            row = Reminder.objects.select_for_update(of=("self",)).select_related("case").get(pk=row.pk)
            if row.state == Reminder.State.SENDING:
                # A hook that failed (sending._after logs and undoes it) leaves the reminder
                # 'sending' although all its messages are done: settle it as on_recorded would.
                _settle(row)
            if not Reminder.objects.filter(pk=row.pk, state=Reminder.State.FAILED).update(
                    state=Reminder.State.SENDING, attempts=F("attempts") + 1):
                return None
            row.refresh_from_db()
        if not _queue(item, row):
            _record(row, sent=False, why="no address")
        return row


def _record(row: Reminder, *, sent: bool, why: str = "") -> None:
    """Mark the reminder (inside the caller's transaction); its timeline entry is written when it
    is sent, and for a failure only the first time (failures are written once, not at every retry)."""
    moved = Reminder.objects.filter(pk=row.pk, state=Reminder.State.SENDING).update(
        state=Reminder.State.SENT if sent else Reminder.State.FAILED, sent_at=timezone.now() if sent else None)
    if not moved or not (sent or row.attempts == 1):
        return
    what = f"{SUMMARY[row.kind]} {row.deadline}, {row.days_before} day(s) before"
    outcome = "emailed to the director" if sent else f"not emailed ({why})"
    timeline.add_event(row.case, vault.sealer_for(row.case_id), ACTOR.name, CaseEvent.Kind.REMINDER,
                       f"reminder {outcome}: {what}")
    timeline.log_case(ACTOR, row.case, Event.CASE_REMINDER, basis=f"reminder {outcome}: {what}")


def _settle(row: Reminder) -> None:
    """Once every message of the reminder is done, mark it sent (every address has it) or failed."""
    rows = list(Message.objects.filter(topic=TOPIC, about=str(row.pk)).values_list("recipient", "state"))
    if any(state in (MessageState.PENDING, MessageState.SENDING) for _, state in rows):
        return
    have = {recipient for recipient, state in rows if state in notify.DONE}
    # all() of an earlier failure to an address that has it now; no rows at all is not sent
    sent = bool(rows) and all(recipient in have for recipient, _ in rows)
    _record(row, sent=sent, why="" if sent else "the mail server did not take it in time")


def on_recorded(message: Message) -> None:
    """After each attempt (the worker, in the transaction that records it): once every message of
    the reminder is done, the reminder is sent or failed. The reminder's row is locked before its
    messages are read: two workers recording its last two messages at once would otherwise each
    see the other's still 'sending' (PostgreSQL, read committed) and neither settle it."""
    if not message.finished:
        return
    row = Reminder.objects.select_for_update(of=("self",)).select_related("case").filter(pk=message.about).first()
    if row is None:
        return
    _settle(row)


def run(today: datetime.date | None = None, *, dry_run: bool = False) -> dict[str, int]:
    """Queue what is due for the worker; idempotent. Returns counts: due now, queued, failed
    (no address to send to), already queued or sent."""
    items = due(today)
    counts = {"due": len(items), "queued": 0, "failed": 0, "already": 0}
    for item in [] if dry_run else items:
        row = _claim(item)
        if row is None:
            counts["already"] += 1
            continue
        row.refresh_from_db()
        counts["failed" if row.state == Reminder.State.FAILED else "queued"] += 1
    return counts
