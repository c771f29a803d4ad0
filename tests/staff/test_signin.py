import os
import subprocess
import sys
import time

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from quietdesk.staff.middleware import SIGNED_IN_AT
from quietdesk.staff.models import SealedTOTPDevice
from tests.personas import PASSWORD, PersonaTestCase, current_code

SIGN_IN = "/staff/sign-in/"


class SignInTests(PersonaTestCase):
    def sign_in(self, username, password=PASSWORD):
        return self.client.post(SIGN_IN, {"username": username, "password": password})

    def test_desk_signs_in_with_password_only(self):
        r = self.sign_in("desk")
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_director_needs_the_second_step(self):
        self.sign_in("director")
        self.assertRedirects(self.client.get("/"), reverse("staff:otp_verify"), fetch_redirect_response=False)
        self.assertEqual(self.client.get(f"/patrons/{self.patron.id}/").status_code, 302)
        r = self.client.post(reverse("staff:otp_verify"), {"code": "000000"})
        self.assertContains(r, "did not match")
        code = current_code(self.director.totp_seed)
        r = self.client.post(reverse("staff:otp_verify"), {"code": code})
        self.assertContains(r, "wait a few seconds")  # throttled after a wrong code
        SealedTOTPDevice.objects.filter(user=self.director).update(throttling_failure_timestamp=None)
        r = self.client.post(reverse("staff:otp_verify"), {"code": code})
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.get(f"/patrons/{self.patron.id}/").status_code, 200)
        # A code can never be used twice.
        self.client.logout()
        self.sign_in("director")
        r = self.client.post(reverse("staff:otp_verify"), {"code": code})
        self.assertContains(r, "did not match")

    def test_seed_is_sealed_not_stored_in_clear(self):
        device = SealedTOTPDevice.objects.get(user=self.director)
        self.assertNotIn(self.director.totp_seed.hex().encode(), bytes(device.seed_ct))
        self.assertNotIn(self.director.totp_seed, bytes(device.seed_ct))

    def test_lockout_after_repeated_failures(self):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.sign_in("desk", "wrong password!!")
        r = self.sign_in("desk")
        self.assertEqual(r.status_code, 429)
        self.assertContains(r, "paused", status_code=429)

    def test_session_has_an_absolute_lifetime(self):
        self.login(self.desk)
        session = self.client.session
        session[SIGNED_IN_AT] = int(time.time()) - settings.SESSION_MAX_HOURS * 3600 - 60
        session.save()
        self.assertEqual(self.client.get("/").status_code, 302)
        self.assertEqual(self.client.get("/").status_code, 302)

    def test_sign_out_is_post_only(self):
        self.login(self.desk)
        self.assertEqual(self.client.get(reverse("staff:logout")).status_code, 405)
        self.client.post(reverse("staff:logout"))
        self.assertEqual(self.client.get("/").status_code, 302)

    def test_headers(self):
        self.login(self.desk)
        r = self.client.get("/")
        self.assertEqual(r["Cache-Control"], "no-store")
        self.assertIn("default-src 'self'", r["Content-Security-Policy"])
        self.assertEqual(r["X-Frame-Options"], "DENY")

    @override_settings(DEBUG=False)
    def test_error_pages_echo_nothing(self):
        self.login(self.desk)
        r = self.client.get("/no-such-page-Wilhelmina/")
        self.assertEqual(r.status_code, 404)
        self.assertNotContains(r, "Wilhelmina", status_code=404)


def test_idle_timeout_and_password_rules():
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 <= 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    for weak in ("short", "elevenchars", "123456789012345"):
        try:
            validate_password(weak)
        except ValidationError:
            continue
        raise AssertionError(f"{weak!r} was accepted")


def _settings_in(env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_")}
    env.update(env_extra)
    code = "import quietdesk.settings as s; print(s.PASSWORD_HASHERS[0], s.SECRET_KEY[:4], s.SESSION_COOKIE_SECURE)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)


def test_production_fails_loudly_without_secrets(tmp_path):
    r = _settings_in({"QUIETDESK_MODE": "production", "QUIETDESK_DATA_DIR": str(tmp_path)})
    assert r.returncode != 0
    assert "QUIETDESK_SECRET_KEY" in r.stderr


def test_production_reads_file_secrets_and_uses_argon2(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t-from-a-file-0123456789-abcdefghijklmnopqrstuvwxyz\n")
    r = _settings_in({
        "QUIETDESK_MODE": "production", "QUIETDESK_DATA_DIR": str(tmp_path),
        "QUIETDESK_SECRET_KEY_FILE": str(secret), "QUIETDESK_ALLOWED_HOSTS": "lib.example.org",
    })
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["django.contrib.auth.hashers.Argon2PasswordHasher", "s3cr", "True"]
