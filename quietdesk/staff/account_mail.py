"""Emails about staff account changes: to the director, and to the account holder.

Each says what changed, on which account and who asked or decided, and links to the
change in quietdesk; never a password or an enrollment code. How the director's email
went is recorded on the change (sent, failed, or no address configured) and shown as
such: quietdesk never says a notice went out when it did not.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse

from .approval import KIND_LABELS, Kind
from .models import StaffChange, StaffUser
from .roles import ROLE_LABELS, Role

log = logging.getLogger(__name__)

SENT, FAILED, NO_ADDRESS = "sent", "failed", "no_address"
NOTICE_WORDS = {
    SENT: "the director was emailed",
    FAILED: "the email to the director failed: tell the director yourself",
    NO_ADDRESS: "no director's email address is configured (QUIETDESK_DIRECTOR_EMAIL), so nobody was emailed",
    "": "the director's email has not been sent yet",
}


def director_addresses() -> list[str]:
    """The configured addresses, then every active director (or designee) with an email."""
    out = list(settings.QUIETDESK_DIRECTOR_EMAIL)
    out += list(StaffUser.objects.filter(role=Role.DIRECTOR, is_active=True).exclude(email="")
                .values_list("email", flat=True))
    return list(dict.fromkeys(a.strip() for a in out if a and a.strip()))


def _send(subject: str, body: str, to: list[str]) -> str:
    if not to:
        return NO_ADDRESS
    try:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to).send(fail_silently=False)
    except (TimeoutError, smtplib.SMTPException, OSError):
        log.warning("staff account notice email failed")  # no address, no account named
        return FAILED
    return SENT


def _role(role: str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return role or "-"


def director_body(change: StaffChange, what: str) -> str:
    link = settings.QUIETDESK_BASE_URL.rstrip("/") + reverse("staff:change", args=[change.id])
    lines = [
        what,
        "",
        f"Change: {KIND_LABELS.get(change.kind, change.kind)}",
        f"Account: {change.username}",
        f"Role: {_role(change.role)}" + (f" (was {_role(change.role_before)})"
                                         if change.role_before and change.role_before != change.role else ""),
        f"Branch: {change.branch.name if change.branch else 'all branches'}",
        f"Asked by: {change.requested_by.username if change.requested_by else '-'}",
    ]
    if change.decided_by:
        lines.append(f"Decided by: {change.decided_by.username}")
    lines += ["", f"Open quietdesk to see it: {link}", "",
              "If you did not expect this change, check it at once: it may be an attempt to reach patron records."]
    return "\n".join(lines) + "\n"


def notify_director_on_commit(change_id, field: str, what: str) -> None:
    """Email the director once the change is committed, and record how it went in ``field``."""

    def _send_now():
        change = StaffChange.objects.select_related("branch", "requested_by", "decided_by").get(pk=change_id)
        status = _send(f"quietdesk: staff account - {what}", director_body(change, what), director_addresses())
        StaffChange.objects.filter(pk=change_id).update(**{field: status})

    transaction.on_commit(_send_now)


HOLDER_WORDS = {
    Kind.CREATE: "A quietdesk account was made for you: the director will give you an enrollment code",
    Kind.ROLE: "The role of your quietdesk account was changed",
    Kind.RESET: "The sign-in of your quietdesk account was reset: the director will give you an enrollment code",
    Kind.DEACTIVATE: "Your quietdesk account was deactivated",
    Kind.END_SESSIONS: "Your quietdesk account was signed out everywhere",
}


def tell_holder_on_commit(address: str, username: str, kind: str, by: str) -> None:
    """A change the holder did not make must not go unnoticed (account takeover)."""
    what = HOLDER_WORDS.get(kind)
    if not address or what is None:
        return
    body = f"{what} (account {username}, by {by}).\nIf you did not expect this, tell the director at once.\n"
    transaction.on_commit(lambda: _send(f"quietdesk: {what.split(':')[0].lower()}", body, [address]))
