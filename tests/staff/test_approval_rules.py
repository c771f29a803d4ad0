"""The rules of staff account changes (``quietdesk/staff/approval.py``), as pure functions."""

import pytest

from quietdesk.policy.duties import ROLE_CATEGORIES
from quietdesk.staff.approval import (
    Kind,
    needs_second_person,
    reads_records,
    refusal_to_approve,
    refusal_to_ask,
)
from quietdesk.staff.roles import Role

pytestmark = pytest.mark.nodb

PATRON_READERS = [Role.CIRCULATION, Role.PERSON_IN_CHARGE, Role.DIRECTOR, Role.PRIVACY_OFFICER]


def test_every_role_but_the_administrator_reads_patron_or_case_data():
    assert [r for r in Role if reads_records(r)] == PATRON_READERS
    assert all(ROLE_CATEGORIES[r] for r in PATRON_READERS) and not ROLE_CATEGORIES[Role.SYSADMIN]
    assert reads_records("a-role-nobody-defined")  # unknown: treated as reading, so it waits


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("kind", list(Kind))
def test_what_waits_for_a_second_person(kind, role):
    expected = kind in (Kind.CREATE, Kind.ROLE, Kind.RESET) and role != Role.SYSADMIN
    assert needs_second_person(kind, role) is expected


def test_who_may_ask():
    ask = refusal_to_ask
    assert ask("circulation", own_account=False, kind=Kind.CREATE, role_before=None, role_after="circulation")
    assert ask("privacy_officer", own_account=False, kind=Kind.CREATE, role_before=None, role_after="circulation")
    assert ask("sysadmin", own_account=True, kind=Kind.RESET, role_before="sysadmin", role_after="sysadmin")
    assert ask("director", own_account=True, kind=Kind.DEACTIVATE, role_before="director", role_after="director")
    # The administrator asks for desk and privileged roles (a director approves), never an administrator's.
    for role in PATRON_READERS:
        assert ask("sysadmin", own_account=False, kind=Kind.CREATE, role_before=None, role_after=role) is None
    assert "Only the director" in ask("sysadmin", own_account=False, kind=Kind.CREATE, role_before=None,
                                      role_after="sysadmin")
    assert ask("sysadmin", own_account=False, kind=Kind.ROLE, role_before="sysadmin", role_after="circulation")
    assert ask("sysadmin", own_account=False, kind=Kind.DEACTIVATE, role_before="director", role_after="director")
    assert ask("sysadmin", own_account=False, kind=Kind.DEACTIVATE, role_before="circulation",
               role_after="circulation") is None
    assert ask("director", own_account=False, kind=Kind.CREATE, role_before=None, role_after="sysadmin") is None


def test_who_may_approve():
    def approve(role="director", second_factor=True, asked=False, holds=False):
        return refusal_to_approve(role, second_factor=second_factor, asked_by_approver=asked, holds_the_account=holds)

    assert approve() is None
    for role in ("sysadmin", "privacy_officer", "person_in_charge", "circulation", "nonsense"):
        assert "Only the director" in approve(role)
    assert "second factor" in approve(second_factor=False)
    assert "someone else must approve" in approve(asked=True)
    assert "your own account" in approve(holds=True)
