"""The staff guide: the procedure, areas, contacts, notes, resources, and their editing."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quietdesk.audit.service import Actor
from quietdesk.legal import scripts
from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap

from .. import deskcard, directory, procedure, prompts, services
from ..forms import (
    ConfirmDeleteForm,
    ContactForm,
    DeskPromptForm,
    NoteForm,
    PageReviewForm,
    ResourceForm,
    ZoneForm,
)
from ..models import Contact, DeskPrompt, Note, PageReview, Resource, Zone

# What the library edits: URL word -> (model, form, page to return to, label)
EDITABLE = {
    "contacts": (Contact, ContactForm, "guide:contacts", "contact"),
    "areas": (Zone, ZoneForm, "guide:areas", "area"),
    "resources": (Resource, ResourceForm, "guide:resources", "resource"),
    "notes": (Note, NoteForm, None, "note"),
    "prompts": (DeskPrompt, DeskPromptForm, "guide:officers", "desk prompt"),
    "reviews": (PageReview, PageReviewForm, "guide:index", "page review"),
}
NOTE_PAGES: dict[str, str] = {Note.Section.TALKING_POINTS: "guide:talking_points", Note.Section.SELF_CARE: "guide:self_care"}


def optional_url(name: str) -> str | None:
    """A link to another app's page, if that app provides it (alerts, requests)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def zones_by_branch() -> list[tuple[str, list[Zone]]]:
    groups: dict[str, list[Zone]] = {}
    for zone in Zone.objects.select_related("branch"):
        groups.setdefault(zone.branch.name if zone.branch else "Every branch", []).append(zone)
    return list(groups.items())


@require_GET
@require(Cap.VIEW_GUIDE)
def index(request):
    return render(request, "guide/index.html", {
        "contacts": Contact.objects.all(), "steps": procedure.STEPS, "rights_review": PageReview.of("rights"),
    })


@require_GET
@require(Cap.VIEW_GUIDE)
def officers(request):
    return render(request, "guide/officers.html", {
        "steps": procedure.STEPS, "zones": zones_by_branch(), "contacts": Contact.objects.all(),
        "report_url": optional_url("legal:desk"),  # "Someone is asking": records the request
        "alert_url": optional_url("alerts:file"),  # a SALUTE report to the rapid-response network
        "never_deceive": scripts.NEVER_DECEIVE, "why_not_stall": scripts.WHY_NOT_STALL,
        "prompts": DeskPrompt.objects.all(), "desk_prompts": prompts.desk_prompts(),
        "prompt_basis": {k: "; ".join(v[1]) for k, v in prompts.DEFAULTS.items()},
    })


@require_GET
@require(Cap.VIEW_GUIDE)
def when_ice_succeeds(request):
    return render(request, "guide/when_ice_succeeds.html", {
        "items": prompts.WHEN_ICE_SUCCEEDS, "basis": prompts.WHEN_ICE_SUCCEEDS_BASIS,
        "note": prompts.WHEN_ICE_SUCCEEDS_NOTE,
        "contacts": Contact.objects.filter(kind__in=[Contact.Kind.LEGAL_AID, Contact.Kind.HOTLINE]),
    })


@require_GET
@require(Cap.VIEW_GUIDE)
def areas(request):
    return render(request, "guide/areas.html", {"zones": zones_by_branch()})


@require_GET
@require(Cap.VIEW_GUIDE)
def contacts(request):
    return render(request, "guide/contacts.html", {"contacts": Contact.objects.all()})


@require_GET
@require(Cap.VIEW_GUIDE)
def desk_card(request):
    from django.conf import settings

    try:
        pdf = deskcard.render(settings.LIBRARY_NAME, Contact.objects.all())
    except deskcard.FontMissing as exc:
        return render(request, "core/error.html", {"title": "Desk card unavailable", "text": str(exc)}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="desk-card.pdf"'
    return response


def _notes(request, section: str, title: str, intro: str):
    return render(request, "guide/notes.html", {
        "notes": Note.objects.filter(section=section), "title": title, "intro": intro, "section": section,
    })


@require_GET
@require(Cap.VIEW_GUIDE)
def talking_points(request):
    return _notes(request, Note.Section.TALKING_POINTS, "Talking points",
                  "For conversations with management, colleagues and the public (from the ICE response protocol).")


@require_GET
@require(Cap.VIEW_GUIDE)
def self_care(request):
    return _notes(request, Note.Section.SELF_CARE, "Self-care and mental health",
                  "Taking care of yourself lets you stand up for others (from the ICE response protocol).")


@require_GET
@require(Cap.VIEW_GUIDE)
def resources(request):
    return render(request, "guide/resources.html", {"groups": directory.groups("en", public_only=False)})


# --- editing (director) ------------------------------------------------------


def _editable(kind: str):
    try:
        return EDITABLE[kind]
    except KeyError:
        raise Http404 from None


def _back(kind: str, obj=None, section: str | None = None) -> str:
    target = EDITABLE[kind][2]
    if target is None:
        target = NOTE_PAGES.get(section or str(getattr(obj, "section", "")), "guide:talking_points")
    return reverse(target)


@require_http_methods(["GET", "POST"])
@require(Cap.EDIT_GUIDE)
def edit(request, kind: str, pk=None):
    model, form_class, _target, label = _editable(kind)
    obj = get_object_or_404(model, pk=pk) if pk is not None else model()
    initial = {}
    if pk is None and kind == "notes" and request.GET.get("section") in Note.Section.values:
        initial["section"] = request.GET["section"]
    form = form_class(request.POST if request.method == "POST" else None, instance=obj, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = services.do_save(Actor.for_user(request.user), kind, form)
        messages.success(request, f"The {label} was saved.")
        if getattr(form, "audit_note", ""):
            messages.warning(request, "The wording changed, so counsel's approval was withdrawn: the desk shows "
                                      "this prompt again once counsel's approval of the new words is recorded.")
        return redirect(_back(kind, saved))
    title = f"{'Edit' if pk else 'Add'} {label}"
    return render(request, "guide/edit.html", {
        "form": form, "title": title, "cancel": _back(kind, obj, initial.get("section")), "kind": kind, "obj": obj,
        "pk": pk,
    })


@require_http_methods(["GET", "POST"])
@require(Cap.EDIT_GUIDE)
def delete(request, kind: str, pk):
    model, _form, _target, label = _editable(kind)
    obj = get_object_or_404(model, pk=pk)
    form = ConfirmDeleteForm(request.POST if request.method == "POST" else None)
    back = _back(kind, obj)
    if request.method == "POST" and form.is_valid():
        services.do_delete(Actor.for_user(request.user), kind, obj)
        messages.success(request, f"The {label} was deleted.")
        return redirect(back)
    return render(request, "guide/delete.html", {"form": form, "obj": obj, "label": label, "cancel": back})


@require(Cap.EDIT_GUIDE)  # the capability first: a role without it gets 403, not 405
@require_POST
def load_defaults(request):
    made = services.do_load_defaults(Actor.for_user(request.user))
    added = ", ".join(f"{n} {what}" for what, n in made.items() if n)
    messages.success(request, f"Added the suggested {added}." if added else "Nothing to add: every section has content.")
    return redirect("guide:index")
