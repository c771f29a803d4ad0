import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

SIGNED_IN_AT = "qd_signed_in_at"


class SessionLifetimeMiddleware:
    """No session outlives a shift, however active (idle expiry is SESSION_COOKIE_AGE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            if started is None:
                request.session[SIGNED_IN_AT] = int(time.time())
            elif time.time() - started > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class SecondFactorMiddleware:
    """Roles that must use a second factor reach nothing until they have passed it."""

    ALLOWED = {"staff:otp_verify", "staff:logout"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or getattr(view_func, "is_public", False):
            return None
        match = request.resolver_match
        if match and match.view_name in self.ALLOWED:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        has_device = user.sealedtotpdevice_set.filter(confirmed=True).exists()
        if user.needs_second_factor and not has_device:
            # A password alone never enrols an authenticator: that takes an enrollment code
            # (staff/enrollment.py), which only a director hands out.
            logout(request)
            return redirect(reverse("staff:no_authenticator"))
        if has_device and not user.is_verified():
            return redirect(reverse("staff:otp_verify"))
        return None
