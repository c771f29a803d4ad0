"""Desk pages for the other requesters: a patron's PIN, parents and guardians, and
people with a patron's written authorization."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from quietdesk.audit.service import Actor
from quietdesk.patrons.models import Patron
from quietdesk.policy import vocab
from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap
from quietdesk.vault import reader

from .. import document_uploads, selfaccess, signin, third_parties, words
from ..forms import AuthorizationForm, CardForm, ParentForm, PinForm, PresenterForm
from ..models import ThirdPartyAuthorization


def _find_card(request, card: str, purpose: str) -> list[Patron]:
    return reader.find(Actor.from_request(request), Patron.objects.all(), "card_number", card, purpose=purpose)


# --- PIN --------------------------------------------------------------------------


@require(Cap.EDIT_PATRON)
@require_http_methods(["GET", "POST"])
def pin_find(request):
    form = CardForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        matches = _find_card(request, form.cleaned_data["card_number"], "set a self-access PIN")
        if len(matches) == 1:
            return redirect("legal:pin", patron_id=matches[0].id)
        form.add_error("card_number", "No patron has that card number.")
    return render(request, "legal/pin_find.html", {"form": form})


@require(Cap.EDIT_PATRON, hide=True)
@require_http_methods(["GET", "POST"])
def pin(request, patron_id):
    patron = get_object_or_404(Patron, pk=patron_id)
    form = PinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        selfaccess.do_set_pin(Actor.from_request(request), patron, form.cleaned_data["pin"])
        messages.success(request, "PIN set. The patron can now see their records online.")
        return redirect("legal:pin", patron_id=patron.id)
    return render(request, "legal/pin.html", {"form": form, "patron": patron, "has_pin": selfaccess.has_pin(patron),
                                              "blocked": signin.is_blocked(patron)})


@require(Cap.EDIT_PATRON, hide=True)
@require_http_methods(["POST"])
def pin_unlock(request, patron_id):
    patron = get_object_or_404(Patron, pk=patron_id)
    signin.do_unlock(Actor.from_request(request), patron)
    messages.success(request, "Online sign-in unlocked.")
    return redirect("legal:pin", patron_id=patron.id)


@require(Cap.EDIT_PATRON, hide=True)
@require_http_methods(["POST"])
def pin_remove(request, patron_id):
    patron = get_object_or_404(Patron, pk=patron_id)
    selfaccess.do_remove_pin(Actor.from_request(request), patron)
    messages.success(request, "PIN removed.")
    return redirect("legal:pin", patron_id=patron.id)


# --- parents and guardians ------------------------------------------------------------


@require(Cap.VIEW_PATRON)
@require_http_methods(["GET", "POST"])
def parent(request):
    form = ParentForm(request.POST if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        card, category = form.cleaned_data["card_number"], form.cleaned_data["category"]
        patron = None
        if card:
            matches = _find_card(request, card, "parent or guardian gave the child's card")
            if len(matches) != 1:
                form.add_error("card_number", "No patron has that card number.")
                return render(request, "legal/parent.html", {"form": form}, status=400)
            patron = matches[0]
        result = third_parties.parent_view(Actor.from_request(request), patron, category, child_card=bool(card))
        result["band_label"] = dict(Patron._meta.get_field("age_band").choices).get(result["age_band"], "")
        result["category_label"] = words.CATEGORY_SHORT.get(category, category)
    return render(request, "legal/parent.html", {"form": form, "result": result})


# --- written authorizations -------------------------------------------------------------

OFFICER_REFERRED = ("An officer presented a patron's written authorization. Nothing is shown or handed over: "
                    "an officer's request goes to the director (policy III.B.3). A case was opened; follow the "
                    "steps on this page.")


@require(Cap.VIEW_PATRON)
@document_uploads.memory_uploads
@require_http_methods(["GET", "POST"])
def authorizations(request):
    post = request.method == "POST"
    action = request.POST.get("action") if post else None
    find_form = CardForm(request.POST if action == "find" else None, prefix="find")
    form = AuthorizationForm(request.POST if action == "record" else None,
                             request.FILES if action == "record" else None)
    found = None
    if action == "find" and find_form.is_valid():
        matches = _find_card(request, find_form.cleaned_data["card_number"], "find written authorizations")
        found = list(ThirdPartyAuthorization.objects.filter(patron__in=matches))
        if not matches:
            find_form.add_error("card_number", "No patron has that card number.")
    if action == "record" and form.is_valid():
        cd = form.cleaned_data
        matches = _find_card(request, cd["card_number"], "record a written authorization")
        if len(matches) != 1:
            form.add_error("card_number", "No patron has that card number.")
        elif cd["presenter"] in vocab.OFFICERS:
            case = third_parties.do_refer_officer(Actor.from_request(request), patron=matches[0], requester=cd["presenter"],
                                           categories=cd["categories"], upload=cd["files"][0],
                                           holder_name=cd["holder_name"], user=request.user)
            messages.warning(request, OFFICER_REFERRED)
            return redirect("legal:desk_case", case_id=case.id)
        else:
            auth = third_parties.do_record_authorization(Actor.from_request(request), matches[0], categories=cd["categories"],
                                                  expires_on=cd["expires_on"], upload=cd["files"][0],
                                                  holder_name=cd["holder_name"], presented_by=cd["presenter"])
            messages.success(request, "Authorization recorded. The person in charge checks and approves it "
                                      "before any record is shown.")
            return redirect("legal:authorization", auth_id=auth.id)
    status = 400 if post and (form.errors or find_form.errors) else 200
    return render(request, "legal/authorizations.html", {
        "form": form, "find_form": find_form, "found": found, "today": timezone.localdate(),
        "max_mb": document_uploads.max_bytes() // (1024 * 1024), "category_short": words.CATEGORY_SHORT,
    }, status=status)


def _auth(auth_id) -> ThirdPartyAuthorization:
    return get_object_or_404(ThirdPartyAuthorization.objects.select_related("patron"), pk=auth_id)


def _refer(request, auth, presenter):
    case = third_parties.refer_officer(Actor.from_request(request), auth, presenter, user=request.user)
    messages.warning(request, OFFICER_REFERRED)
    return redirect("legal:desk_case", case_id=case.id)


@require(Cap.VIEW_PATRON, hide=True)
@require_http_methods(["GET", "POST"])
def authorization(request, auth_id):
    auth = _auth(auth_id)
    actor = Actor.from_request(request)
    current, approved = third_parties.is_current(auth), third_parties.is_approved(auth)
    form = PresenterForm(request.POST if request.method == "POST" else None)
    sections, presenter = [], None
    if request.method == "POST" and form.is_valid():
        presenter = form.cleaned_data["presenter"]
        if presenter in vocab.OFFICERS:
            return _refer(request, auth, presenter)
        sections = third_parties.authorized_view(actor, auth, requester=presenter)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "legal/authorization.html", {
        "auth": auth, "current": current, "approved": approved, "sections": sections, "form": form,
        "presenter": presenter, "holder": third_parties.read_holder(actor, auth),
        "can_approve": third_parties.can_approve(request.user, auth),
        "presented_words": words.REQUESTER.get(auth.presented_by, "Not recorded"),
        "labels": [words.CATEGORY_SHORT.get(c, c) for c in auth.categories],
    }, status=status)


@require(third_parties.APPROVER_CAP, hide=True)
@require_http_methods(["POST"])
def authorization_approve(request, auth_id):
    auth = _auth(auth_id)
    try:
        third_parties.do_approve_authorization(Actor.from_request(request), auth, user=request.user)
    except third_parties.AuthorizationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Authorization approved.")
    return redirect("legal:authorization", auth_id=auth.id)


@require(Cap.VIEW_PATRON, hide=True)
@require_http_methods(["POST"])
def authorization_pdf(request, auth_id):
    auth = _auth(auth_id)
    if not third_parties.is_current(auth) or not third_parties.is_approved(auth):
        raise Http404
    form = PresenterForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say who is presenting the authorization, and check their identification.")
        return redirect("legal:authorization", auth_id=auth.id)
    presenter = form.cleaned_data["presenter"]
    if presenter in vocab.OFFICERS:
        return _refer(request, auth, presenter)
    sections = third_parties.authorized_view(Actor.from_request(request), auth, requester=presenter)
    now = timezone.localtime()
    data = selfaccess.as_pdf("Library records shared with the patron's written authorization", sections,
                             exported_at=now, intro=f"Authorization valid until {auth.expires_on:%d %B %Y}.")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="authorized-records-{now:%Y%m%d}.pdf"'
    return response


@require(Cap.VIEW_PATRON, hide=True)
@require_http_methods(["GET"])
def authorization_document(request, auth_id):
    auth = _auth(auth_id)
    data, content_type = third_parties.read_authorization(Actor.from_request(request), auth)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="authorization-{str(auth.id)[:8]}"'
    return response


@require(Cap.VIEW_PATRON, hide=True)
@require_http_methods(["POST"])
def authorization_revoke(request, auth_id):
    auth = _auth(auth_id)
    third_parties.do_revoke_authorization(Actor.from_request(request), auth)
    messages.success(request, "Authorization revoked.")
    return redirect("legal:authorization", auth_id=auth.id)
