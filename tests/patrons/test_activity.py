"""The month a patron was last active (registration expiry): kept by the routine steps, in their
own transaction, with at most one UPDATE, and only on the first step of a month."""

from __future__ import annotations

import datetime
from unittest import mock

from django.utils import timezone

from quietdesk import sql
from quietdesk.audit.service import Actor
from quietdesk.circulation import holds, services
from quietdesk.circulation.models import Item, Loan
from quietdesk.patrons.models import Patron, month_of
from quietdesk.patrons.services import touch_active
from tests.personas import PersonaTestCase

DESK = Actor("desk", "circulation")
LONG_AGO = datetime.date(2023, 2, 1)


class TouchActive(PersonaTestCase):
    def setUp(self):
        self.month = month_of(timezone.localdate())
        Patron.objects.filter(pk=self.patron.pk).update(active_month=LONG_AGO, expiry_notice_on=datetime.date(2026, 1, 5))
        self.items = [Item.objects.create(barcode=f"ACT{i:04d}", title=f"Title {i}") for i in range(3)]

    def fresh(self) -> Patron:
        return Patron.objects.get(pk=self.patron.pk)

    def updates(self):
        """A spy on quietdesk.sql (it still runs every statement): the patron UPDATEs made."""
        seen = []
        real = sql.execute

        def spy(statement, params=()):
            if statement.startswith(f"UPDATE {Patron._meta.db_table}"):
                seen.append(statement)
            return real(statement, params)

        return seen, mock.patch.object(sql, "execute", spy)

    def assert_active_now(self):
        got = self.fresh()
        self.assertEqual((got.active_month, got.expiry_notice_on), (self.month, None))

    def test_checkout_once_a_month(self):
        seen, spy = self.updates()
        with spy:
            services.do_checkout(DESK, self.fresh(), self.items[0])
            self.assertEqual(len(seen), 1)
            self.assert_active_now()
            services.do_checkout(DESK, self.fresh(), self.items[1])  # same month: the row says so already
        self.assertEqual(len(seen), 1)

    def test_return_reads_the_month_with_the_loan(self):
        services.do_checkout(DESK, self.fresh(), self.items[0])
        seen, spy = self.updates()
        with spy:
            services.do_return(DESK, self.items[0])
        self.assertEqual(seen, [])  # active this month already: no write
        services.do_checkout(DESK, self.fresh(), self.items[0])
        Patron.objects.filter(pk=self.patron.pk).update(active_month=LONG_AGO)
        with spy:
            services.do_return(DESK, self.items[0])
        self.assertEqual(len(seen), 1)
        self.assert_active_now()

    def test_renewal_hold_and_fine(self):
        loan = services.do_checkout(DESK, self.fresh(), self.items[0])

        def long_ago():
            Patron.objects.filter(pk=self.patron.pk).update(active_month=LONG_AGO, expiry_notice_on=LONG_AGO)

        long_ago()
        services.do_renew(DESK, self.fresh(), self.items[0])
        self.assert_active_now()
        long_ago()
        holds.do_place_hold(DESK, self.fresh(), self.items[1])
        self.assert_active_now()
        long_ago()
        Loan.objects.filter(pk=loan.pk).update(fine_cents=200)
        services.do_pay_fine(DESK, Loan.objects.get(pk=loan.pk), 100)
        self.assert_active_now()

    def test_a_step_dated_in_an_earlier_month_never_moves_it_back(self):
        touch_active(self.fresh(), timezone.localdate())
        touch_active(self.patron.pk, datetime.date(2020, 3, 9), active_month=None)
        self.assertEqual(self.fresh().active_month, self.month)

    def test_the_step_and_its_mark_share_one_transaction(self):
        """A checkout that fails after marking the month (here: at its access-log count) leaves
        neither the loan nor the month."""
        with mock.patch("quietdesk.circulation.services.count_routine", side_effect=RuntimeError("crash")), \
                self.assertRaises(RuntimeError):
            services.do_checkout(DESK, self.fresh(), self.items[0])
        self.assertEqual(self.fresh().active_month, LONG_AGO)
        self.assertFalse(Loan.objects.exists())
