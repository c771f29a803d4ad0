"""Tell the director (or designee) at once that a request was made.

The email says only that a request was made, where and when, and links to the
case: no patron data, no officer's name or badge, not even what was asked. Email
is not end-to-end encrypted, and a director's inbox is not the case file.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from quietdesk.staff.models import StaffUser
from quietdesk.staff.roles import Role

log = logging.getLogger(__name__)

SUBJECT = "quietdesk: a request was made - open quietdesk"
REMINDER_SUBJECT = "quietdesk: a deadline is near - open quietdesk"


def recipients() -> list[str]:
    """The configured addresses, then every active director (or designee) with an email."""
    out = list(settings.QUIETDESK_DIRECTOR_EMAIL)
    out += list(
        StaffUser.objects.filter(role=Role.DIRECTOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(a.strip() for a in out if a and a.strip()))


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


def _send(subject: str, text: str, what: str) -> str:
    to = recipients()
    if not to:
        return "no_address"
    message = EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    try:
        message.send(fail_silently=False)
    except (TimeoutError, smtplib.SMTPException, OSError):
        log.warning("%s email failed", what)  # no address, no case detail
        return "failed"
    return "sent"


def send_notice(case) -> str:
    """Send now; returns sent | failed | no_address (never raises)."""
    return _send(SUBJECT, body(case), "request notice")


def send_reminder(case, deadline, days: int) -> str:
    """A deadline reminder, by the same email path; sent | failed | no_address (never raises)."""
    return _send(REMINDER_SUBJECT, reminder_body(case, deadline, days), "deadline reminder")


def send_signal_notice(case) -> str:
    """The same content-free notice over Signal (the rapid-response channel), to the
    numbers or usernames in QUIETDESK_DIRECTOR_SIGNAL; sent | failed | no_address."""
    from quietdesk.alerts.channels import SendStatus, SignalChannel
    from quietdesk.alerts.messages import OutMessage

    to = list(settings.QUIETDESK_DIRECTOR_SIGNAL)
    if not to or not settings.QUIETDESK_SIGNAL_RPC_URL:
        return "no_address"
    channel = SignalChannel()
    sent = 0
    try:
        for number, recipient in enumerate(to):
            message = OutMessage(subject=SUBJECT, text=body(case), idempotency_key=f"{case.pseudonym}-{number}",
                                 ack_url="")
            if channel.send(message, recipient).status in (SendStatus.SENT, SendStatus.DELIVERED):
                sent += 1
    finally:
        channel.close()
    if sent < len(to):
        log.warning("request notice over Signal failed for %d of %d recipients", len(to) - sent, len(to))
    return "sent" if sent else "failed"


def notify_on_commit(case_id) -> None:
    """Send the notice once the case is committed, and record how it went."""

    def _send():
        from .models import Case
        from .services import record_notice

        case = Case.objects.select_related("branch").get(pk=case_id)
        record_notice(case, send_notice(case))
        signal = send_signal_notice(case)
        if signal != "no_address":
            record_notice(case, f"signal_{signal}")

    transaction.on_commit(_send)
