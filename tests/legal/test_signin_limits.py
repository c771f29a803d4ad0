"""Patron PIN sign-in cannot be brute-forced or sprayed (security review, finding 4)."""

from unittest import mock

from django.contrib.auth.hashers import make_password
from django.test import override_settings

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.legal import selfaccess, signin
from quietdesk.legal.forms import PinForm
from quietdesk.legal.models import PatronCredential, SignInLimit, SignInThrottle
from tests.audit.helpers import about
from tests.personas import PersonaTestCase

CARD = "21000000000001"
PIN = "482916"


class SignInLimitTests(PersonaTestCase):
    def setUp(self):
        selfaccess.do_set_pin(Actor.system("test"), self.patron, PIN)

    def sign_in(self, card=CARD, pin=PIN, address="198.51.100.7"):
        return self.client.post("/requests/my-records/", {"card_number": card, "pin": pin}, REMOTE_ADDR=address)

    @override_settings(QUIETDESK_PATRON_SIGNIN_CLIENT_LIMIT=3)
    def test_one_address_cannot_spray_many_cards(self):
        for n in range(3):
            self.assertEqual(self.sign_in(card=f"2100000000{n:04d}", pin="135792").status_code, 400)
        # Every card now refused from that address, even the right PIN, with no work done.
        with mock.patch("quietdesk.legal.signin.check_password") as checked:
            self.assertEqual(self.sign_in().status_code, 429)
            self.assertEqual(self.sign_in(card="21000000009999", pin="135792").status_code, 429)
        checked.assert_not_called()
        # Another address is not held back by it.
        self.assertEqual(self.sign_in(address="203.0.113.9").status_code, 302)
        # The address itself is never stored.
        keys = " ".join(SignInLimit.objects.values_list("key", flat=True))
        self.assertNotIn("198.51.100", keys)
        self.assertNotIn("203.0.113", keys)

    @override_settings(QUIETDESK_PATRON_SIGNIN_CLIENT_LIMIT=3)
    def test_an_ipv6_client_is_counted_by_its_network(self):
        for n in range(3):
            self.sign_in(card=f"2100000000{n:04d}", pin="135792", address=f"2001:db8:1:2::{n + 1}")
        self.assertEqual(self.sign_in(address="2001:db8:1:2:ffff::1").status_code, 429)

    @override_settings(QUIETDESK_PATRON_SIGNIN_CLIENT_LIMIT=100, QUIETDESK_PATRON_SIGNIN_GLOBAL_LIMIT=4)
    def test_many_addresses_together_are_limited(self):
        for n in range(4):
            self.assertEqual(self.sign_in(card=f"2100000000{n:04d}", pin="135792", address=f"192.0.2.{n + 1}").status_code, 400)
        self.assertEqual(self.sign_in(card="21000000000077", pin="135792", address="192.0.2.99").status_code, 429)

    @override_settings(QUIETDESK_PATRON_SIGNIN_GLOBAL_LIMIT=4)
    def test_success_does_not_use_up_the_limit(self):
        for _ in range(6):
            self.assertEqual(self.sign_in().status_code, 302)
            self.client.post("/requests/my-records/sign-out/")

    @override_settings(QUIETDESK_PATRON_PIN_FAILURE_LIMIT=3, QUIETDESK_PATRON_PIN_DAILY_FAILURE_LIMIT=5)
    def test_failures_add_up_until_the_desk_unlocks_the_card(self):
        for _ in range(3):
            self.assertEqual(self.sign_in(pin="111119").status_code, 400)
        self.assertEqual(self.sign_in().status_code, 429)  # the short lock
        SignInThrottle.objects.update(locked_until=None)  # the short lock runs out
        for _ in range(2):
            self.assertEqual(self.sign_in(pin="111119").status_code, 400)
        SignInThrottle.objects.update(locked_until=None)
        r = self.sign_in()  # the right PIN: still held, whatever the time
        self.assertEqual(r.status_code, 429)
        self.assertIn("ask at the desk to unlock it", r.content.decode())
        self.assertIsNone(selfaccess.session_patron(r.wsgi_request))
        self.assertEqual(AccessEntry.objects.filter(action="self_signin_limit", basis__contains="held").count(), 1)
        # The desk sees it and unlocks it.
        self.login(self.desk)
        self.assertIn("locked after too many failed tries",
                      self.client.get(f"/requests/pin/{self.patron.id}/").content.decode())
        self.client.post(f"/requests/pin/{self.patron.id}/unlock/")
        self.assertTrue(about(self.patron.id, action="pin_change", basis__contains="unlocked"))
        self.client.logout()
        self.assertEqual(self.sign_in().status_code, 302)

    def test_a_pin_has_at_least_six_digits(self):
        for short in ("4829", "48291"):
            self.assertFalse(PinForm({"pin": short, "pin2": short}).is_valid(), short)
        self.assertTrue(PinForm({"pin": PIN, "pin2": PIN}).is_valid())
        # A short PIN set before this rule no longer signs in.
        PatronCredential.objects.filter(patron=self.patron).update(pin_hash=make_password("4829"))
        r = self.sign_in(pin="4829")
        self.assertEqual(r.status_code, 400)
        self.assertIsNone(selfaccess.session_patron(r.wsgi_request))

    def test_found_and_not_found_do_the_same_work_and_write_no_log(self):
        before = AccessEntry.objects.count()
        with mock.patch("quietdesk.legal.signin.check_password", return_value=False) as checked, \
                mock.patch("quietdesk.vault.reader.find") as find:
            self.assertEqual(self.sign_in(pin="135792").status_code, 400)  # a patron's card, wrong PIN
            on_a_patron = checked.call_count
            self.assertEqual(self.sign_in(card="21000000005555", pin="135792").status_code, 400)  # no such card
            on_nobody = checked.call_count - on_a_patron
        self.assertEqual((on_a_patron, on_nobody), (1, 1))
        find.assert_not_called()  # the card number is decrypted only once a PIN matched
        # Failures by anyone are not written to the hash-chained log one by one.
        self.assertEqual(AccessEntry.objects.count(), before)

    def test_the_client_key_is_a_keyed_hash(self):
        request = mock.Mock(META={"REMOTE_ADDR": "198.51.100.7"})
        key = signin.client_key(request)
        self.assertTrue(key.startswith("client:"))
        self.assertNotIn("198.51.100.7", key)
        self.assertEqual(key, signin.client_key(mock.Mock(META={"REMOTE_ADDR": "198.51.100.7"})))
        self.assertNotEqual(key, signin.client_key(mock.Mock(META={"REMOTE_ADDR": "198.51.100.8"})))
