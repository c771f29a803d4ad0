"""Staff administration: every change is asked for, decided and applied here.

The rules are in ``approval.py``. A change that gives someone a way into patron data
is stored as a pending ``StaffChange`` and does nothing until a director, with a second
factor, who neither asked for it nor holds the account, approves exactly it
(``do_approve``). Every step is written to the access log (``Event.STAFF_ACCOUNT``) in
its transaction, and the director's email is queued with it (``account_mail``, sent by the outbound worker).
No password is ever made or shown: a granted change ends with an enrollment code
(``enrollment.py``) shown once to the director who approved or made it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.vault import api as vault

from . import account_mail, enrollment
from .approval import (
    KIND_LABELS,
    TAKING_AWAY,
    Kind,
    needs_second_person,
    refusal_to_approve,
    refusal_to_ask,
)
from .models import EnrollmentCode, StaffChange, StaffUser
from .roles import Role


class ChangeError(Exception):
    """A change was refused; the message is safe to show."""


@dataclass(frozen=True)
class Outcome:
    change: StaffChange
    code: str | None = None  # an enrollment code, to show once to the director
    code_expires_at: datetime.datetime | None = None

    @property
    def waiting(self) -> bool:
        return self.change.state == StaffChange.State.PENDING


def request_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.QUIETDESK_STAFF_REQUEST_DAYS)


def is_expired(change: StaffChange) -> bool:
    return change.state == StaffChange.State.PENDING and change.requested_at + request_lifetime() <= timezone.now()


def binding(change: StaffChange) -> str:
    """What an approval is bound to: this request, exactly as the approver was shown it."""
    named = "\x00".join([str(change.id), change.kind, change.username, change.role, str(change.branch_id or ""),
                         str(change.account_id or ""), change.role_before])
    return salted_hmac("quietdesk.staff.approval", named, algorithm="sha256").hexdigest()


def second_factor_passed(user) -> bool:
    """Whether this user's session passed the second factor (django-otp's middleware says so)."""
    verified = getattr(user, "is_verified", None)
    return bool(callable(verified) and verified())


def _describe(change: StaffChange) -> str:
    what = KIND_LABELS.get(change.kind, change.kind).lower()
    detail = f" as {change.role}" if change.kind in (Kind.CREATE, Kind.ROLE) else ""
    branch = f" (branch {change.branch.code})" if change.branch and change.kind in (Kind.CREATE, Kind.ROLE) else ""
    return f"change {str(change.id)[:8]}: {what} for {change.username}{detail}{branch}"


# --- asking -------------------------------------------------------------------------


def pending_approvals(user: StaffUser) -> list[tuple[str, str]]:
    """Account changes waiting for ``user``'s approval (for the home page): (title, url).
    Only for a member of staff who may approve, and never their own request or account."""
    from django.urls import reverse

    from quietdesk.staff.roles import Cap, has_cap

    if not has_cap(user, Cap.APPROVE_STAFF_CHANGE):
        return []
    waiting = (StaffChange.objects.filter(state=StaffChange.State.PENDING).exclude(requested_by=user)
               .exclude(account=user).order_by("requested_at")[:50])
    return [(f"Account change waiting for approval: {_describe(c)}", reverse("staff:change", args=[c.pk]))
            for c in waiting if not is_expired(c)]


def do_request(user: StaffUser, kind: Kind, *, account: StaffUser | None = None, username: str = "",
               role: str = "", branch=None, email: str = "") -> Outcome:
    """Ask for a change. It waits for approval when ``approval.needs_second_person`` says so;
    otherwise (taking access away, or the director on an administrator's account) it applies at once."""
    kind = Kind(kind)
    if kind == Kind.ENROLLED:
        raise ChangeError("Only the member of staff enrols, with their code.")
    if kind == Kind.CREATE:
        role_before = None
        if StaffUser.objects.filter(username=username).exists():
            raise ChangeError("That username is taken.")
    else:
        if account is None:
            raise ChangeError("No such account.")
        username, role_before = account.username, account.role
        if kind != Kind.ROLE:
            role, branch = account.role, account.branch
    if kind in (Kind.CREATE, Kind.ROLE) and role not in {r.value for r in Role}:
        raise ChangeError("Choose a role from the list.")
    refusal = refusal_to_ask(user.role, own_account=account is not None and account.pk == user.pk, kind=kind,
                             role_before=role_before, role_after=role or None)
    if refusal:
        raise ChangeError(refusal)
    if account is not None and kind != Kind.CREATE and not account.is_active and kind != Kind.END_SESSIONS:
        raise ChangeError("This account is deactivated.")
    pending = StaffChange.objects.filter(state=StaffChange.State.PENDING, username=username)
    if kind not in TAKING_AWAY and [c for c in pending if not is_expired(c)]:
        raise ChangeError("A change to this account is already waiting for the director: approve or refuse it first.")

    waits = needs_second_person(kind, role)
    actor = Actor.for_user(user)
    with transaction.atomic():
        change = StaffChange.objects.create(
            kind=kind, username=username, role=role or "", branch=branch, email=email if kind == Kind.CREATE else "",
            account=account, role_before=role_before or "", requested_by=user, requested_at=timezone.now(),
        )
        if waits:
            append(actor, Event.STAFF_ACCOUNT, basis=f"{_describe(change)} asked; waits for a second person")
            account_mail.notify_director(change.id, "asked_notice",
                                                   f"{user.username} asks for a change that needs your approval")
            return Outcome(change)
        return _apply(user, change, approved_by_second_person=False)


def do_create_first_director(username: str, email: str = "", branch=None) -> Outcome:
    """``quietdesk staff first-director``: the one account made from the server's shell, while no
    active director can sign in (at installation, or after the last one left). There is nobody
    to approve it; whoever runs it already holds the machine. Run again for the same username
    before it is used, it replaces the code (a lost code). Logged and notified like any change."""
    with transaction.atomic():
        directors = StaffUser.objects.select_for_update().filter(role=Role.DIRECTOR, is_active=True)
        if directors.exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX).exists():
            raise ChangeError("A director can sign in: new accounts are asked for in quietdesk, and approved by "
                              "a director.")
        account = StaffUser.objects.filter(username=username).first()
        unused_director = (account is not None and account.role == Role.DIRECTOR and account.is_active
                           and not account.has_usable_password())
        if account is not None and not unused_director:
            raise ChangeError("That username is taken.")
        again = account is not None
        if account is None:
            account = StaffUser(username=username, role=Role.DIRECTOR, branch=branch, email=email)
            account.set_unusable_password()
            account.save()
        now = timezone.now()
        change = StaffChange.objects.create(
            kind=Kind.RESET if again else Kind.CREATE, state=StaffChange.State.APPLIED, username=username,
            role=Role.DIRECTOR, branch=account.branch, email="" if again else email, account=account,
            role_before=Role.DIRECTOR if again else "", requested_at=now, decided_at=now,
        )
        code, expires_at = enrollment.issue(account)
        append(Actor.system("first-director"), Event.STAFF_ACCOUNT,
               basis=f"{_describe(change)} made from the server's shell (no director can sign in); enrollment "
                     "code printed to the operator")
        account_mail.notify_director(change.id, "done_notice", "a first director account was made")
    return Outcome(change, code, expires_at)


