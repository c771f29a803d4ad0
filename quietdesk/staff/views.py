import secrets
from base64 import b32encode
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, record
from quietdesk.vault import api as vault

from .access import public_view, require
from .forms import CodeForm, SignInForm
from .models import SealedTOTPDevice
from .roles import Cap


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
        return redirect("staff:otp_enroll")
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


def _provisioning_uri(user, seed: bytes) -> str:
    label = quote(f"{settings.OTP_TOTP_ISSUER}:{user.get_username()}")
    secret = b32encode(seed).decode().rstrip("=")
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote(settings.OTP_TOTP_ISSUER)}&digits=6&period=30"


@require_http_methods(["GET", "POST"])
@require(Cap.USE_DESK)
def otp_enroll(request):
    user = request.user
    if user.sealedtotpdevice_set.filter(confirmed=True).exists():
        return redirect("staff:otp_verify")
    form = CodeForm(request.POST if request.method == "POST" else None)
    device = user.sealedtotpdevice_set.filter(confirmed=False).first()
    if request.method == "POST" and device is not None and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                record(Actor.for_user(user), Event.STAFF_ACCOUNT, basis="second factor added")
            otp_login(request, device)
            messages.success(request, "Your authenticator is set up.")
            return redirect(settings.LOGIN_REDIRECT_URL)
        form.add_error("code", "That code did not match. Check the time on your phone and try again.")
    # A fresh seed each time the page is shown without a pending device; the seed
    # is shown once, here, and stored only sealed.
    seed = None
    if device is None or request.method == "GET":
        seed = secrets.token_bytes(20)
        with transaction.atomic():
            for stale in user.sealedtotpdevice_set.filter(confirmed=False):
                vault.shred(stale.subject_id)
                stale.delete()
            device = SealedTOTPDevice(user=user, name="authenticator", confirmed=False)
            device.set_seed(seed, new=True)
            device.save()
    context = {"form": form}
    if seed is not None:
        uri = _provisioning_uri(user, seed)
        context["qr_svg_data"] = segno.make(uri, error="m").svg_data_uri(scale=5)
        context["secret"] = b32encode(seed).decode().rstrip("=")
    return render(request, "staff/otp_enroll.html", context)
