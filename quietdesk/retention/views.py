"""Retention pages: the schedule in force, the inventory, purge runs, legal holds."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from quietdesk.audit.service import Actor
from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap, has_cap
from quietdesk.vault import reader

from . import schedule
from .forms import LegalHoldForm, ReleaseForm
from .inventory import inventory
from .legal_holds import do_place_legal_hold, do_release_legal_hold, hidden_ids
from .models import LegalHold, PurgeRun


@require(Cap.VIEW_RETENTION)
@require_http_methods(["GET"])
def overview(request):
    s = schedule.get()
    # Holds placed for a case under non-disclosure are the director's alone to know of.
    hidden = frozenset() if has_cap(request.user, Cap.DECIDE_CASES) else hidden_ids()
    return render(request, "retention/overview.html", {
        "schedule": s, "rules": schedule.describe(s), "lines": inventory(hidden_holds=hidden),
        "runs": PurgeRun.objects.all()[:10],
    })


@require(Cap.PLACE_LEGAL_HOLD)
@require_http_methods(["GET"])
def legal_holds(request):
    return render(request, "retention/legal_holds.html", {
        "active": LegalHold.objects.filter(released_at__isnull=True).select_related("patron"),
        "released": LegalHold.objects.filter(released_at__isnull=False)[:20],
    })


@require(Cap.PLACE_LEGAL_HOLD)
@require_http_methods(["GET", "POST"])
def legal_hold_new(request):
    form = LegalHoldForm(request.POST if request.method == "POST" else None)
    actor = Actor.for_user(request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        patron = None
        if data["scope"] == "patron":
            patrons = LegalHold.patron.field.related_model  # the patron model, named by the hold's key
            matches = reader.find(actor, patrons.objects.all(), "card_number", data["card_number"],
                                  purpose="legal hold: identify the patron an order names")
            if len(matches) != 1:
                form.add_error("card_number", "No patron has that card number.")
            else:
                patron = matches[0]
        if not form.errors:
            try:
                hold = do_place_legal_hold(
                    actor, reference=data["reference"], served_on=data["served_on"], categories=data["categories"],
                    date_from=data["date_from"], date_to=data["date_to"], patron=patron,
                    all_patrons=data["scope"] == "all")
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.success(request, f"Legal hold {hold.label} placed: the purge will skip these records.")
                return redirect("retention:legal_holds")
    return render(request, "retention/legal_hold_new.html", {"form": form})


@require(Cap.PLACE_LEGAL_HOLD)
@require_http_methods(["GET", "POST"])
def legal_hold_release(request, hold_id):
    hold = get_object_or_404(LegalHold, pk=hold_id, released_at__isnull=True)
    form = ReleaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        do_release_legal_hold(Actor.for_user(request.user), hold, reason=form.cleaned_data["reason"])
        messages.success(request, f"Legal hold {hold.label} released: its records follow the schedule again.")
        return redirect("retention:legal_holds")
    return render(request, "retention/legal_hold_release.html", {"form": form, "hold": hold})
