"""Pages anyone may open: a patron's own records (after card number and PIN) and the
transparency report."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from quietdesk.staff.access import public_view

from .. import selfaccess, signin, transparency
from ..forms import PatronSignInForm


def _staff_signed_in(request) -> bool:
    return request.user.is_authenticated


@public_view
@require_http_methods(["GET", "POST"])
def my_records(request):
    if _staff_signed_in(request):
        # Never mix a patron's sign-in with a staff session on the same browser.
        selfaccess.session_patron(request)  # drops any patron part of the session
        return render(request, "legal/my_records_staff.html", status=200)
    patron = selfaccess.session_patron(request)
    if patron is not None and request.method == "GET":
        sections = selfaccess.own_records(patron, purpose="patron viewing their own records")
        return render(request, "legal/my_records.html", {"sections": sections, "patron": patron})
    form = PatronSignInForm(request.POST if request.method == "POST" else None)
    status, locked, held = 200, None, False
    if request.method == "POST" and form.is_valid():
        result = signin.sign_in(form.cleaned_data["card_number"], form.cleaned_data["pin"],
                                client=signin.client_key(request))
        if result.patron is not None:
            selfaccess.start_session(request, result.patron)
            return redirect("legal:my_records")
        if result.locked:
            locked, held, status = result.minutes, result.held, 429
        else:
            form.add_error(None, "That card number and PIN do not match. Ask at the desk if you need a PIN.")
            status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "legal/my_records_signin.html", {"form": form, "locked": locked, "held": held},
                  status=status)


@public_view
@require_http_methods(["POST"])
def my_records_download(request):
    patron = None if _staff_signed_in(request) else selfaccess.session_patron(request)
    if patron is None:
        return redirect("legal:my_records")
    fmt = request.POST.get("format")
    if fmt not in ("json", "pdf"):
        return HttpResponse("Choose json or pdf.", status=400, content_type="text/plain")
    now = timezone.localtime()
    sections = selfaccess.own_records(patron, purpose=f"patron downloading their own records ({fmt})")
    if fmt == "json":
        response = HttpResponse(selfaccess.as_json(patron, sections, exported_at=now),
                                content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(selfaccess.as_pdf("Your library records", sections, exported_at=now),
                                content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="my-library-records-{now:%Y%m%d}.{fmt}"'
    return response


@public_view
@require_http_methods(["POST"])
def my_records_sign_out(request):
    if not _staff_signed_in(request):
        selfaccess.end_session(request)
    return redirect("legal:my_records")


@public_view
@require_http_methods(["GET"])
def transparency_report(request):
    periods = transparency.finished_periods()
    chosen = transparency.Period.parse(request.GET.get("period", "")) or periods[0]
    if chosen not in periods:
        chosen = periods[0]
    return render(request, "legal/transparency.html", {
        "report": transparency.report(chosen), "periods": periods, "chosen": chosen,
        "band_width": transparency.BAND_WIDTH,
    })
