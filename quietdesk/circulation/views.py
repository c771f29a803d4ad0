"""Desk pages: check out, check in, the holds shelf, a patron's loans. Thin:
services write, the reader decrypts. Cards and names travel only in POST
bodies and page content, never in URLs or ``messages``."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from quietdesk.audit.service import Actor
from quietdesk.patrons.models import Patron
from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap

from . import errors, forms, history, ill, services
from . import holds as hold_services
from .models import Hold, InterlibraryLoan, Loan


def _bind(form_class, request, **kwargs):
    return form_class(request.POST if request.method == "POST" else None, **kwargs)


def _focus(form, field: str):
    """The field a barcode scanner types into next (a scanner ends each scan with Enter)."""
    form.fields[field].widget.attrs["autofocus"] = True
    return form


def _holder(patron) -> dict:
    """The card is accepted: how many items its holder has out (no name: the screen may be seen)."""
    return {"out": Loan.objects.filter(patron=patron, returned_on__isnull=True).count(), "id": patron.pk}


@require(Cap.CIRCULATE)
@require_http_methods(["GET", "POST"])
def checkout(request):
    """The scanner loop: scan the card (Enter), then each item (Enter); the card stays for the
    next item and the focus goes back to the barcode. Works without JavaScript."""
    form = _bind(forms.CheckoutForm, request)
    done = failed = holder = None
    if request.method == "POST" and form.is_valid():
        card = form.cleaned_data["card_number"]
        try:
            patron = services.patron_by_card(Actor.from_request(request), card, purpose="checkout at the desk")
            holder = _holder(patron)
            if form.cleaned_data["barcode"]:
                item = services.item_by_barcode(form.cleaned_data["barcode"])
                loan = services.do_checkout(Actor.from_request(request), patron, item)
                done = {"item": item, "due_on": loan.due_on, "patron_id": patron.pk}
                holder["out"] += 1
        except errors.CirculationError as exc:
            failed = str(exc)
            if holder is None:  # the card was not found: scan it again
                return render(request, "circulation/checkout.html", {
                    "form": _focus(forms.CheckoutForm(initial={"card_number": card}), "card_number"),
                    "failed": failed, "holder": None})
        # Keep the card for the next item; clear the barcode and scan again.
        form = _focus(forms.CheckoutForm(initial={"card_number": card}), "barcode")
    elif form.is_bound and "card_number" in form.errors:
        _focus(form, "card_number")
    else:
        _focus(form, "card_number" if not form.is_bound else "barcode")
    return render(request, "circulation/checkout.html", {"form": form, "done": done, "failed": failed,
                                                         "holder": holder})


@require(Cap.CIRCULATE, hide=True)
@require_http_methods(["GET", "POST"])
def checkout_to(request, patron_id):
    """Check out to the patron whose record is open: items only, scanned one after another."""
    patron = get_object_or_404(Patron, pk=patron_id)
    form = _bind(forms.CheckinForm, request)
    done = failed = None
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_by_barcode(form.cleaned_data["barcode"])
            loan = services.do_checkout(Actor.from_request(request), patron, item)
        except errors.CirculationError as exc:
            failed = str(exc)
        else:
            done = {"item": item, "due_on": loan.due_on, "patron_id": patron.pk}
        form = forms.CheckinForm()
    elif form.is_bound:
        failed = "Scan or type the item's barcode."
        form = forms.CheckinForm()
    acct = services.account_for(Actor.from_request(request), patron, purpose="checkout at the desk")
    return render(request, "circulation/checkout_to.html", {
        "form": _focus(form, "barcode"), "done": done, "failed": failed, "first_name": acct.first_name,
        "holder": {"out": sum(1 for loan in acct.loans if not loan.returned_on)}, "patron": patron})


@require(Cap.CIRCULATE)
@require_http_methods(["GET", "POST"])
def checkin(request):
    form = _bind(forms.CheckinForm, request)
    done = failed = None
    if request.method == "POST" and form.is_valid():
        try:
            done = services.do_return(Actor.from_request(request), services.item_by_barcode(form.cleaned_data["barcode"]))
        except errors.CirculationError as exc:
            failed = str(exc)
        form = forms.CheckinForm()
    elif form.is_bound:
        failed = "Scan or type the item's barcode."
        form = forms.CheckinForm()
    return render(request, "circulation/checkin.html", {"form": _focus(form, "barcode"), "done": done,
                                                        "failed": failed})


@require(Cap.CIRCULATE)
@require_http_methods(["GET"])
def holds_shelf(request):
    return render(request, "circulation/holds_shelf.html", {"holds": hold_services.shelf_list()})


@require(Cap.CIRCULATE)
@require_http_methods(["GET", "POST"])
def place_hold(request):
    form = _bind(forms.PlaceHoldForm, request)
    done = None
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_by_barcode(form.cleaned_data["barcode"])
            patron = services.patron_by_card(Actor.from_request(request), form.cleaned_data["card_number"],
                                             purpose="place a hold", category="holds")
            done = hold_services.do_place_hold(Actor.from_request(request), patron, item)
        except errors.CirculationError as exc:
            form.add_error(None, str(exc))
        else:
            form = forms.PlaceHoldForm()
    return render(request, "circulation/place_hold.html", {"form": form, "done": done})


@require(Cap.CIRCULATE)
@require_POST
def hold_cancel(request, hold_id):
    hold = get_object_or_404(Hold, pk=hold_id, status__in=Hold.ACTIVE)
    patron_id = hold.patron_id
    code = hold_services.do_cancel_hold(Actor.from_request(request), hold)
    messages.success(request, "Hold cancelled." + (f" The item now waits under shelf code {code}." if code else
                                                    " Return the item to the shelf if it was on the hold shelf."))
    if request.POST.get("next") == "account" and patron_id:
        return redirect("circulation:account_of", patron_id=patron_id)
    return redirect("circulation:holds_shelf")


@require(Cap.CIRCULATE)
@require_http_methods(["GET", "POST"])
def account(request):
    """Open a patron's loans by card number (POST: the card never lands in a URL)."""
    form = _bind(forms.CardForm, request)
    if request.method == "POST" and form.is_valid():
        try:
            patron = services.patron_by_card(Actor.from_request(request), form.cleaned_data["card_number"],
                                             purpose="open loans at the desk")
        except errors.CirculationError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("circulation:account_of", patron_id=patron.pk)
    return render(request, "circulation/account_find.html", {"form": form})


