"""The one decrypting path at its edges: a request the policy refuses although the role may
read the category, a read of another branch's patron, empty lookups, rows whose key is gone,
a blind-index collision, the access history of one patron, and indexing names by word."""

import uuid

from django.db import transaction
from django.test import TestCase

from quietdesk.audit.events import OTHER_BRANCH, Event
from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.core.models import Branch
from quietdesk.patrons.models import Patron, PatronNameWord
from quietdesk.patrons.services import do_register_patron
from quietdesk.staff.roles import Role
from quietdesk.vault import datakeys, reader
from quietdesk.vault.models import DataKey
from tests.personas import patron_data

SYSTEM = Actor.system("test")
DESK = Actor("desk", Role.CIRCULATION)


class ReaderEdgeTests(TestCase):
    def setUp(self):
        self.central = Branch.objects.create(code="central", name="Central")
        self.ana = do_register_patron(SYSTEM, patron_data(1, given_name="Ana", family_name="Ortiz"))
        self.bo = do_register_patron(SYSTEM, patron_data(2, given_name="Bo", family_name="Ortiz"))

    def newest(self):
        return AccessEntry.objects.order_by("-seq").first()

    def forget_key(self, patron):
        """The patron's rows without their key: a restore from before a shred, not yet replayed."""
        DataKey.objects.filter(subject_id=patron.id).delete()
        datakeys.cache.clear()

    def test_the_policy_can_refuse_what_the_role_may_read(self):
        before = AccessEntry.objects.count()
        with self.assertRaises(reader.AccessDenied) as refused:
            reader.read(DESK, self.ana, ("given_name",), category="registration", purpose="asked by an officer",
                        requester="law_enforcement")
        self.assertNotEqual(refused.exception.decision.outcome, "allow")
        self.assertEqual(AccessEntry.objects.count(), before)

    def test_reading_another_branchs_patron_is_marked_in_the_log(self):
        Patron.objects.filter(pk=self.ana.pk).update(home_branch=self.central)
        ana = Patron.objects.get(pk=self.ana.pk)
        east = Branch.objects.create(code="east", name="East")
        reader.read(Actor("desk", Role.CIRCULATION, branch=east.pk), ana, ("given_name",),
                    category="registration", purpose="checkout")
        self.assertIn(OTHER_BRANCH, self.newest().basis)
        reader.read(Actor("desk", Role.CIRCULATION, branch=self.central.pk), ana, ("given_name",),
                    category="registration", purpose="checkout")
        self.assertNotIn(OTHER_BRANCH, self.newest().basis)

    def test_reading_no_rows_records_nothing(self):
        before = AccessEntry.objects.count()
        self.assertEqual(reader.read_many(DESK, [], ("given_name",), category="registration", purpose="export"), [])
        self.assertEqual(AccessEntry.objects.count(), before)

    def test_an_empty_lookup_finds_nothing(self):
        self.assertEqual(reader.find(DESK, Patron.objects.all(), "card_number", "", purpose="desk"), [])
        self.assertEqual(reader.find_words(DESK, Patron.objects.all(), PatronNameWord, "  ", purpose="desk"),
                         ([], 0))

    def test_a_row_whose_key_is_gone_is_not_a_match(self):
        self.forget_key(self.ana)
        self.assertEqual(reader.find(DESK, Patron.objects.all(), "card_number", "21000000000001", purpose="desk"), [])
        found, count = reader.find_words(DESK, Patron.objects.all(), PatronNameWord, "Ortiz", purpose="desk",
                                         show=("given_name",))
        self.assertEqual((count, [values for _, values in found]), (1, [{"given_name": "Bo"}]))

    def test_a_blind_index_collision_is_compared_and_left_out(self):
        Patron.objects.filter(pk=self.bo.pk).update(card_bidx=self.ana.card_bidx)  # same index, other card
        found = reader.find(DESK, Patron.objects.all(), "card_number", "21000000000001", purpose="desk")
        self.assertEqual([p.pk for p in found], [self.ana.pk])

    def test_the_access_history_names_only_this_patrons_entries(self):
        reader.read(DESK, self.ana, ("given_name",), category="registration", purpose="desk")
        reader.read(DESK, self.bo, ("given_name",), category="registration", purpose="desk")
        history = reader.access_history(DESK, self.ana, purpose="who viewed this record")
        self.assertTrue(history)
        bo_ref_seqs = {e.seq for e in reader.access_history(DESK, self.bo, purpose="who viewed this record")}
        self.assertFalse({e.seq for e in history} & bo_ref_seqs)
        self.assertEqual(self.newest().action, Event.ACCESS_HISTORY)

    def test_indexing_names_needs_the_registration_duty_and_skips_rows_without_a_key(self):
        with self.assertRaises(reader.AccessDenied):
            reader.index_words(Actor("admin", Role.SYSADMIN), [self.ana], PatronNameWord)
        self.forget_key(self.ana)
        with transaction.atomic():
            rows = reader.index_words(DESK, [self.ana, self.bo], PatronNameWord)
        self.assertEqual({row_id for row_id, _ in rows}, {self.bo.pk})
        self.assertIn("indexed the words of 2 names", self.newest().basis)

    def test_a_lookup_within_other_rows_finds_nothing(self):
        self.assertEqual(reader.find(DESK, Patron.objects.filter(pk=uuid.uuid4()), "card_number", "21000000000001",
                                     purpose="desk"), [])
