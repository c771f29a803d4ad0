"""Desk pages: check out, check in, holds shelf, a patron's loans."""

from django.urls import reverse

from quietdesk.audit.models import AccessEntry, RoutineTally
from quietdesk.circulation import holds
from quietdesk.circulation.models import CirculationPreference, Item, Loan
from tests.circulation.helpers import DESK, item
from tests.personas import PersonaTestCase

CARD = "21000000000001"


class DeskPages(PersonaTestCase):
    def setUp(self):
        self.login(self.desk)
        self.book = item(1, title="Gardening in Clay Soil")

    def test_checkout_then_checkin(self):
        r = self.client.post(reverse("circulation:checkout"), {"card_number": CARD, "barcode": "item00001"})
        self.assertContains(r, "is checked out, due")
        self.assertContains(r, f'value="{CARD}"')  # card kept in the form for the next item
        self.assertNotContains(r, "Given1")
        self.assertEqual(Loan.objects.get().patron_id, self.patron.pk)
        # A routine step: counted for the desk, never logged per patron.
        self.assertFalse(AccessEntry.objects.filter(action__in=["search", "checkout", "card_lookup"]).exists())
        self.assertEqual(RoutineTally.objects.get(actor="desk", action="checkout").count, 1)
        r = self.client.post(reverse("circulation:checkin"), {"barcode": "ITEM00001"})
        self.assertContains(r, "Return it to the shelf")
        self.assertFalse(Loan.objects.exists())

    def test_bad_input_is_a_form_error(self):
        cases = [
            (reverse("circulation:checkout"), {"card_number": CARD, "barcode": "NOPE"}, "No item has that barcode"),
            (reverse("circulation:checkout"), {"card_number": "77777777", "barcode": "ITEM00001"}, "No patron has"),
            (reverse("circulation:checkout"), {}, "This field is required"),
            (reverse("circulation:checkin"), {"barcode": "ITEM00001"}, "not checked out"),
            (reverse("circulation:place_hold"), {"card_number": "1", "barcode": "x"}, "5 to 20 letters"),
            (reverse("circulation:account"), {"card_number": "77777777"}, "No patron has"),
        ]
        for url, data, message in cases:
            r = self.client.post(url, data)
            self.assertContains(r, message, status_code=200)
        self.assertFalse(Loan.objects.exists())

    def test_holds_shelf_shows_codes_not_names(self):
        hold = holds.do_place_hold(DESK, self.patron, self.book)
        r = self.client.get(reverse("circulation:holds_shelf"))
        self.assertContains(r, hold.shelf_code)
        self.assertNotContains(r, "Given1")
        self.assertNotContains(r, self.patron.pseudonym)
        r = self.client.post(reverse("circulation:hold_cancel", args=[hold.pk]))
        self.assertRedirects(r, reverse("circulation:holds_shelf"), fetch_redirect_response=False)
        self.assertEqual(Item.objects.get().status, "available")

    def test_account_page_renew_pay_preferences(self):
        r = self.client.post(reverse("circulation:account"), {"card_number": CARD})
        url = reverse("circulation:account_of", args=[self.patron.pk])
        self.assertRedirects(r, url, fetch_redirect_response=False)
        self.assertNotIn(CARD, r["Location"])
        self.client.post(reverse("circulation:checkout"), {"card_number": CARD, "barcode": "ITEM00001"})
        before = AccessEntry.objects.count()
        r = self.client.get(url)
        self.assertContains(r, "Gardening in Clay Soil")
        self.assertEqual(AccessEntry.objects.count(), before)  # part of lending: counted, not logged per patron
        self.assertEqual(RoutineTally.objects.get(actor="desk", action="desk_account").count, 1)
        loan = Loan.objects.get()
        self.client.post(reverse("circulation:renew", args=[loan.pk]))
        self.assertEqual(Loan.objects.get().renewals, 1)
        # Reading history only when the patron asked.
        r = self.client.post(reverse("circulation:preferences", args=[self.patron.pk]),
                             {"keep_reading_history": "on", "self_pickup": "on"})
        self.assertFalse(CirculationPreference.objects.filter(keep_reading_history=True).exists())
        self.client.post(reverse("circulation:preferences", args=[self.patron.pk]),
                         {"keep_reading_history": "on", "patron_asked": "on", "self_pickup": "on"})
        self.assertTrue(CirculationPreference.objects.get().keep_reading_history)
        r = self.client.post(reverse("circulation:pay_fine", args=[loan.pk]), {"amount": "1.00"})
        self.assertEqual(r.status_code, 404)  # nothing owed on this loan

    def test_ill_from_the_account_page(self):
        url = reverse("circulation:ill_request", args=[self.patron.pk])
        self.client.post(url, {"title": "Rare Pamphlet", "lender": "State Library"})
        r = self.client.get(reverse("circulation:account_of", args=[self.patron.pk]))
        self.assertContains(r, "Rare Pamphlet")
        from quietdesk.circulation.models import InterlibraryLoan

        loan = InterlibraryLoan.objects.get()
        self.client.post(reverse("circulation:ill_action", args=[loan.pk]), {"action": "complete"})
        self.assertFalse(InterlibraryLoan.objects.exists())  # completed: deleted, title and all
        r = self.client.post(url, {"title": "123-45-6789", "lender": "X"})
        self.assertEqual(InterlibraryLoan.objects.count(), 0)

    def test_roles_without_circulate(self):
        self.login(self.privacy)
        self.assertEqual(self.client.get(reverse("circulation:checkout")).status_code, 403)
        self.assertEqual(self.client.get(reverse("circulation:account_of", args=[self.patron.pk])).status_code, 404)
        self.login(self.admin)
        self.assertEqual(self.client.post(reverse("circulation:checkin"), {"barcode": "X"}).status_code, 403)
