"""Staff roles and what each may do. Views declare a capability; nothing else grants access.

Roles follow the confidentiality policy's chain of responsibility: circulation
staff at the desk, the person in charge of a branch, the director (or the
director's designee), the privacy officer, and the system administrator, who
runs the machine but is not thereby entitled to read patron records.
"""

from enum import StrEnum


class Role(StrEnum):
    CIRCULATION = "circulation"
    PERSON_IN_CHARGE = "person_in_charge"
    DIRECTOR = "director"
    PRIVACY_OFFICER = "privacy_officer"
    SYSADMIN = "sysadmin"


ROLE_LABELS = {
    Role.CIRCULATION: "Circulation staff",
    Role.PERSON_IN_CHARGE: "Person in charge (branch manager)",
    Role.DIRECTOR: "Director or designee",
    Role.PRIVACY_OFFICER: "Privacy officer",
    Role.SYSADMIN: "System administrator",
}


def role_label(value: str) -> str:
    """A role as printed ("Person in charge (branch manager)"); a job's "system" as "System"."""
    try:
        return ROLE_LABELS[Role(value)]
    except ValueError:
        return str(value).replace("_", " ").capitalize()


class Cap(StrEnum):
    """Capabilities: the unit a view asks for."""

    USE_DESK = "use_desk"  # signed-in staff pages with no patron data
    FIND_PATRON = "find_patron"
    VIEW_PATRON = "view_patron"
    REGISTER_PATRON = "register_patron"
    EDIT_PATRON = "edit_patron"
    DELETE_PATRON = "delete_patron"
    VIEW_ACCESS_LOG = "view_access_log"
    VIEW_ACCESS_HISTORY = "view_access_history"  # who viewed one patron's record (ALA Q&A 7)
    MANAGE_STAFF = "manage_staff"  # desk accounts (circulation, person in charge)
    MANAGE_PRIVILEGED_STAFF = "manage_privileged_staff"  # director, privacy officer, administrator accounts
    APPROVE_STAFF_CHANGE = "approve_staff_change"  # the second person on an account change (staff/approval.py)
    # Records and retention (circulation, programs, computers, cameras, ILL)
    CIRCULATE = "circulate"  # check out, check in, holds shelf
    MANAGE_RECORDS = "manage_records"  # programs, computer sessions, cameras, reference notes
    VIEW_RETENTION = "view_retention"  # schedule and inventory
    PLACE_LEGAL_HOLD = "place_legal_hold"  # director only (policy)
    # Requests for patron information
    REPORT_REQUEST = "report_request"  # "someone is asking": every member of staff
    VIEW_CASES = "view_cases"  # director, designee, privacy officer
    DECIDE_CASES = "decide_cases"  # director or designee
    PRODUCE_RECORDS = "produce_records"  # scoped production under a judge's order
    # Rapid response
    FILE_ALERT = "file_alert"  # SALUTE report: every member of staff
    VERIFY_ALERT = "verify_alert"
    SEND_URGENT = "send_urgent"  # skip verification: person in charge and above
    APPROVE_AUTHORIZATION = "approve_authorization"  # second person approving a patron's written authorization
    MANAGE_NETWORK = "manage_network"
    # Guide, drills, resources
    VIEW_GUIDE = "view_guide"
    EDIT_GUIDE = "edit_guide"
    VIEW_TRAINING = "view_training"  # who completed which drill
    # Audit and statistics
    PRIVACY_AUDIT = "privacy_audit"
    VIEW_STATS = "view_stats"


_EVERYONE = {Cap.USE_DESK, Cap.REPORT_REQUEST, Cap.FILE_ALERT, Cap.VIEW_GUIDE}
_DESK = _EVERYONE | {
    Cap.FIND_PATRON, Cap.VIEW_PATRON, Cap.REGISTER_PATRON, Cap.EDIT_PATRON, Cap.CIRCULATE, Cap.MANAGE_RECORDS,
}
_IN_CHARGE = _DESK | {
    Cap.DELETE_PATRON, Cap.VERIFY_ALERT, Cap.SEND_URGENT, Cap.VIEW_TRAINING, Cap.VIEW_RETENTION,
    Cap.APPROVE_AUTHORIZATION,
}

CAPABILITIES: dict[Role, frozenset[Cap]] = {
    Role.CIRCULATION: frozenset(_DESK),
    Role.PERSON_IN_CHARGE: frozenset(_IN_CHARGE),
    Role.DIRECTOR: frozenset(
        _IN_CHARGE
        | {
            Cap.VIEW_ACCESS_LOG, Cap.VIEW_ACCESS_HISTORY, Cap.PLACE_LEGAL_HOLD, Cap.VIEW_CASES, Cap.DECIDE_CASES, Cap.PRODUCE_RECORDS,
            Cap.MANAGE_NETWORK, Cap.EDIT_GUIDE, Cap.PRIVACY_AUDIT, Cap.VIEW_STATS,
            Cap.MANAGE_STAFF, Cap.MANAGE_PRIVILEGED_STAFF, Cap.APPROVE_STAFF_CHANGE,
        }
    ),
    Role.PRIVACY_OFFICER: frozenset(
        _EVERYONE
        | {
            Cap.VIEW_ACCESS_LOG, Cap.DELETE_PATRON, Cap.VIEW_CASES, Cap.VIEW_RETENTION, Cap.PRIVACY_AUDIT,
            Cap.VIEW_STATS, Cap.VIEW_TRAINING, Cap.MANAGE_NETWORK,
        }
    ),
    # The administrator keeps the system running; reading patron records is not part of that.
    Role.SYSADMIN: frozenset(_EVERYONE | {Cap.MANAGE_STAFF, Cap.VIEW_RETENTION}),
}


# Accounts that can read or release patron data, or run the machine: only the
# director grants these roles or resets these accounts, never the administrator
# (who could otherwise take over a director's account or promote themselves).
PRIVILEGED_ROLES = frozenset({Role.DIRECTOR, Role.PRIVACY_OFFICER, Role.SYSADMIN})


def has_cap(user, cap: Cap) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    try:
        role = Role(user.role)
    except ValueError:
        return False
    return cap in CAPABILITIES[role]
