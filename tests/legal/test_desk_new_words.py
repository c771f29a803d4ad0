"""The desk offers the engine's new words (issue 13, section 4): a contractor doing the
library's work, and someone claiming an emergency (the policy has no emergency exception)."""

from django.core import mail

from quietdesk.legal.models import Case
from tests.personas import PersonaTestCase


class DeskNewWordsTests(PersonaTestCase):
    def setUp(self):
        self.login(self.desk)

    def post(self, **data):
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post("/requests/", data)
        mail.outbox.clear()
        return r, Case.objects.get()

    def test_the_form_offers_both(self):
        page = self.client.get("/requests/").content.decode()
        self.assertIn('value="contractor"', page)
        self.assertIn("A contractor doing work for the library", page)
        self.assertIn('value="emergency_claim"', page)
        self.assertIn("No document: they say it is an emergency", page)

    def test_an_officer_claiming_an_emergency_is_told_no_and_the_director_is_told(self):
        r, case = self.post(requester="law_enforcement", category="presence", document="emergency_claim")
        self.assertEqual((case.outcome, case.scope), ("deny", "none"))
        self.assertIn("notify_director", case.actions)
        page = self.client.get(r["Location"]).content.decode()
        self.assertIn("No. Give no information.", page)
        self.assertIn("the library&#x27;s policy has no emergency exception", page)

    def test_a_member_of_the_public_claiming_an_emergency_gets_no(self):
        r, case = self.post(requester="public", category="registration", document="emergency_claim")
        self.assertEqual(case.outcome, "deny")
        page = self.client.get(r["Location"]).content.decode()
        self.assertIn("even in an emergency", page)
        self.assertIn("person in charge (branch manager)", page)
