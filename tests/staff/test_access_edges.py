"""Edges of staff access: an account with a role quietdesk does not know has no capability;
static files are served to a signed-in director before the second factor (the sign-in
page needs its stylesheet) while pages are not; lockout counts an IPv4 client reached over
IPv6 as that IPv4 address, and does not count attempts already locked out or allowed."""

from types import SimpleNamespace
from unittest import mock

from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from quietdesk.staff import lockout
from quietdesk.staff.middleware import SecondFactorMiddleware
from quietdesk.staff.models import SignInFailure
from quietdesk.staff.roles import Cap, has_cap
from tests.personas import PersonaTestCase, make_staff


class RoleTests(PersonaTestCase):
    def test_an_unknown_role_has_no_capability(self):
        stray = make_staff("stray", "circulation")
        self.assertTrue(has_cap(stray, Cap.FIND_PATRON))
        stray.role = "curator"  # not a quietdesk role (an old import, a hand-edited row)
        self.assertFalse(has_cap(stray, Cap.FIND_PATRON))


class SecondFactorTests(PersonaTestCase):
    def answer(self, path):
        request = RequestFactory().get(path)
        self.director.is_verified = lambda: False  # django-otp's middleware: no code typed yet
        request.user, request.session, request.resolver_match = self.director, self.client.session, None
        return SecondFactorMiddleware(lambda r: None).process_view(request, lambda r: None, (), {})

    def test_static_files_pass_before_the_second_factor_and_pages_do_not(self):
        self.assertIsNone(self.answer(settings.STATIC_URL + "quietdesk/site.css"))
        page = self.answer("/")
        self.assertEqual(page.status_code, 302)
        self.assertEqual(page["Location"], reverse("staff:otp_verify"))


class LockoutCountingTests(PersonaTestCase):
    def request(self, *, locked_out=False):
        return SimpleNamespace(axes_locked_out=locked_out, axes_ip_address="203.0.113.9", META={}, POST={})

    def test_an_ipv4_client_over_ipv6_is_counted_as_its_ipv4_address(self):
        self.assertEqual(lockout.network("::ffff:203.0.113.9"), "203.0.113.9")
        self.assertEqual(lockout.lockout_key("desk", "::ffff:203.0.113.9"), lockout.lockout_key("desk", "203.0.113.9"))

    def test_a_failure_without_a_request_is_not_counted(self):
        lockout.HashedLockoutHandler().user_login_failed(None, {"username": "desk"}, request=None)
        self.assertFalse(SignInFailure.objects.exists())

    def test_an_attempt_already_locked_out_is_not_counted_again(self):
        request = self.request(locked_out=True)
        with mock.patch.object(lockout.user_locked_out, "send") as said:
            lockout.HashedLockoutHandler().user_login_failed(None, {"username": "desk"}, request=request)
        self.assertFalse(SignInFailure.objects.exists())
        self.assertEqual(request.axes_credentials, {"username": "desk"})
        said.assert_called_once_with("axes", request=request, username=None, ip_address=None)

    def test_an_allowed_client_is_not_counted(self):
        handler = lockout.HashedLockoutHandler()
        with mock.patch.object(handler, "is_whitelisted", return_value=True):
            handler.user_login_failed(None, {"username": "desk"}, request=self.request())
        self.assertFalse(SignInFailure.objects.exists())
        handler.user_login_failed(None, {"username": "desk"}, request=self.request())
        self.assertEqual(SignInFailure.objects.get().failures, 1)
