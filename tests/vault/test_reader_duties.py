"""The decrypting path checks the reader's role itself, whatever view or command calls it
(issue: "The decrypting path checks the role, not only the policy")."""

import itertools

import pytest
from django.db import transaction

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.legal.models import Case
from quietdesk.legal.services import do_open_case
from quietdesk.patrons.models import Patron
from quietdesk.patrons.services import do_register_patron
from quietdesk.policy import duties, vocab
from quietdesk.staff.roles import CAPABILITIES, Cap, Role
from quietdesk.vault import reader
from tests.personas import patron_data

ROLES = [r.value for r in Role] + ["selfcheck", "patron", "system", "unknown"]
READABLE = sorted(vocab.PATRON_RECORDS | vocab.INTERNAL_RECORDS)


@pytest.fixture
def patron(db):
    return do_register_patron(Actor.system("test"), patron_data(7, given_name="Ana"))


@pytest.mark.parametrize("role, category", list(itertools.product(ROLES, READABLE)))
def test_the_reader_refuses_every_category_outside_the_roles_duties(patron, role, category):
    actor = Actor(f"someone-{role}", role)
    before = AccessEntry.objects.count()
    if duties.permits(role, category):
        with transaction.atomic():
            try:
                values = reader.read(actor, patron, ("given_name",), category=category, purpose="test")
            except reader.AccessDenied as exc:  # the policy may still say no (cameras go to the director)
                assert exc.decision.outcome != "allow"
                return
        assert values == {"given_name": "Ana"}
    else:
        with pytest.raises(reader.AccessDenied, match="role does not include"):
            reader.read(actor, patron, ("given_name",), category=category, purpose="test")
        with pytest.raises(reader.AccessDenied):
            reader.read_many(actor, [patron], ("given_name",), category=category, purpose="test")
        with pytest.raises(reader.AccessDenied):
            reader.find(actor, Patron.objects.all(), "card_number", "21000000000007", purpose="t", category=category)
        assert AccessEntry.objects.count() == before  # a refused read leaves nothing behind


def test_the_system_administrator_reads_no_patron_record(patron):
    for category in sorted(vocab.PATRON_RECORDS):
        with pytest.raises(reader.AccessDenied):
            reader.read(Actor("admin", Role.SYSADMIN), patron, ("given_name",), category=category, purpose="x")


def test_case_files_are_read_under_their_own_category(db, desk_user=None):
    case = do_open_case(Actor.system("test"), {"requester": "law_enforcement", "category": "circulation",
                                               "document": "none", "officer_name": "Officer Example"})
    with pytest.raises(reader.AccessDenied):
        reader.read(Actor("desk", Role.CIRCULATION), case, Case.SEALED_FIELDS, category="case_file", purpose="x")
    values = reader.read(Actor("po", Role.PRIVACY_OFFICER), case, Case.SEALED_FIELDS, category="case_file",
                         purpose="x")
    assert values["officer_name"] == "Officer Example"


def test_duties_agree_with_the_staff_capabilities():
    """A role that cannot open a patron's record at all (no FIND/VIEW_PATRON, no CIRCULATE) has no
    desk category; only roles that see cases read case files; only network managers read members."""
    for role in Role:
        caps = CAPABILITIES[role]
        desk = {Cap.FIND_PATRON, Cap.VIEW_PATRON, Cap.CIRCULATE} & caps
        assert bool(desk) == duties.permits(role, "registration"), role
        assert (Cap.VIEW_CASES in caps) == duties.permits(role, "case_file"), role
        assert (Cap.MANAGE_NETWORK in caps) == duties.permits(role, "network_member"), role


def test_the_sealing_key_other_apps_get_cannot_decrypt(patron):
    """What the vault hands out for sealing offers no way to open anything."""
    from quietdesk.vault import api

    sealer = api.sealer_for(patron.id)
    new = api.prepare_subjects("patron", [patron.id])[0]
    for obj in (sealer, sealer._key, new, new.key):
        public = [name for name in dir(obj) if not name.startswith("_")]
        assert "decrypt" not in public
        for name in public:
            value = getattr(obj, name)
            assert not hasattr(value, "decrypt"), f"{type(obj).__name__}.{name} can decrypt"
    assert sealer.seal("patrons.patron", "notes", patron.id, "x").startswith(b"Q")