@require(Cap.CIRCULATE, hide=True)
@require_http_methods(["GET"])
def account_of(request, patron_id):
    patron = get_object_or_404(Patron, pk=patron_id)
    acct = services.account_for(Actor.from_request(request), patron, purpose="loans at the desk")
    ills = ill.open_ills_for(Actor.from_request(request), patron, purpose="interlibrary loans at the desk")
    prefs = forms.PreferencesForm(initial={"keep_reading_history": acct.preferences.keep_reading_history,
                                           "self_pickup": acct.preferences.self_pickup})
    return render(request, "circulation/account.html", {
        "patron": patron, "acct": acct, "ills": ills, "prefs": prefs, "pay": forms.PayFineForm(),
        "ill_form": forms.IllForm(),
    })


@require(Cap.CIRCULATE, hide=True)
@require_POST
def preferences(request, patron_id):
    patron = get_object_or_404(Patron, pk=patron_id)
    acct = services.account_for(Actor.from_request(request), patron, purpose="change preferences at the patron's request")
    form = forms.PreferencesForm(request.POST, currently_on=acct.preferences.keep_reading_history)
    if not form.is_valid():
        for error in form.errors.get("patron_asked", []):
            messages.error(request, error)
        return redirect("circulation:account_of", patron_id=patron.pk)
    keep = form.cleaned_data["keep_reading_history"]
    if keep != acct.preferences.keep_reading_history:
        history.do_set_reading_history(Actor.from_request(request), patron, keep)
    if form.cleaned_data["self_pickup"] != acct.preferences.self_pickup:
        hold_services.do_set_self_pickup(Actor.from_request(request), patron, form.cleaned_data["self_pickup"])
    messages.success(request, "Preferences saved.")
    return redirect("circulation:account_of", patron_id=patron.pk)


@require(Cap.CIRCULATE, hide=True)
@require_POST
def erase_history(request, patron_id):
    patron = get_object_or_404(Patron, pk=patron_id)
    history.do_erase_history(Actor.from_request(request), patron)
    messages.success(request, "The reading history was erased.")
    return redirect("circulation:account_of", patron_id=patron.pk)


@require(Cap.CIRCULATE)
@require_POST
def renew(request, loan_id):
    loan = get_object_or_404(Loan.objects.select_related("item", "patron"), pk=loan_id, returned_on__isnull=True,
                             patron__isnull=False)
    try:
        services.do_renew(Actor.from_request(request), loan.patron, loan.item)
    except errors.CirculationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Renewed.")
    return redirect("circulation:account_of", patron_id=loan.patron_id)


@require(Cap.CIRCULATE)
@require_POST
def pay_fine(request, loan_id):
    loan = get_object_or_404(Loan, pk=loan_id, fine_cents__gt=0, patron__isnull=False)
    patron_id = loan.patron_id
    form = forms.PayFineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the amount paid, for example 2.50.")
    else:
        try:
            services.do_pay_fine(Actor.from_request(request), loan, form.cents)
        except errors.CirculationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Payment recorded.")
    return redirect("circulation:account_of", patron_id=patron_id)


@require(Cap.CIRCULATE, hide=True)
@require_POST
def ill_request(request, patron_id):
    patron = get_object_or_404(Patron, pk=patron_id)
    form = forms.IllForm(request.POST)
    if form.is_valid():
        ill.do_request_ill(Actor.from_request(request), patron, **form.cleaned_data)
        messages.success(request, "Interlibrary loan requested.")
    else:
        messages.error(request, "Give the title and the lending library (no identity numbers).")
    return redirect("circulation:account_of", patron_id=patron.pk)


@require(Cap.CIRCULATE)
@require_POST
def ill_action(request, ill_id):
    loan = get_object_or_404(InterlibraryLoan, pk=ill_id, status__in=InterlibraryLoan.OPEN)
    form = forms.IllActionForm(request.POST)
    patron_id = loan.patron_id
    if form.is_valid():
        try:
            if form.cleaned_data["action"] == "arrived":
                ill.do_ill_arrived(Actor.from_request(request), loan)
            else:
                ill.do_close_ill(Actor.from_request(request), loan, cancelled=form.cleaned_data["action"] == "cancel")
        except errors.CirculationError as exc:
            messages.error(request, str(exc))
    if patron_id:
        return redirect("circulation:account_of", patron_id=patron_id)
    return redirect("circulation:checkout")
