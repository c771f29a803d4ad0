"""Which records each kind of reader may have decrypted for them at all: the first
check of ``vault.reader``, before the policy engine weighs the request itself.

Sonoma III.B.1.a lets staff see patron records "within the scope of their duties".
A role's duties bound the categories it can ever read, whatever page or command
asks: the system administrator runs the machine and reads no patron record; the
privacy officer audits through the access log and reads case files and the network
it manages, not registrations; a self-check machine reads what lending needs.
Roles are the staff app's (``staff.roles.Role``), plus the readers that are not
staff: a patron reading their own record, a self-check machine, and quietdesk's
own jobs (``system``), which run no page a person can call. Pure: no Django.
"""

from __future__ import annotations

from .vocab import INTERNAL_RECORDS, PATRON_RECORDS

DESK_RECORDS = frozenset(
    {"registration", "circulation", "holds", "programs", "computer_use", "ill", "reference", "presence"}
)

ROLE_CATEGORIES: dict[str, frozenset[str]] = {
    "circulation": DESK_RECORDS,
    "person_in_charge": DESK_RECORDS,
    "director": PATRON_RECORDS | INTERNAL_RECORDS,
    "privacy_officer": frozenset({"network_member", "case_file"}),
    "sysadmin": frozenset(),
    "selfcheck": frozenset({"circulation", "holds"}),
    "patron": PATRON_RECORDS - {"camera", "presence"},
    "system": PATRON_RECORDS | INTERNAL_RECORDS,
}


def permits(role: str, category: str) -> bool:
    """Whether a reader in ``role`` may ever read records of ``category``. Unknown roles read nothing."""
    return category in ROLE_CATEGORIES.get(role, frozenset())
