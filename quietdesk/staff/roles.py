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


class Cap(StrEnum):
    """Capabilities: the unit a view asks for."""

    USE_DESK = "use_desk"  # signed-in staff pages with no patron data
    FIND_PATRON = "find_patron"
    VIEW_PATRON = "view_patron"
    REGISTER_PATRON = "register_patron"
    EDIT_PATRON = "edit_patron"
    DELETE_PATRON = "delete_patron"
    VIEW_ACCESS_LOG = "view_access_log"
    MANAGE_STAFF = "manage_staff"


_DESK = {Cap.USE_DESK, Cap.FIND_PATRON, Cap.VIEW_PATRON, Cap.REGISTER_PATRON, Cap.EDIT_PATRON}

CAPABILITIES: dict[Role, frozenset[Cap]] = {
    Role.CIRCULATION: frozenset(_DESK),
    Role.PERSON_IN_CHARGE: frozenset(_DESK | {Cap.DELETE_PATRON}),
    Role.DIRECTOR: frozenset(_DESK | {Cap.DELETE_PATRON, Cap.VIEW_ACCESS_LOG}),
    Role.PRIVACY_OFFICER: frozenset({Cap.USE_DESK, Cap.VIEW_ACCESS_LOG, Cap.DELETE_PATRON}),
    # The administrator keeps the system running; reading patron records is not part of that.
    Role.SYSADMIN: frozenset({Cap.USE_DESK, Cap.MANAGE_STAFF}),
}


def has_cap(user, cap: Cap) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    try:
        role = Role(user.role)
    except ValueError:
        return False
    return cap in CAPABILITIES[role]
