"""Tell the director (or designee) at once that a request was made: through the durable send.

The notice says only that a request was made, where and when, and links to the case: no
patron data, no officer's name or badge, not even what was asked. Email is not end-to-end
encrypted, and a director's inbox is not the case file.

``queue_notice`` runs inside the transaction that opens the case: one ``outbound.Message``
per address (email to ``QUIETDESK_DIRECTOR_EMAIL`` and every active director with an
address; Signal to ``QUIETDESK_DIRECTOR_SIGNAL`` when a signal-cli daemon is set up). The
desk's request does not wait on any server: the worker sends, retries while the notice is
still of use (``NOTICE_WINDOW``), and after each attempt ``on_recorded`` writes the outcome
on the case (its ``notice`` state, its timeline, the access log), in the same transaction.
The case page lists each message's delivery state (``deliveries``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor
from quietdesk.outbound import sending
from quietdesk.outbound.models import Message, MessageState
from quietdesk.staff.models import StaffUser
from quietdesk.staff.roles import Role
from quietdesk.vault import api as vault

from . import timeline
from .models import Case, CaseEvent

TOPIC = "legal.case_notice"
SUBJECT = "quietdesk: a request was made - open quietdesk"
REMINDER_SUBJECT = "quietdesk: a deadline is near - open quietdesk"
NOTICE_WINDOW = datetime.timedelta(hours=24)  # then "someone is asking" is stale: failed, and shown so
ACTOR = Actor.system("request-notice")
SUMMARY = {
    "sent": "director emailed", "failed": "email to the director failed",
    "retrying": "email to the director failed; trying again",
    "no_address": "no director email configured",
    "signal_sent": "director alerted over Signal", "signal_failed": "Signal alert to the director failed",
    "signal_retrying": "Signal alert to the director failed; trying again",
}
DONE = (MessageState.SENT, MessageState.DELIVERED)


def recipients() -> list[str]:
    """The configured addresses, then every active director (or designee) with an email."""
    out = list(settings.QUIETDESK_DIRECTOR_EMAIL)
    out += list(
        StaffUser.objects.filter(role=Role.DIRECTOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(a.strip() for a in out if a and a.strip()))


def signal_recipients() -> list[str]:
    """The director's Signal numbers or usernames, when a signal-cli daemon is set up."""
    if not settings.QUIETDESK_SIGNAL_RPC_URL:
        return []
    return list(dict.fromkeys(a.strip() for a in settings.QUIETDESK_DIRECTOR_SIGNAL if a and a.strip()))


def body(case) -> str:
    when = timezone.localtime(case.arrived_at).strftime("%H:%M on %d %b %Y")
    where = f" at {case.branch.name}" if case.branch else ""
    link = _link(case)
    return (
        f"A request was made{where} at {when}.\n\n"
        f"Open quietdesk to see it (reference {case.pseudonym}):\n{link}\n\n"
        "This email deliberately contains no details. Please call the desk if you cannot sign in.\n"
    )


def _link(case) -> str:
    return settings.QUIETDESK_BASE_URL.rstrip("/") + reverse("legal:case", args=[case.id])


def reminder_body(case, deadline, days: int) -> str:
    """As content-free as the notice: not even which deadline (a subpoena's return date, or a
    staff member's copy: that a request concerns an employee is itself not for an inbox)."""
    return (
        f"A deadline on a request recorded in quietdesk is {deadline:%d %b %Y}, in {days} day(s).\n\n"
        f"Open quietdesk to see it (reference {case.pseudonym}):\n{_link(case)}\n\n"
        "This email deliberately contains no details.\n"
    )


def record_notice(case: Case, status: str) -> None:
    """The outcome on the case's timeline and in the access log (inside the caller's transaction)."""
    summary = SUMMARY[status]
    timeline.add_event(case, vault.sealer_for(case.id), "system:notify", CaseEvent.Kind.NOTICE, summary)
    timeline.log_case(ACTOR, case, Event.CASE_NOTICE, basis=summary)


def queue_notice(case: Case) -> None:
    """Queue the notice inside the transaction that opens ``case``; sent by the worker."""
    emails, numbers = recipients(), signal_recipients()
    to = [("email", a) for a in emails] + [("signal", n) for n in numbers]
    sending.queue(TOPIC, str(case.id), to, SUBJECT, body(case), not_after=case.arrived_at + NOTICE_WINDOW)
    if not emails:
        Case.objects.filter(pk=case.pk).update(notice="no_address")
        record_notice(case, "no_address")


def email_state(case_id) -> str:
    """The case's ``notice``: sent once any address has it; failed once an attempt failed and
    none has it (the worker may still be trying); pending before that."""
    rows = [m for m in sending.about(TOPIC, case_id) if m.channel == "email"]
    if not rows:
        return "no_address"
    if any(m.state in DONE for m in rows):
        return "sent"
    if any(m.state == MessageState.FAILED or m.attempts for m in rows):
        return "failed"
    return "pending"


def on_recorded(message: Message) -> None:
    """After each attempt (the worker, in the transaction that records it). The case is locked
    before its messages are read, as in reminders.on_recorded."""
    case = Case.objects.select_for_update().filter(pk=message.about).first()
    if case is None:
        return
    prefix = "signal_" if message.channel == "signal" else ""
    if message.state in DONE:
        record_notice(case, prefix + "sent")
    elif message.state == MessageState.FAILED:
        record_notice(case, prefix + "failed")
    elif message.attempts == 1:
        record_notice(case, prefix + "retrying")  # once, not at every retry
    if message.channel == "email":
        Case.objects.filter(pk=case.pk).update(notice=email_state(case.pk))


def deliveries(case: Case) -> list[dict]:
    """What the case page shows: each message of the notice and how it went."""
    out = []
    for m in sending.about(TOPIC, case.id):
        out.append({"channel": "Signal" if m.channel == "signal" else "Email", "to": m.recipient,
                    "state": m.get_state_display(), "done": m.state in DONE, "failed": m.state == MessageState.FAILED,
                    "attempts": m.attempts, "note": m.note, "sent_at": m.sent_at})
    return out


def retry_at(case: Case):
    """When the worker next tries an email of the notice that has not gone yet (None if none waits)."""
    waiting = [m.next_attempt_at for m in sending.about(TOPIC, case.id)
               if m.channel == "email" and m.state == MessageState.PENDING and m.next_attempt_at]
    return min(waiting) if waiting else None
