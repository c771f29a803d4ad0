"""Staff administration. Every change is written to the access log, so the
privacy officer can see who was given which role, and when."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.vault import api as vault

from .models import StaffUser


def temporary_password() -> str:
    return "-".join(secrets.token_urlsafe(5) for _ in range(3))


def do_create_staff(actor: Actor, *, username: str, role: str, branch=None) -> tuple[StaffUser, str]:
    password = temporary_password()
    with transaction.atomic():
        user = StaffUser(username=username, role=role, branch=branch)
        validate_password(password, user)
        user.set_password(password)
        user.save()
        append(actor, Event.STAFF_ACCOUNT, basis=f"account {username} created with role {role}")
    return user, password


def do_change_role(actor: Actor, user: StaffUser, role: str, branch=None) -> None:
    with transaction.atomic():
        old = user.role
        user.role, user.branch = role, branch
        user.save(update_fields=["role", "branch"])
        append(actor, Event.STAFF_ACCOUNT, basis=f"{user.username}: {old} -> {role}")
    end_sessions(user)


def _tell_account_holder(user: StaffUser, what: str, actor: Actor) -> None:
    """A reset the holder did not ask for must not go unnoticed (account takeover)."""
    if user.email:
        send_mail(
            f"quietdesk: {what}",
            f"{what} on your quietdesk account ({user.username}) by {actor.name}.\n"
            "If you did not expect this, tell the director at once.",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
            fail_silently=True,
        )


def end_sessions(user: StaffUser) -> int:
    """Sign a member of staff out everywhere (ASVS 7.4.5)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def do_deactivate(actor: Actor, user: StaffUser) -> None:
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        append(actor, Event.STAFF_ACCOUNT, basis=f"account {user.username} deactivated")
    end_sessions(user)


def do_reset_password(actor: Actor, user: StaffUser) -> str:
    password = temporary_password()
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        append(actor, Event.STAFF_ACCOUNT, basis=f"password of {user.username} reset")
    end_sessions(user)
    _tell_account_holder(user, "Your password was reset", actor)
    return password


def do_reset_second_factor(actor: Actor, user: StaffUser) -> None:
    """The member of staff must enrol a new authenticator at next sign-in."""
    with transaction.atomic():
        for device in user.sealedtotpdevice_set.all():
            vault.shred(device.subject_id)
            device.delete()
        append(actor, Event.STAFF_ACCOUNT, basis=f"second factor of {user.username} reset")
    end_sessions(user)
    _tell_account_holder(user, "Your second factor was reset", actor)
