"""Checkout, return, renew, fines: a loan exists only while needed, and no step is logged per patron."""

import datetime
import uuid

from django.db import IntegrityError, transaction

from quietdesk.audit.models import AccessEntry, RoutineTally
from quietdesk.circulation import errors, services
from quietdesk.circulation.models import Item, Loan
from quietdesk.retention.legal_holds import do_place_legal_hold
from tests.circulation.helpers import DESK, item, patron
from tests.personas import PersonaTestCase

TODAY = datetime.date(2026, 11, 2)


class LoanRules(PersonaTestCase):
    def setUp(self):
        self.book = item(1)

    def test_the_loan_is_deleted_at_return_in_the_same_transaction(self):
        loan = services.do_checkout(DESK, self.patron, self.book, today=TODAY)
        self.assertEqual(Loan.objects.get(pk=loan.pk).patron_id, self.patron.pk)
        self.assertIsInstance(loan.pk, uuid.UUID)  # random, not a sequence
        self.assertEqual(Item.objects.get(pk=self.book.pk).status, "out")
        done = services.do_return(DESK, self.book, today=TODAY + datetime.timedelta(days=3))
        self.assertFalse(Loan.objects.filter(pk=loan.pk).exists())  # no anonymous row to line up
        self.assertEqual(done.fine_cents, 0)
        item_row = Item.objects.get(pk=self.book.pk)
        self.assertEqual((item_row.status, item_row.loan_count), ("available", 1))
        self.assertFalse(Loan.objects.filter(patron=self.patron).exists())

    def test_return_is_atomic_with_its_log_entry(self):
        services.do_checkout(DESK, self.patron, self.book, today=TODAY)
        from unittest import mock

        with mock.patch("quietdesk.circulation.services.count_routine", side_effect=RuntimeError("log down")):
            with self.assertRaises(RuntimeError):
                services.do_return(DESK, self.book, today=TODAY)
        # Nothing happened: the loan still names the borrower, the item is still out.
        self.assertEqual(Loan.objects.get(item=self.book).patron_id, self.patron.pk)
        self.assertEqual(Item.objects.get(pk=self.book.pk).status, "out")

    def test_routine_steps_leave_no_per_patron_trail(self):
        before = AccessEntry.objects.count()
        found = services.patron_by_card(DESK, "21000000000001", purpose="checkout")
        services.do_checkout(DESK, found, self.book, today=TODAY)
        services.do_return(DESK, self.book, today=TODAY)
        self.assertEqual(AccessEntry.objects.count(), before)  # nothing per patron, not even sealed
        counts = dict(RoutineTally.objects.filter(actor=DESK.name).values_list("action", "count"))
        self.assertEqual(counts, {"card_lookup": 1, "checkout": 1, "return": 1})
        text = str(list(RoutineTally.objects.values()))
        for secret in (self.patron.pseudonym, str(self.patron.pk), self.patron.pk.hex, self.book.barcode):
            self.assertNotIn(secret, text)

    def test_fine_kept_only_while_owed(self):
        loan = services.do_checkout(DESK, self.patron, self.book, today=TODAY)
        late = loan.due_on + datetime.timedelta(days=4)
        done = services.do_return(DESK, self.book, today=late)
        self.assertEqual(done.fine_cents, 4 * services.FINE_CENTS_PER_DAY)
        row = Loan.objects.get(pk=loan.pk)
        self.assertEqual(row.patron_id, self.patron.pk)  # linked: a fine is owed
        services.do_pay_fine(DESK, row, 25)
        row.refresh_from_db()
        self.assertEqual((row.patron_id, row.fine_cents), (self.patron.pk, 75))
        paid = services.do_pay_fine(DESK, row, 75)
        self.assertFalse(Loan.objects.filter(pk=loan.pk).exists())  # paid: the loan goes in the same transaction
        self.assertEqual(paid.fine_cents, 0)
        with self.assertRaises(errors.NothingOwed):
            services.do_pay_fine(DESK, row, 1)

    def test_fine_is_capped(self):
        loan = services.do_checkout(DESK, self.patron, self.book, today=TODAY)
        done = services.do_return(DESK, self.book, today=loan.due_on + datetime.timedelta(days=400))
        self.assertEqual(done.fine_cents, services.FINE_CAP_CENTS)

    def test_renew(self):
        loan = services.do_checkout(DESK, self.patron, self.book, today=TODAY)
        renewed = services.do_renew(DESK, self.patron, self.book, today=TODAY)
        self.assertEqual(renewed.due_on, loan.due_on + datetime.timedelta(days=services.LOAN_DAYS))
        for _ in range(services.MAX_RENEWALS - 1):
            services.do_renew(DESK, self.patron, self.book, today=TODAY)
        with self.assertRaises(errors.RenewRefused):
            services.do_renew(DESK, self.patron, self.book, today=TODAY)
        other = patron(2)
        with self.assertRaisesMessage(errors.RenewRefused, "another card"):
            services.do_renew(DESK, other, self.book, today=TODAY)

    def test_legal_hold_keeps_the_link_at_return(self):
        director = type("A", (), {"name": "director", "role": "director"})()
        do_place_legal_hold(director, reference="2026-CV-1", served_on=TODAY, categories=["circulation"],
                            date_from=TODAY - datetime.timedelta(days=30), date_to=TODAY, patron=self.patron)
        services.do_checkout(DESK, self.patron, self.book, today=TODAY)
        done = services.do_return(DESK, self.book, today=TODAY + datetime.timedelta(days=1))
        self.assertTrue(done.kept_for_legal_hold)
        row = Loan.objects.get(item=self.book)
        self.assertEqual((row.patron_id, row.out_on), (self.patron.pk, TODAY))


