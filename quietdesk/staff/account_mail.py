"""Emails about staff account changes: to the director, and to the account holder.

Each says what changed, on which account and who asked or decided, and links to the
change in quietdesk; never a password or an enrollment code. They are queued with the
change, in its transaction, and sent by the outbound worker (``outbound.sending``), one
message per address, retried while a server does not answer. How the director's email
went is recorded on the change after each attempt (``on_recorded``: sent, failed, or no
address configured) and shown as such: quietdesk never says a notice went out when it
did not.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from quietdesk.outbound import sending
from quietdesk.outbound.models import Message, MessageState

from .approval import KIND_LABELS, Kind
from .models import StaffChange, StaffUser
from .roles import ROLE_LABELS, Role

DIRECTOR_TOPIC, HOLDER_TOPIC = "staff.change_notice", "staff.holder_notice"
KEEP_TRYING = datetime.timedelta(days=2)
SENT, FAILED, NO_ADDRESS, PENDING = "sent", "failed", "no_address", "pending"
NOTICE_WORDS = {
    SENT: "the director was emailed",
    FAILED: "the email to the director failed: tell the director yourself",
    NO_ADDRESS: "no director's email address is configured (QUIETDESK_DIRECTOR_EMAIL), so nobody was emailed",
    PENDING: "the director's email is queued: quietdesk's background worker sends it",
    "": "the director's email has not been sent yet",
}
DONE = (MessageState.SENT, MessageState.DELIVERED)


def director_addresses() -> list[str]:
    """The configured addresses, then every active director (or designee) with an email."""
    out = list(settings.QUIETDESK_DIRECTOR_EMAIL)
    out += list(StaffUser.objects.filter(role=Role.DIRECTOR, is_active=True).exclude(email="")
                .values_list("email", flat=True))
    return list(dict.fromkeys(a.strip() for a in out if a and a.strip()))


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


def notify_director(change_id: uuid.UUID, field: str, what: str) -> None:
    """Queue the director's email about the change (in the caller's transaction); ``field``
    (asked_notice or done_notice) says how it went, after each attempt."""
    change = StaffChange.objects.select_related("branch", "requested_by", "decided_by").get(pk=change_id)
    to = director_addresses()
    sending.queue(DIRECTOR_TOPIC, f"{change_id}:{field}", [("email", a) for a in to],
                  f"quietdesk: staff account - {what}", director_body(change, what),
                  not_after=timezone.now() + KEEP_TRYING)
    StaffChange.objects.filter(pk=change_id).update(**{field: PENDING if to else NO_ADDRESS})


def on_recorded(message: Message) -> None:
    """After each attempt (the worker, in the transaction that records it): sent once any address
    has it; failed once an attempt failed and none has it (the worker may still be trying)."""
    change_id, _, field = message.about.partition(":")
    if field not in ("asked_notice", "done_notice"):
        return
    # Lock the change before reading its messages: two workers recording two of them at once
    # must not each decide from the other's uncommitted state (PostgreSQL, read committed).
    if StaffChange.objects.select_for_update().filter(pk=change_id).first() is None:
        return
    rows = sending.about(DIRECTOR_TOPIC, message.about)
    if any(m.state in DONE for m in rows):
        status = SENT
    elif any(m.state == MessageState.FAILED or m.attempts for m in rows):
        status = FAILED
    else:
        status = PENDING
    StaffChange.objects.filter(pk=change_id).update(**{field: status})


HOLDER_WORDS: dict[str, str] = {
    Kind.CREATE: "A quietdesk account was made for you: the director will give you an enrollment code",
    Kind.ROLE: "The role of your quietdesk account was changed",
    Kind.RESET: "The sign-in of your quietdesk account was reset: the director will give you an enrollment code",
    Kind.DEACTIVATE: "Your quietdesk account was deactivated",
    Kind.END_SESSIONS: "Your quietdesk account was signed out everywhere",
}


def tell_holder(address: str, username: str, kind: str, by: str) -> None:
    """A change the holder did not make must not go unnoticed (account takeover). Queued in the
    caller's transaction, like the director's."""
    what = HOLDER_WORDS.get(kind)
    if not address or what is None:
        return
    body = f"{what} (account {username}, by {by}).\nIf you did not expect this, tell the director at once.\n"
    sending.queue(HOLDER_TOPIC, username, [("email", address)], f"quietdesk: {what.split(':')[0].lower()}", body,
                  not_after=timezone.now() + KEEP_TRYING)
