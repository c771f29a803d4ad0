"""Holds: a random shelf code, never a name; the link ends when filled or cancelled."""

import datetime

from quietdesk.circulation import errors, holds, services
from quietdesk.circulation.models import Hold, Item, Loan
from tests.circulation.helpers import DESK, item, patron
from tests.personas import PersonaTestCase

TODAY = datetime.date(2026, 11, 2)


class HoldRules(PersonaTestCase):
    def setUp(self):
        self.book = item(1)
        self.other = patron(2)

    def test_hold_on_shelf_item_goes_to_hold_shelf_and_fills_at_checkout(self):
        hold = holds.do_place_hold(DESK, self.patron, self.book, today=TODAY)
        self.assertEqual(hold.status, "ready")
        self.assertRegex(hold.shelf_code, r"^[2-9A-HJ-NP-Z]{4}$")
        self.assertEqual(Item.objects.get(pk=self.book.pk).status, "held")
        # Another patron cannot take it; the patron it waits for can, which fills the hold.
        with self.assertRaises(errors.HeldForAnother):
            services.do_checkout(DESK, self.other, self.book, today=TODAY)
        services.do_checkout(DESK, self.patron, self.book, today=TODAY)
        self.assertFalse(Hold.objects.filter(pk=hold.pk).exists())  # filled: deleted at once

    def test_shelf_code_says_nothing_about_the_patron(self):
        codes = set()
        for n in range(12):
            b = item(100 + n)
            codes.add(holds.do_place_hold(DESK, self.patron, b, today=TODAY).shelf_code)
        self.assertGreater(len(codes), 8)  # random, not derived from the patron
        self.assertNotIn(self.patron.pseudonym[2:6], codes)

    def test_waiting_hold_becomes_ready_at_return(self):
        services.do_checkout(DESK, self.other, self.book, today=TODAY)
        hold = holds.do_place_hold(DESK, self.patron, self.book, today=TODAY)
        self.assertEqual(hold.status, "waiting")
        with self.assertRaises(errors.RenewRefused):
            services.do_renew(DESK, self.other, self.book, today=TODAY)
        done = services.do_return(DESK, self.book, today=TODAY)
        hold.refresh_from_db()
        self.assertEqual(hold.status, "ready")
        self.assertEqual(done.shelf_code, hold.shelf_code)
        self.assertEqual(Item.objects.get(pk=self.book.pk).status, "held")

    def test_cancel_cuts_link_and_passes_item_on(self):
        first = holds.do_place_hold(DESK, self.patron, self.book, today=TODAY)
        second = holds.do_place_hold(DESK, self.other, self.book, today=TODAY)
        code = holds.do_cancel_hold(DESK, first, today=TODAY)
        second.refresh_from_db()
        self.assertFalse(Hold.objects.filter(pk=first.pk).exists())  # cancelled: deleted at once
        self.assertEqual(second.status, "ready")
        self.assertEqual(code, second.shelf_code)
        holds.do_cancel_hold(DESK, second, today=TODAY)
        self.assertEqual(Item.objects.get(pk=self.book.pk).status, "available")
        with self.assertRaises(errors.HoldRefused):
            holds.do_cancel_hold(DESK, second, today=TODAY)

    def test_opt_out_of_self_pickup(self):
        holds.do_set_self_pickup(DESK, self.patron, False)
        hold = holds.do_place_hold(DESK, self.patron, self.book, today=TODAY)
        self.assertFalse(hold.self_pickup)
        self.assertEqual([h.pk for h in holds.shelf_list()], [hold.pk])

    def test_fill_hold_and_bad_input(self):
        hold = holds.do_place_hold(DESK, self.patron, self.book, today=TODAY)
        with self.assertRaises(errors.HoldRefused):
            holds.do_place_hold(DESK, self.patron, self.book, today=TODAY)
        loan = holds.do_fill_hold(DESK, hold, today=TODAY)
        self.assertEqual(Loan.objects.get(pk=loan.pk).patron_id, self.patron.pk)
        with self.assertRaises(errors.HoldRefused):
            holds.do_fill_hold(DESK, hold, today=TODAY)
        self.assertFalse(Hold.objects.filter(patron=self.patron).exists())