class BadInput(PersonaTestCase):
    """Each gets a clear message; nothing is lost or half-written."""

    def setUp(self):
        self.book = item(1)

    def counts(self):
        return (Loan.objects.count(), AccessEntry.objects.count(), list(Item.objects.values_list("status", "loan_count")))

    def test_unknown_item_and_patron(self):
        with self.assertRaisesMessage(errors.UnknownItem, "No item has that barcode"):
            services.item_by_barcode("NOPE123")
        with self.assertRaisesMessage(errors.UnknownPatron, "No patron has that card number"):
            services.patron_by_card(DESK, "99999999", purpose="test")

    def test_double_checkout(self):
        services.do_checkout(DESK, self.patron, self.book, today=TODAY)
        other = patron(2)
        before = self.counts()
        with self.assertRaisesMessage(errors.AlreadyOut, "already checked out"):
            services.do_checkout(DESK, other, self.book, today=TODAY)
        self.assertEqual(self.counts(), before)
        self.assertEqual(Loan.objects.get(item=self.book).patron_id, self.patron.pk)

    def test_database_refuses_a_second_open_loan_too(self):
        services.do_checkout(DESK, self.patron, self.book, today=TODAY)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Loan.objects.create(item=self.book, patron=self.patron, out_on=TODAY, due_on=TODAY)

    def test_returning_an_item_not_out(self):
        before = self.counts()
        with self.assertRaisesMessage(errors.NotOut, "not checked out"):
            services.do_return(DESK, self.book, today=TODAY)
        self.assertEqual(self.counts(), before)

    def test_missing_item(self):
        Item.objects.filter(pk=self.book.pk).update(status="missing")
        with self.assertRaises(errors.ItemMissing):
            services.do_checkout(DESK, self.patron, self.book, today=TODAY)

    def test_bad_payment(self):
        loan = services.do_checkout(DESK, self.patron, self.book, today=TODAY)
        services.do_return(DESK, self.book, today=loan.due_on + datetime.timedelta(days=2))
        row = Loan.objects.get(pk=loan.pk)
        for amount in (0, -5, row.fine_cents + 1, True, "10"):
            with self.assertRaises(errors.BadAmount):
                services.do_pay_fine(DESK, row, amount)
        row.refresh_from_db()
        self.assertEqual(row.fine_cents, 2 * services.FINE_CENTS_PER_DAY)
