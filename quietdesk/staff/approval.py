"""Who may change which staff account, and which changes wait for a second person. Pure.

The rules (docs/operators-guide.md, "Staff accounts"):

1. **A way into patron data waits for a second person.** Creating an account,
   resetting its sign-in (a new password and, for second-factor roles, a new
   authenticator) or giving it a role waits for approval whenever the role it ends
   with reads patron or case data (``policy.duties``: every role but the system
   administrator's). Until then nothing exists or changes: no account, no password,
   no enrollment code.
2. **The second person** is a director or designee whose session passed the second
   factor, and who neither asked for the change nor holds the account it is about.
   A director acting alone is not a second person: a director's own request waits
   for another director or designee (or the administrator files it, and the director
   approves it). So no single person, whatever their role, can give anyone, including
   themselves under another name, a way into patron records.
3. **An approval is one decision on one request**, bound to exactly what the approver
   was shown (the username, the role, the branch, and the account's role when it was
   asked): it cannot be used twice, nor for a request changed since.
4. **Who may ask:** anyone who manages staff, never about their own account. The
   system administrator's role is granted, taken away or reset only by a director
   (an administrator could otherwise make more administrators, or take over one);
   such a change reads no patron data, so it applies at once.
5. **Taking access away** (deactivating, signing out everywhere) applies at once; on
   the director's, privacy officer's and administrator's accounts only a director does it.
6. **Passwords are never shown to anyone.** A granted change ends with a one-time
   enrollment code, shown once to the director who approved it (or made it), who hands
   it to the member of staff; they choose their password, and enrol their authenticator
   when their role needs one, with it (``enrollment.py``).
"""

from __future__ import annotations

from enum import StrEnum

from quietdesk.policy.duties import ROLE_CATEGORIES

from .roles import CAPABILITIES, PRIVILEGED_ROLES, Cap, Role


class Kind(StrEnum):
    CREATE = "create"
    ROLE = "role"
    RESET = "reset"
    DEACTIVATE = "deactivate"
    END_SESSIONS = "end_sessions"
    ENROLLED = "enrolled"  # the member of staff used their enrollment code


KIND_LABELS: dict[str, str] = {
    Kind.CREATE: "New account",
    Kind.ROLE: "Role change",
    Kind.RESET: "Sign-in reset (new password and authenticator)",
    Kind.DEACTIVATE: "Deactivation",
    Kind.END_SESSIONS: "Signed out everywhere",
    Kind.ENROLLED: "Enrollment completed",
}

# Changes that give someone a way in; only these can wait for approval.
GRANTING = frozenset({Kind.CREATE, Kind.ROLE, Kind.RESET})
TAKING_AWAY = frozenset({Kind.DEACTIVATE, Kind.END_SESSIONS})


def _caps(role: str) -> frozenset[Cap]:
    try:
        return CAPABILITIES[Role(role)]
    except ValueError:
        return frozenset()


def reads_records(role: str) -> bool:
    """Whether the role reads any patron or case data. An unknown role counts as reading:
    it errs towards asking for approval."""
    if role not in ROLE_CATEGORIES:
        return True
    return bool(ROLE_CATEGORIES[role])


def needs_second_person(kind: str, role_after: str) -> bool:
    return kind in GRANTING and reads_records(role_after)


def refusal_to_ask(requester_role: str, *, own_account: bool, kind: str, role_before: str | None,
                   role_after: str | None) -> str | None:
    """Why this member of staff may not ask for this change (None: they may)."""
    caps = _caps(requester_role)
    if Cap.MANAGE_STAFF not in caps:
        return "You do not manage staff accounts."
    if own_account:
        return "Nobody changes their own account: ask another administrator or the director."
    if Role.SYSADMIN in (role_before, role_after) and Cap.MANAGE_PRIVILEGED_STAFF not in caps:
        return "Only the director can grant, change or reset the system administrator's accounts."
    if kind in TAKING_AWAY and role_before in PRIVILEGED_ROLES and Cap.MANAGE_PRIVILEGED_STAFF not in caps:
        return "Only the director can change this account."
    return None


def refusal_to_approve(approver_role: str, *, second_factor: bool, asked_by_approver: bool,
                       holds_the_account: bool) -> str | None:
    """Why this member of staff may not be the second person on this change (None: they may)."""
    if Cap.APPROVE_STAFF_CHANGE not in _caps(approver_role):
        return "Only the director or designee approves account changes."
    if not second_factor:
        return "Approving needs a session that passed the second factor: sign in again with your code."
    if asked_by_approver:
        return "You asked for this change, so someone else must approve it: another director or designee."
    if holds_the_account:
        return "A change to your own account is approved by another director or designee."
    return None
