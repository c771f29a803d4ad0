"""Interlibrary loans are deleted, title and all, when they complete."""

from quietdesk.audit.models import AccessEntry
from quietdesk.circulation import errors, ill
from quietdesk.circulation.models import InterlibraryLoan
from tests.circulation.helpers import DESK
from tests.personas import PersonaTestCase


class IllRules(PersonaTestCase):
    def test_link_and_title_removed_at_completion(self):
        loan = ill.do_request_ill(DESK, self.patron, title="Rare Pamphlet", lender="State Library")
        self.assertNotIn(b"Rare Pamphlet", bytes(loan.title_ct))
        self.assertEqual(ill.open_ills_for(DESK, self.patron, purpose="t")[0][1], "Rare Pamphlet")
        ill.do_ill_arrived(DESK, loan)
        done = ill.do_close_ill(DESK, loan)
        self.assertEqual((done.status, done.patron_id, done.title_ct), ("completed", None, None))
        self.assertFalse(InterlibraryLoan.objects.filter(pk=loan.pk).exists())
        self.assertFalse(AccessEntry.objects.filter(action__startswith="ill").exists())  # counted, not logged
        with self.assertRaises(errors.IllRefused):
            ill.do_close_ill(DESK, loan)

    def test_cancel(self):
        loan = ill.do_request_ill(DESK, self.patron, title="X", lender="Y")
        ill.do_close_ill(DESK, loan, cancelled=True)
        self.assertFalse(InterlibraryLoan.objects.filter(pk=loan.pk).exists())
        with self.assertRaises(errors.IllRefused):
            ill.do_ill_arrived(DESK, loan)
