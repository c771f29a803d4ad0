"""Desk pages for patron records. Views are thin: services write, the reader decrypts."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from quietdesk.audit.service import Actor
from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap, has_cap
from quietdesk.vault import reader

from . import services
from .forms import ConfirmDeleteForm, FindPatronForm, PatronForm
from .models import Patron, PatronNameWord


@require_http_methods(["GET", "POST"])
@require(Cap.FIND_PATRON)
def find(request):
    # POST, never GET: a name in a query string would land in access logs and history.
    form = FindPatronForm(request.POST if request.method == "POST" else None)
    results, listed, too_many = None, [], 0
    if request.method == "POST" and form.is_valid():
        by, query = form.cleaned_data["by"], form.cleaned_data["query"]
        if by == "full_name":
            # Any whole word of the name: a list to choose from (each one shown is a logged search).
            listed, matched = reader.find_words(
                Actor.from_request(request), Patron.objects.select_related("home_branch"), PatronNameWord, query,
                purpose="find patron at the desk", show=("given_name", "family_name", "card_number"))
            too_many = matched if matched and not listed else 0
            results = [p for p, _ in listed]
            listed = [{"patron": p, "name": f"{v['given_name']} {v['family_name']}".strip(),
                       "card_end": v["card_number"][-4:]} for p, v in listed]
        else:
            results = reader.find(Actor.from_request(request), Patron.objects.all(), by, query, purpose="find patron at the desk")
            listed = [{"patron": p} for p in results]
        if len(results) == 1:
            return redirect("patrons:detail", patron_id=results[0].id)
    return render(request, "patrons/find.html", {"form": form, "results": results, "listed": listed,
                                                 "too_many": too_many})


@require_http_methods(["GET", "POST"])
@require(Cap.REGISTER_PATRON)
def register(request):
    form = PatronForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            patron = services.do_register_patron(Actor.from_request(request), form.cleaned_data, branch=request.user.branch)
        except services.DuplicateCard as exc:
            form.add_error("card_number", str(exc))
        else:
            messages.success(request, "Patron registered.")
            return redirect("patrons:detail", patron_id=patron.id)
    return render(request, "patrons/form.html", {"form": form, "title": "Register a patron"})


@require_http_methods(["GET"])
@require(Cap.VIEW_PATRON, hide=True)
def detail(request, patron_id):
    patron = get_object_or_404(Patron, pk=patron_id)
    values = services.view_patron(Actor.from_request(request), patron, purpose="desk view")
    acct = None
    if has_cap(request.user, Cap.CIRCULATE):
        # Their loans and holds: the desk's account view, part of lending (counted, not logged).
        from quietdesk.circulation.services import account_for

        acct = account_for(Actor.from_request(request), patron, purpose="loans at the desk", name_fields=())
    return render(request, "patrons/detail.html", {"patron": patron, "values": values, "acct": acct})


@require_http_methods(["GET"])
@require(Cap.VIEW_ACCESS_HISTORY, hide=True)
def access_history(request, patron_id):
    """Who viewed, changed or disclosed this record, when and why (ALA Q&A 7)."""
    patron = get_object_or_404(Patron, pk=patron_id)
    entries = services.access_history(Actor.from_request(request), patron, user=request.user)
    return render(request, "patrons/access_history.html", {"patron": patron, "entries": entries})


@require_http_methods(["GET", "POST"])
@require(Cap.EDIT_PATRON, hide=True)
def edit(request, patron_id):
    patron = get_object_or_404(Patron, pk=patron_id)
    if request.method == "POST":
        form = PatronForm(request.POST)
        if form.is_valid():
            try:
                services.do_update_patron(Actor.from_request(request), patron, form.cleaned_data)
            except services.DuplicateCard as exc:
                form.add_error("card_number", str(exc))
            else:
                messages.success(request, "Changes saved.")
                return redirect("patrons:detail", patron_id=patron.id)
    else:
        values = services.view_patron(Actor.from_request(request), patron, purpose="desk edit")
        initial = dict(values, age_band=patron.age_band, age_band_changes_on=patron.age_band_changes_on)
        initial["contact"] = "email" if values["email"] else "phone" if values["phone"] else "none"
        form = PatronForm(initial=initial)
    return render(request, "patrons/form.html", {"form": form, "title": "Edit patron record", "patron": patron})


@require_http_methods(["GET", "POST"])
@require(Cap.DELETE_PATRON, hide=True)
def delete(request, patron_id):
    patron = get_object_or_404(Patron, pk=patron_id)
    form = ConfirmDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_shred_patron(Actor.from_request(request), patron, reason="deleted at the patron's request")
        except (services.UnderLegalHold, services.StillInUse) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The record was destroyed.")
            return redirect("patrons:find")
    return render(request, "patrons/delete.html", {"form": form, "patron": patron})
