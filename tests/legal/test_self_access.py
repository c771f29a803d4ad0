"""A patron sees and downloads their own records with card number and PIN."""

import json

from django.test import override_settings

from quietdesk.audit.models import AccessEntry, RoutineTally
from quietdesk.legal import selfaccess
from quietdesk.legal.models import PatronCredential, SignInThrottle
from tests.audit.helpers import about
from tests.legal.test_cases import pdf_text
from tests.personas import PersonaTestCase

CARD = "21000000000001"


class SelfAccessTests(PersonaTestCase):
    def set_pin(self, pin="482916"):
        self.login(self.desk)
        r = self.client.post("/requests/pin/", {"card_number": CARD})
        self.assertRedirects(r, f"/requests/pin/{self.patron.id}/")
        r = self.client.post(f"/requests/pin/{self.patron.id}/", {"pin": pin, "pin2": pin})
        self.assertEqual(r.status_code, 302)
        self.client.logout()

    def sign_in(self, pin="482916", card=CARD):
        return self.client.post("/requests/my-records/", {"card_number": card, "pin": pin})

    def test_pin_is_hashed_and_rules_apply(self):
        self.set_pin()
        cred = PatronCredential.objects.get(patron=self.patron)
        self.assertNotIn("482916", cred.pin_hash)
        self.login(self.desk)
        for bad in ("1234", "0000", "12ab", "123"):
            r = self.client.post(f"/requests/pin/{self.patron.id}/", {"pin": bad, "pin2": bad})
            self.assertEqual(r.status_code, 200, bad)
        r = self.client.post(f"/requests/pin/{self.patron.id}/", {"pin": "482916", "pin2": "482917"})
        self.assertIn("The two PINs differ", r.content.decode())
        self.assertTrue(about(self.patron.id, action="pin_change"))

    def test_sign_in_view_and_download(self):
        self.set_pin()
        r = self.sign_in()
        self.assertRedirects(r, "/requests/my-records/")
        page = self.client.get("/requests/my-records/").content.decode()
        self.assertIn("Given1", page)
        self.assertIn("patron1@example.org", page)
        # The patron's own look is counted, never logged under their name.
        self.assertFalse(AccessEntry.objects.filter(role="patron").exists())
        self.assertGreater(RoutineTally.objects.get(role="patron", action="self_access").count, 0)
        r = self.client.post("/requests/my-records/download/", {"format": "json"})
        self.assertEqual(r["Content-Type"], "application/json; charset=utf-8")
        data = json.loads(r.content)
        self.assertEqual(data["records"]["registration"][0]["card_number"], CARD)
        r = self.client.post("/requests/my-records/download/", {"format": "pdf"})
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertIn("Family1", pdf_text(r.content))
        self.assertEqual(self.client.post("/requests/my-records/download/", {"format": "xml"}).status_code, 400)
        self.client.post("/requests/my-records/sign-out/")
        page = self.client.get("/requests/my-records/").content.decode()
        self.assertNotIn("Given1", page)
        self.assertIn("PIN", page)
        self.assertEqual(self.client.post("/requests/my-records/download/", {"format": "json"}).status_code, 302)

    def test_wrong_pin_and_unknown_card_say_the_same(self):
        self.set_pin()
        wrong = self.sign_in(pin="999999").content.decode()
        unknown = self.sign_in(card="99999999999").content.decode()
        message = "That card number and PIN do not match."
        self.assertIn(message, wrong)
        self.assertIn(message, unknown)
        self.assertNotIn("Given1", wrong)

    @override_settings(QUIETDESK_PATRON_PIN_FAILURE_LIMIT=3)
    def test_lockout_after_failures(self):
        self.set_pin()
        for _ in range(3):
            self.assertEqual(self.sign_in(pin="111119").status_code, 400)
        r = self.sign_in()  # the right PIN, but locked
        self.assertEqual(r.status_code, 429)
        self.assertIn("Too many tries", r.content.decode())
        self.assertIsNone(selfaccess.session_patron(r.wsgi_request))
        SignInThrottle.objects.update(locked_until=None)
        self.assertEqual(self.sign_in().status_code, 302)
        self.assertFalse(SignInThrottle.objects.exists())  # success clears the count

    def test_lockout_counts_cards_that_do_not_exist(self):
        with override_settings(QUIETDESK_PATRON_PIN_FAILURE_LIMIT=2):
            self.sign_in(card="55555555555")
            self.sign_in(card="55555555555")
            self.assertEqual(self.sign_in(card="55555555555").status_code, 429)

    def test_no_pin_no_access(self):
        self.assertEqual(self.sign_in().status_code, 400)

    def test_no_session_reuse_with_staff(self):
        self.set_pin()
        self.sign_in()
        self.login(self.desk)  # a staff member signs in on the same browser
        page = self.client.get("/requests/my-records/").content.decode()
        self.assertIn("A staff member is signed in", page)
        self.assertNotIn("Given1", page)
        self.assertEqual(self.client.post("/requests/my-records/download/", {"format": "json"}).status_code, 302)
        r = self.client.post("/requests/my-records/", {"card_number": CARD, "pin": "482916"})
        self.assertNotIn(selfaccess.SESSION_PATRON, r.wsgi_request.session)

    def test_session_id_changes_and_expires(self):
        self.set_pin()
        self.client.get("/requests/my-records/")
        before = self.client.cookies["sessionid"].value if "sessionid" in self.client.cookies else None
        self.sign_in()
        self.assertNotEqual(self.client.cookies["sessionid"].value, before)
        session = self.client.session
        session[selfaccess.SESSION_AT] -= 3600
        session.save()
        self.assertNotIn("Given1", self.client.get("/requests/my-records/").content.decode())

    def test_pin_page_is_for_desk_roles(self):
        self.login(self.privacy)
        self.assertEqual(self.client.get(f"/requests/pin/{self.patron.id}/").status_code, 404)