# --- deciding -------------------------------------------------------------------------


def _locked_pending(change: StaffChange, bound_to: str) -> StaffChange:
    locked = (StaffChange.objects.select_for_update(of=("self",)).select_related("account", "branch")
              .filter(pk=change.pk).first())
    if locked is None or locked.state != StaffChange.State.PENDING:
        raise ChangeError("This change was already decided: an approval counts once.")
    if not constant_time_compare(bound_to or "", binding(locked)):
        raise ChangeError("This change is not the one you were shown: open it again and check it before deciding.")
    if is_expired(locked):
        raise ChangeError(f"This request is older than {request_lifetime().days} days: it can no longer be approved. "
                          "Refuse it, and ask again if it is still needed.")
    return locked


def do_approve(user: StaffUser, change: StaffChange, bound_to: str) -> Outcome:
    """The second person approves exactly this request, once; it takes effect now."""
    with transaction.atomic():
        locked = _locked_pending(change, bound_to)
        refusal = refusal_to_approve(
            user.role, second_factor=second_factor_passed(user), asked_by_approver=locked.requested_by_id == user.pk,
            holds_the_account=locked.account_id is not None and locked.account_id == user.pk,
        )
        if refusal:
            raise ChangeError(refusal)
        return _apply(user, locked, approved_by_second_person=True)


