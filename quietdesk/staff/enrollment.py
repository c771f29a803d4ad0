"""One-time enrollment codes: how a member of staff sets their own password, and enrols
their authenticator when their role needs one. Nobody else ever sees the password.

A code is issued when a granted change takes effect (``changes.py``) and shown once to
the director who approved or made it, who hands it over. It is random (24 characters
from a 30-letter alphabet without look-alikes, about 118 bits), stored only as its
SHA-256, valid for ``QUIETDESK_STAFF_ENROLLMENT_HOURS`` (24), used once (the row is
deleted in the transaction that sets the password), and replaced by any newer code for
the same account. Until it is used the account has no usable password, so an account
whose code was never handed over is no way in for anyone.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.vault import api as vault

from . import account_mail
from .approval import Kind
from .models import EnrollmentCode, SealedTOTPDevice, StaffChange, StaffUser

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no I, L, O, U, 0, 1
LENGTH = 24


class EnrollmentError(Exception):
    """The code was refused; the message is safe to show."""


class AuthenticatorMismatch(EnrollmentError):
    """The authenticator's code did not match the one being enrolled."""


INVALID = ("This enrollment code is not valid: it was already used, it expired, or a newer one replaced it. "
           "Ask the administrator for a new one; the director approves it and hands it to you.")


def normalize(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalize(code).encode("ascii", "replace")).hexdigest()


def grouped(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.QUIETDESK_STAFF_ENROLLMENT_HOURS)


def page_address() -> str:
    """Where the code is typed. The code itself never goes into a URL (access logs keep paths)."""
    return settings.QUIETDESK_BASE_URL.rstrip("/") + reverse("staff:enroll")


def issue(account: StaffUser) -> tuple[str, datetime.datetime]:
    """A new code for the account (the caller's transaction); any older code stops working."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    expires_at = timezone.now() + lifetime()
    EnrollmentCode.objects.update_or_create(account=account, defaults={"code_hash": code_hash(code),
                                                                        "expires_at": expires_at})
    return code, expires_at


def find(hashed: str) -> EnrollmentCode | None:
    """The live code with this hash, or None (unknown, used, replaced or expired: one answer)."""
    if not hashed:
        return None
    found = EnrollmentCode.objects.select_related("account").filter(code_hash=hashed).first()
    if found is None or found.expires_at <= timezone.now() or not found.account.is_active:
        return None
    return found


def pending_device(account: StaffUser, *, fresh: bool) -> tuple[SealedTOTPDevice, bytes]:
    """The authenticator being enrolled and its seed; ``fresh`` replaces it with a new seed."""
    device = account.sealedtotpdevice_set.filter(confirmed=False).first()
    if device is not None and not fresh:
        return device, device.provisioning_seed()
    seed = secrets.token_bytes(20)
    with transaction.atomic():
        for stale in account.sealedtotpdevice_set.filter(confirmed=False):
            vault.shred(stale.subject_id)
            stale.delete()
        device = SealedTOTPDevice(user=account, name="authenticator", confirmed=False)
        device.set_seed(seed, new=True)
        device.save()
    return device, seed


def do_enroll(hashed: str, password: str, totp_code: str | None) -> tuple[StaffUser, SealedTOTPDevice | None,
                                                                            StaffChange]:
    """Use the code: set the password, confirm the authenticator (second-factor roles), delete the code.

    All or nothing, and at most once: the code's row is locked, checked and deleted in
    one transaction, so two tabs racing with one code cannot both succeed.
    """
    with transaction.atomic():
        found = EnrollmentCode.objects.select_for_update().filter(code_hash=hashed).first()
        if found is None or found.expires_at <= timezone.now():
            raise EnrollmentError(INVALID)
        account = StaffUser.objects.select_for_update().get(pk=found.account_id)
        if not account.is_active:
            raise EnrollmentError(INVALID)
        validate_password(password, account)  # ValidationError: the form shows it
        device = None
        if account.needs_second_factor:
            device = account.sealedtotpdevice_set.filter(confirmed=False).first()
            if device is None or not totp_code or not device.verify_token(totp_code):
                raise AuthenticatorMismatch("That code did not match. Check the time on your phone, wait for a new "
                                      "code and try again.")
            for old in account.sealedtotpdevice_set.exclude(pk=device.pk):
                vault.shred(old.subject_id)
                old.delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        account.set_password(password)
        account.save(update_fields=["password"])
        found.delete()
        change = StaffChange.objects.create(
            kind=Kind.ENROLLED, state=StaffChange.State.APPLIED, username=account.username, role=account.role,
            branch=account.branch, account=account, role_before=account.role, requested_by=account,
            requested_at=timezone.now(), decided_at=timezone.now(),
        )
        append(Actor.for_user(account), Event.STAFF_ACCOUNT,
               basis=f"{account.username} used an enrollment code: password set"
                     + (", authenticator enrolled" if device else ""))
        account_mail.notify_director(change.id, "done_notice", f"{account.username} completed enrollment")
    return account, device, change
