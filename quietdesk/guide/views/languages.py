"""The director's page for the patron pages' languages: which a person has reviewed."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods

from quietdesk.audit.service import Actor
from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap

from .. import languages, redcards, services
from ..forms import TranslationReviewForm


@require_http_methods(["GET", "POST"])
@require(Cap.EDIT_GUIDE)
def translations(request):
    form = TranslationReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reviewed = form.cleaned_data["state"] == TranslationReviewForm.REVIEWED
        services.do_set_translation_review(Actor.for_user(request.user), form.cleaned_data["language"], reviewed)
        messages.success(request, "Saved: the patron pages in that language "
                         + ("no longer show the notice." if reviewed else "show the \u201cnot yet reviewed\u201d notice."))
        return redirect("guide:translations")
    states = languages.review_states()
    for state in states:
        state["red_card"] = redcards.link_for(state["code"])
        with translation.override(state["code"]):
            state["url"] = reverse("public:index")
    return render(request, "guide/translations.html", {"form": form, "states": states})
