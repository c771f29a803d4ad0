"""One-time enrollment codes: the member of staff sets their own password (and enrols their
authenticator); the code is stored only as a hash, works once, and expires."""

import datetime
import hashlib
import re
from base64 import b32decode

from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from quietdesk.staff import enrollment
from quietdesk.staff.models import EnrollmentCode, SealedTOTPDevice, StaffChange, StaffUser
from tests.personas import PersonaTestCase

from .helpers import ask_for_account, code_on, decide, every_value_in_the_database

NEW_PASSWORD = "lantern orchard pebble violet"
SIGN_IN = "/staff/sign-in/"


def wrong_code(seed: bytes) -> str:
    near = {totp(seed, drift=d) for d in (-1, 0, 1)}  # what the device accepts now
    return next(f"{n:06d}" for n in range(10) if n not in near)


class EnrollmentTests(PersonaTestCase):
    def approved_account(self, username="newdesk", role="circulation") -> str:
        """Asked by the administrator, approved by the director: the code the director was shown."""
        self.login(self.admin)
        ask_for_account(self.client, username, role, self.branch)
        self.client.logout()
        self.login(self.director)
        code = code_on(decide(self.client, StaffChange.objects.get(username=username)))
        self.client.logout()
        self.assertIsNotNone(code)
        return code

    def start(self, client, code):
        return client.post(reverse("staff:enroll"), {"enrollment_code": code})

    def enroll(self, client, code, password=NEW_PASSWORD, **extra):
        self.start(client, code)
        return client.post(reverse("staff:enroll"), {"new_password1": password, "new_password2": password, **extra})

    def test_desk_account_sets_its_own_password_with_the_code(self):
        code = self.approved_account()
        self.assertContains(self.client.get(SIGN_IN), reverse("staff:enroll"))
        r = self.start(self.client, code)
        self.assertRedirects(r, reverse("staff:enroll"), fetch_redirect_response=False)
        page = self.client.get(reverse("staff:enroll"))
        self.assertContains(page, "newdesk")
        self.assertNotContains(page, "totp-secret")  # a desk role has no authenticator
        r = self.client.post(reverse("staff:enroll"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("patrons:detail", args=[self.patron.id])).status_code, 200)
        self.client.logout()
        r = self.client.post(SIGN_IN, {"username": "newdesk", "password": NEW_PASSWORD})
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        change = StaffChange.objects.get(kind="enrolled")
        self.assertEqual(change.account.username, "newdesk")

    def test_the_code_may_be_typed_loosely_but_never_travels_in_a_url(self):
        code = self.approved_account()
        r = self.start(self.client, code.lower().replace("-", " "))
        self.assertRedirects(r, reverse("staff:enroll"), fetch_redirect_response=False)
        self.assertContains(self.client.get(reverse("staff:enroll")), "newdesk")
        self.assertEqual(self.client.get(f"/staff/enroll/{code}/").status_code, 404)
        self.assertEqual(self.client.get(f"/staff/enroll/?code={code}").status_code, 200)  # ignored
        self.assertNotIn(enrollment.normalize(code), enrollment.page_address())

    def test_a_used_code_is_refused(self):
        code = self.approved_account()
        self.enroll(self.client, code)
        self.client.logout()
        r = self.start(self.client, code)
        self.assertContains(r, "not valid", status_code=400)
        r = self.enroll(self.client_class(), code, password="another password entirely")
        account = StaffUser.objects.get(username="newdesk")
        self.assertTrue(account.check_password(NEW_PASSWORD))
        self.assertFalse(EnrollmentCode.objects.exists())

    def test_an_expired_code_is_refused(self):
        code = self.approved_account()
        EnrollmentCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        self.assertContains(self.start(self.client, code), "not valid", status_code=400)
        self.assertFalse(StaffUser.objects.get(username="newdesk").has_usable_password())

    def test_a_code_that_expires_while_the_page_is_open_is_refused(self):
        code = self.approved_account()
        self.start(self.client, code)
        EnrollmentCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        r = self.client.post(reverse("staff:enroll"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        self.assertContains(r, "not valid", status_code=400)
        self.assertContains(self.client.get(reverse("staff:enroll")), "Type the enrollment code")  # back to the start
        self.assertFalse(StaffUser.objects.get(username="newdesk").has_usable_password())

    def test_the_code_is_stored_only_as_a_hash_and_a_newer_one_replaces_it(self):
        code = self.approved_account()
        plain = enrollment.normalize(code)
        self.assertEqual(len(plain), 24)
        row = EnrollmentCode.objects.get()
        self.assertEqual(row.code_hash, hashlib.sha256(plain.encode()).hexdigest())
        everything = every_value_in_the_database()
        self.assertNotIn(plain, everything)
        self.assertNotIn(code, everything)
        self.assertLessEqual(row.expires_at - timezone.now(), datetime.timedelta(hours=24))
        # A reset (approved) issues a new code; the old one stops working.
        account = StaffUser.objects.get(username="newdesk")
        self.login(self.admin)
        self.client.post(reverse("staff:admin_detail", args=[account.pk]), {"action": "reset"})
        self.client.logout()
        self.login(self.director)
        newer = code_on(decide(self.client, StaffChange.objects.get(kind="reset")))
        self.client.logout()
        self.assertNotEqual(newer, code)
        self.assertContains(self.start(self.client, code), "not valid", status_code=400)
        self.assertRedirects(self.start(self.client, newer), reverse("staff:enroll"), fetch_redirect_response=False)

    def test_bad_passwords_keep_the_code(self):
        code = self.approved_account()
        self.start(self.client, code)
        r = self.client.post(reverse("staff:enroll"), {"new_password1": "short", "new_password2": "short"})
        self.assertContains(r, "too short", status_code=400)
        r = self.client.post(reverse("staff:enroll"), {"new_password1": NEW_PASSWORD, "new_password2": "different"})
        self.assertContains(r, "differ", status_code=400)
        r = self.client.post(reverse("staff:enroll"), {})
        self.assertEqual(r.status_code, 400)
        self.assertTrue(EnrollmentCode.objects.exists())
        r = self.client.post(reverse("staff:enroll"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        self.assertEqual(r.status_code, 302)

    def test_second_factor_roles_enrol_their_authenticator_in_the_same_step(self):
        code = self.approved_account("newpo", "privacy_officer")
        self.start(self.client, code)
        page = self.client.get(reverse("staff:enroll")).content.decode()
        self.assertIn('src="data:image/svg+xml', page)
        secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
        seed = b32decode(secret + "=" * (-len(secret) % 8))
        r = self.client.post(reverse("staff:enroll"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
                                                       "code": wrong_code(seed)})
        self.assertContains(r, "did not match", status_code=400)
        self.assertIn(secret, r.content.decode())  # the same key again, not a new one to scan
        SealedTOTPDevice.objects.filter(user__username="newpo").update(throttling_failure_timestamp=None)
        r = self.client.post(reverse("staff:enroll"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
                                                       "code": f"{totp(seed):06d}"})
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/").status_code, 200)  # the second factor is passed already
        device = SealedTOTPDevice.objects.get(user__username="newpo")
        self.assertTrue(device.confirmed)
        self.assertNotIn(seed, bytes(device.seed_ct))

    def test_a_password_alone_never_enrols_an_authenticator(self):
        """Before: a second-factor account without an authenticator enrolled one at its next
        password sign-in, so whoever knew the password chose the authenticator."""
        SealedTOTPDevice.objects.filter(user=self.privacy).delete()
        r = self.client.post(SIGN_IN, {"username": "privacy", "password": "correct horse battery staple"})
        r = self.client.get("/")
        self.assertRedirects(r, reverse("staff:no_authenticator"), fetch_redirect_response=False)
        self.assertContains(self.client.get(r["Location"]), "enrollment code")
        self.assertEqual(self.client.get("/").status_code, 302)  # signed out
        self.assertFalse(SealedTOTPDevice.objects.filter(user=self.privacy).exists())

    def test_no_enrollment_while_signed_in(self):
        code = self.approved_account()
        self.login(self.desk)
        self.assertContains(self.start(self.client, code), "Sign out first")
        self.assertContains(self.client.get(reverse("staff:enroll")), "Sign out first")
        self.assertTrue(EnrollmentCode.objects.exists())

    def test_deactivation_kills_the_code(self):
        code = self.approved_account()
        account = StaffUser.objects.get(username="newdesk")
        self.login(self.admin)
        self.client.post(reverse("staff:admin_detail", args=[account.pk]), {"action": "deactivate"})
        self.client.logout()
        self.assertContains(self.start(self.client, code), "not valid", status_code=400)
