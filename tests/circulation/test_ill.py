"""Interlibrary loans lose the patron and the title when they complete."""

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
        row = InterlibraryLoan.objects.get(pk=loan.pk)
        self.assertIsNone(row.patron_id)
        self.assertIsNone(row.title_ct)
        self.assertEqual(AccessEntry.objects.filter(action="ill_complete", subject=self.patron.pseudonym).count(), 1)
        with self.assertRaises(errors.IllRefused):
            ill.do_close_ill(DESK, loan)

    def test_cancel(self):
        loan = ill.do_request_ill(DESK, self.patron, title="X", lender="Y")
        ill.do_close_ill(DESK, loan, cancelled=True)
        self.assertEqual(InterlibraryLoan.objects.get(pk=loan.pk).status, "cancelled")
        with self.assertRaises(errors.IllRefused):
            ill.do_ill_arrived(DESK, loan)
