from base64 import b32encode
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from .. import enrollment
from ..access import public_view, require
from ..forms import CodeForm, EnrollForm, EnrollmentCodeForm, SignInForm
from ..roles import Cap


class SignInView(auth_views.LoginView):
    template_name = "staff/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


sign_in = public_view(SignInView.as_view())
sign_in.is_public = True


@require_http_methods(["POST"])
@require(Cap.USE_DESK)
def sign_out(request):
    from django.contrib.auth import logout

    logout(request)
    return redirect(settings.LOGIN_URL)


@require_http_methods(["GET", "POST"])
@require(Cap.USE_DESK)
def otp_verify(request):
    device = request.user.sealedtotpdevice_set.filter(confirmed=True).first()
    if device is None:
        return redirect("staff:no_authenticator")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", "Too many wrong codes: wait a few seconds, then try the newest code.")
        elif device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(settings.LOGIN_REDIRECT_URL)
        else:
            form.add_error("code", "That code did not match. Wait for a new code and try again.")
    return render(request, "staff/otp_verify.html", {"form": form})


@public_view
@require_http_methods(["GET"])
def no_authenticator(request):
    """Where a second-factor account without an authenticator lands (signed out by the middleware)."""
    return render(request, "staff/no_authenticator.html")


def _provisioning_uri(user, seed: bytes) -> str:
    label = quote(f"{settings.OTP_TOTP_ISSUER}:{user.get_username()}")
    secret = b32encode(seed).decode().rstrip("=")
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote(settings.OTP_TOTP_ISSUER)}&digits=6&period=30"


# --- enrollment: the member of staff sets their own password (enrollment.py) ----------

ENROLLING = "qd_enrolling"  # the session holds the code's hash, never the code


def _start_enrollment(request, code: str):
    # The code is typed, never carried in a URL: addresses end up in access logs and
    # browser history, which the system administrator, among others, can read.
    found = enrollment.find(enrollment.code_hash(code))
    if found is None:
        return None
    request.session.cycle_key()
    request.session[ENROLLING] = found.code_hash
    return redirect("staff:enroll")


@public_view
@require_http_methods(["GET", "POST"])
def enroll(request):
    if request.user.is_authenticated:
        return render(request, "staff/enroll.html", {"signed_in": True})
    found = enrollment.find(request.session.get(ENROLLING, ""))
    if found is None:
        lapsed = request.session.pop(ENROLLING, None) is not None  # used, replaced or expired meanwhile
        form = EnrollmentCodeForm(request.POST if request.method == "POST" and not lapsed else None)
        if request.method == "POST" and not lapsed and form.is_valid():
            started = _start_enrollment(request, form.cleaned_data["enrollment_code"])
            if started is not None:
                return started
            form.add_error("enrollment_code", enrollment.INVALID)
        status = 400 if request.method == "POST" else 200
        return render(request, "staff/enroll.html", {"form": form, "lapsed": lapsed and enrollment.INVALID},
                      status=status)

    account = found.account
    needs_authenticator = account.needs_second_factor
    form = EnrollForm(request.POST if request.method == "POST" else None, needs_authenticator=needs_authenticator)
    if request.method == "POST" and form.is_valid():
        try:
            user, device, _change = enrollment.do_enroll(found.code_hash, form.cleaned_data["new_password1"],
                                                         form.cleaned_data.get("code"))
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        except enrollment.AuthenticatorMismatch as exc:
            form.add_error("code", str(exc))
        except enrollment.EnrollmentError as exc:
            form.add_error(None, str(exc))
        else:
            request.session.pop(ENROLLING, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if device is not None:
                otp_login(request, device)
            messages.success(request, "Your account is ready." + (" Your authenticator is set up." if device else ""))
            return redirect(settings.LOGIN_REDIRECT_URL)
    context = {"account": account, "form": form, "needs_authenticator": needs_authenticator,
               "expires_at": found.expires_at}
    if needs_authenticator:
        # A new seed each time the page is shown afresh; after a failed attempt, the same one again.
        _device, seed = enrollment.pending_device(account, fresh=request.method == "GET")
        uri = _provisioning_uri(account, seed)
        context["qr_svg_data"] = segno.make(uri, error="m").svg_data_uri(scale=5)
        context["secret"] = b32encode(seed).decode().rstrip("=")
    status = 400 if request.method == "POST" else 200
    return render(request, "staff/enroll.html", context, status=status)