def do_refuse(user: StaffUser, change: StaffChange, bound_to: str) -> StaffChange:
    """A director refuses the request (or withdraws their own): nothing takes effect."""
    with transaction.atomic():
        locked = StaffChange.objects.select_for_update().filter(pk=change.pk).first()
        if locked is None or locked.state != StaffChange.State.PENDING:
            raise ChangeError("This change was already decided.")
        if not constant_time_compare(bound_to or "", binding(locked)):
            raise ChangeError("This change is not the one you were shown: open it again before deciding.")
        refusal = refusal_to_approve(user.role, second_factor=second_factor_passed(user), asked_by_approver=False,
                                     holds_the_account=False)
        if refusal:
            raise ChangeError(refusal)
        locked.state, locked.decided_by, locked.decided_at = StaffChange.State.REFUSED, user, timezone.now()
        locked.save(update_fields=["state", "decided_by", "decided_at"])
        append(Actor.for_user(user), Event.STAFF_ACCOUNT, basis=f"{_describe(locked)} refused by {user.username}")
        account_mail.notify_director(locked.id, "done_notice", f"{user.username} refused a change")
    return locked


# --- applying ---------------------------------------------------------------------------


def _apply(user: StaffUser, change: StaffChange, *, approved_by_second_person: bool) -> Outcome:
    """Make the change, in the caller's transaction. Only ``do_request`` and ``do_approve`` call this."""
    actor = Actor.for_user(user)
    code = expires_at = None
    account: StaffUser | None
    if change.kind == Kind.CREATE:
        if StaffUser.objects.filter(username=change.username).exists():
            raise ChangeError("That username was taken since this was asked: refuse this request.")
        account = StaffUser(username=change.username, role=change.role, branch=change.branch, email=change.email)
        account.set_unusable_password()
        account.save()
        change.account = account
        code, expires_at = enrollment.issue(account)
    elif (account := change.account) is None:  # deleted while the change waited
        raise ChangeError("This account no longer exists: refuse this request.")
    elif change.kind in (Kind.ROLE, Kind.RESET):
        account = StaffUser.objects.select_for_update().get(pk=account.pk)
        if not account.is_active or account.role != change.role_before:
            raise ChangeError("This account changed since this was asked: refuse this request, and ask again.")
        if change.kind == Kind.ROLE:
            account.role, account.branch = change.role, change.branch
            account.save(update_fields=["role", "branch"])
        has_authenticator = account.sealedtotpdevice_set.filter(confirmed=True).exists()
        if change.kind == Kind.RESET or (account.needs_second_factor and not has_authenticator):
            _reset_sign_in(account)
            code, expires_at = enrollment.issue(account)
        end_sessions(account)
    elif change.kind == Kind.DEACTIVATE:
        account.is_active = False
        account.save(update_fields=["is_active"])
        EnrollmentCode.objects.filter(account=account).delete()
        end_sessions(account)
    elif change.kind == Kind.END_SESSIONS:
        end_sessions(account)
    change.state, change.decided_by, change.decided_at = StaffChange.State.APPLIED, user, timezone.now()
    change.save(update_fields=["state", "decided_by", "decided_at", "account"])
    how = (f"approved by {user.username}" if approved_by_second_person
           else "applied at once (it gives no way into patron data)" if change.kind not in TAKING_AWAY
           else "applied at once")
    code_words = f"; enrollment code issued to {user.username}" if code else ""
    append(actor, Event.STAFF_ACCOUNT, basis=f"{_describe(change)} {how}{code_words}")
    account_mail.notify_director(change.id, "done_notice", f"{KIND_LABELS[Kind(change.kind)]} done")
    account_mail.tell_holder(account.email, account.username, change.kind, user.username)
    return Outcome(change, code, expires_at)


def _reset_sign_in(account: StaffUser) -> None:
    """No password and no authenticator until the holder uses their enrollment code."""
    account.set_unusable_password()
    account.save(update_fields=["password"])
    for device in account.sealedtotpdevice_set.all():
        vault.shred(device.subject_id)
        device.delete()


def end_sessions(user: StaffUser) -> int:
    """Sign a member of staff out everywhere (ASVS 7.4.5)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended
