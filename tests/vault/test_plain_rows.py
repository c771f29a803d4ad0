"""Rows read by plain SQL on the hot paths (``quietdesk.sql.instances``) come back exactly as the
ORM would load them, and a lookup through a narrowed queryset still honours its filter (the
fast path that loads rows with the candidates is only for a whole table)."""

import datetime

from django.test import TestCase
from django.utils import timezone

from quietdesk.audit.service import Actor
from quietdesk.circulation import errors, services
from quietdesk.circulation.models import Item
from quietdesk.core.models import Branch
from quietdesk.patrons.models import Patron
from quietdesk.patrons.services import do_register_patron
from quietdesk.vault import reader
from tests.personas import patron_data

DESK = Actor("desk", "circulation")


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


class PlainRowsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.branch = Branch.objects.create(code="EAST", name="East")
        cls.ana = do_register_patron(DESK, patron_data(301, age_band="teen",
                                                       age_band_changes_on=datetime.date(2031, 5, 1)),
                                     branch=cls.branch)
        cls.bo = do_register_patron(DESK, patron_data(302))
        cls.item = Item.objects.create(barcode="PLAIN00001", title="Atlas", branch=cls.branch, ils_number=77)

    def test_a_card_lookup_loads_the_patron_as_the_orm_does(self):
        found = reader.find(DESK, Patron.objects.all(), "card_number", patron_data(301)["card_number"],
                            purpose="desk")
        self.assertEqual(len(found), 1)
        loaded = Patron.objects.get(pk=self.ana.pk)
        self.assertEqual(_fields(found[0]), _fields(loaded))
        # Types, not only equal-looking text: dates are dates, the id a UUID, ciphertext bytes.
        self.assertIsInstance(found[0].registered_on, datetime.date)
        self.assertIsInstance(found[0].age_band_changes_on, datetime.date)
        self.assertEqual(found[0].pk, self.ana.pk)
        self.assertEqual(found[0].home_branch, self.branch)
        self.assertFalse(found[0]._state.adding)
        self.assertEqual(found[0]._state.db, "default")

    def test_a_narrowed_queryset_is_still_honoured(self):
        card = patron_data(301)["card_number"]
        self.assertEqual(reader.find(DESK, Patron.objects.filter(pk=self.bo.pk), "card_number", card,
                                     purpose="desk"), [])
        self.assertEqual(reader.find(DESK, Patron.objects.filter(home_branch=self.branch), "card_number", card,
                                     purpose="desk"), [self.ana])
        only = reader.find(DESK, Patron.objects.only("id"), "card_number", card, purpose="desk")
        self.assertEqual(only, [self.ana])
        self.assertEqual(only[0].get_deferred_fields(), {f.attname for f in Patron._meta.concrete_fields} - {"id"})

    def test_what_a_queryset_asks_for_is_what_it_gets(self):
        card = patron_data(301)["card_number"]
        self.assertEqual(reader.find(DESK, Patron.objects.values_list("id", flat=True), "card_number", card,
                                     purpose="desk"), [self.ana.pk])
        self.assertEqual(reader.find(DESK, Patron.objects.values("id"), "card_number", card, purpose="desk"),
                         [{"id": self.ana.pk}])
        self.assertEqual(reader.find(DESK, Patron.objects.select_related("home_branch"), "card_number", card,
                                     purpose="desk")[0].home_branch.code, "EAST")
        self.assertEqual(reader.find(DESK, Patron.objects.none(), "card_number", card, purpose="desk"), [])

    def test_only_a_plain_whole_table_takes_the_fast_path(self):
        self.assertTrue(reader._whole_table(Patron.objects.all()))
        for narrowed in (Patron.objects.order_by("pseudonym"), Patron.objects.select_for_update(),
                         Patron.objects.distinct(), Patron.objects.values_list("id"), Patron.objects.using("default")
                         .filter(pk=self.ana.pk), Patron.objects.all().union(Patron.objects.all()),
                         Patron.objects.defer("notes_ct"), Patron.objects.prefetch_related("home_branch"),
                         Patron.objects.all()[:5], Patron.objects.extra(where=["1 = 1"])):
            self.assertFalse(reader._whole_table(narrowed), narrowed.query)

    def test_an_item_by_barcode_is_the_orm_item(self):
        item = services.item_by_barcode("  plain00001 ")
        self.assertEqual(_fields(item), _fields(Item.objects.get(pk=self.item.pk)))
        self.assertEqual(item.branch, self.branch)
        with self.assertRaises(errors.UnknownItem):
            services.item_by_barcode("NOPE")

    def test_a_checkout_and_return_with_the_loaded_rows(self):
        patron = services.patron_by_card(DESK, patron_data(302)["card_number"], purpose="desk")
        item = services.item_by_barcode("PLAIN00001")
        services.do_checkout(DESK, patron, item, today=timezone.localdate())
        self.assertEqual(Item.objects.get(pk=item.pk).status, Item.Status.OUT)
        services.do_return(DESK, services.item_by_barcode("PLAIN00001"))
        self.assertEqual(Item.objects.get(pk=item.pk).status, Item.Status.AVAILABLE)
        self.assertEqual(Item.objects.get(pk=item.pk).loan_count, 1)

    def test_an_account_reads_loans_holds_and_choices_as_the_orm_does(self):
        from quietdesk.circulation.holds import do_place_hold
        from quietdesk.circulation.models import CirculationPreference, Hold, Loan

        patron = services.patron_by_card(DESK, patron_data(302)["card_number"], purpose="desk")
        later = Item.objects.create(barcode="PLAIN00002", title="Bestiary")
        wanted = Item.objects.create(barcode="PLAIN00003", title="Codex", branch=self.branch)
        today = timezone.localdate()
        services.do_checkout(DESK, patron, services.item_by_barcode("PLAIN00002"), today=today)
        services.do_checkout(DESK, patron, services.item_by_barcode("PLAIN00001"), today=today - datetime.timedelta(days=3))
        services.do_checkout(DESK, self.ana, services.item_by_barcode("PLAIN00003"), today=today)  # not bo's
        do_place_hold(DESK, patron, wanted)
        Hold.objects.create(patron=patron, item=later, status=Hold.Status.CANCELLED, placed_on=today)  # not active
        CirculationPreference.objects.create(patron=patron, keep_reading_history=True)

        account = services.account_for(DESK, patron, purpose="desk")
        expected_loans = list(Loan.objects.filter(patron=patron).select_related("item").order_by("due_on", "id"))
        self.assertEqual([_fields(x) for x in account.loans], [_fields(x) for x in expected_loans])
        self.assertEqual([loan.item.barcode for loan in account.loans], ["PLAIN00001", "PLAIN00002"])  # soonest due first
        self.assertEqual([_fields(loan.item) for loan in account.loans], [_fields(x.item) for x in expected_loans])
        self.assertEqual(account.loans[0].item.branch, self.branch)
        self.assertEqual([(h.item.barcode, h.status) for h in account.holds], [("PLAIN00003", Hold.Status.WAITING)])
        self.assertIsInstance(account.holds[0].placed_on, datetime.date)
        self.assertTrue(account.preferences.keep_reading_history)
        self.assertFalse(account.preferences._state.adding)
        self.assertFalse(services.account_for(DESK, self.ana, purpose="desk").preferences.keep_reading_history)
