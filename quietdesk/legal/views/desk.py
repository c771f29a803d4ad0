"""The desk workflow: "someone is asking". Thin views; services write."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from quietdesk.audit.service import Actor
from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap

from .. import (
    case_access,
    desk_guidance,
    docfacts,
    document_uploads,
    intake,
    notify,
    retake,
    services,
    words,
)
from ..forms import AddDocumentsForm, DeskForm, NoteForm
from ..models import CaseDocument, CaseEvent


@require(Cap.REPORT_REQUEST)
@document_uploads.memory_uploads
@require_http_methods(["GET", "POST"])
def desk(request):
    form = DeskForm(request.POST if request.method == "POST" else None,
                    request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data, source, _reading = intake.resolve(form.cleaned_data)
        case = services.do_open_case(Actor.from_request(request), data, user=request.user, uploads=data.get("files") or [],
                                     document_source=source)
        return redirect("legal:desk_case", case_id=case.id)
    return render(request, "legal/desk.html", {
        "form": form, "max_mb": document_uploads.max_bytes() // (1024 * 1024), "max_files": document_uploads.max_files(),
        "calls": who_to_call(),
    })


def _tel(number: str) -> str:
    """A number as a tel: link wants it: digits, with a leading + kept."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return ("+" if number.strip().startswith("+") else "") + digits


CALL_LABELS = {"director": "Call the director", "designee": "Call the designee", "counsel": "Call counsel"}


def who_to_call() -> list[dict]:
    """The director (or designee) and counsel, from the guide's contacts; the configured
    director's phone when the guide has no director with a number."""
    from quietdesk.guide.models import Contact

    kinds = (Contact.Kind.DIRECTOR, Contact.Kind.DESIGNEE, Contact.Kind.COUNSEL)
    calls = []
    for c in Contact.objects.filter(kind__in=kinds).exclude(phone="").order_by("order", "kind", "name"):
        calls.append({"who": c.get_kind_display(), "label": CALL_LABELS[c.kind], "name": c.name, "phone": c.phone, "tel": _tel(c.phone),
                      "after_hours": c.after_hours, "after_hours_tel": _tel(c.after_hours) if c.after_hours else "",
                      "kind": c.kind})
    if not any(c["kind"] != Contact.Kind.COUNSEL for c in calls) and settings.QUIETDESK_DIRECTOR_PHONE:
        phone = settings.QUIETDESK_DIRECTOR_PHONE
        calls.insert(0, {"who": "Director or designee", "label": CALL_LABELS["director"], "name": "", "phone": phone, "tel": _tel(phone),
                         "after_hours": "", "after_hours_tel": "", "kind": Contact.Kind.DIRECTOR})
    # The director (the designee only when the director has no number), then counsel.
    if any(c["kind"] == Contact.Kind.DIRECTOR for c in calls):
        calls = [c for c in calls if c["kind"] != Contact.Kind.DESIGNEE]
    calls.sort(key=lambda c: c["kind"] == Contact.Kind.COUNSEL)
    return calls


def _desk_prompts(case) -> list:
    """What happens next at the desk (the library's wording, approved by counsel): for officers,
    or when who is asking was not recorded (decided as an officer)."""
    from quietdesk.guide.prompts import desk_prompts
    from quietdesk.policy import vocab

    if case.requester and case.requester not in vocab.OFFICERS:
        return []
    return desk_prompts()


def _optional_url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def notices(case) -> list[str]:
    """How the director was told, as the case records it (never assumed)."""
    return [e.summary for e in case.events.filter(kind=CaseEvent.Kind.NOTICE).order_by("at")]


def _document(request, case) -> tuple[CaseDocument | None, list, bool]:
    """The first copy the reader read: its summary in plain words, and whether it was unreadable.
    The people, premises and records it names are read from the sealed case file, for
    those who may open it (logged); the desk sees how many."""
    doc = next((d for d in case.documents.filter(role=CaseDocument.Role.PRESENTED).order_by("-added_at")
                if d.facts), None)
    if doc is None:
        return None, [], False
    names = None
    if case_access.can_see(request.user, case):
        reading = services.read_reading(Actor.from_request(request), doc, purpose="what the document names")
        names = (reading or {}).get("names") or {}
    rows = docfacts.summary(doc.facts, names, today=timezone.localdate())
    return doc, rows, bool(doc.facts.get("unreadable"))


@require(Cap.REPORT_REQUEST, hide=True)
@require_http_methods(["GET"])
def desk_case(request, case_id):
    case = case_access.desk_case_or_404(request.user, case_id)
    guide = desk_guidance.from_case(case, services.case_validity(case))
    doc, doc_rows, unreadable = _document(request, case)
    return render(request, "legal/desk_case.html", {
        "case": case, "guide": guide, "note_form": NoteForm(), "docs_form": AddDocumentsForm(),
        "retake_form": AddDocumentsForm(prefix="retake"),
        "can_open_case": case_access.can_see(request.user, case),
        "requester_words": words.REQUESTER.get(case.requester, "Not sure who"),
        "category_words": words.CATEGORY.get(case.category, "Not sure what"),
        "document_words": words.DOCUMENT.get(case.document, case.document),
        "calls": who_to_call(), "notices": notices(case), "notice_retry_at": notify.retry_at(case),
        "desk_prompts": _desk_prompts(case), "alert_url": _optional_url("alerts:file"),
        "doc": doc, "doc_rows": doc_rows, "unreadable": unreadable, "retake_tips": docfacts.RETAKE_TIPS,
        "max_mb": document_uploads.max_bytes() // (1024 * 1024),
    })


@require(Cap.REPORT_REQUEST, hide=True)
@document_uploads.memory_uploads
@require_http_methods(["POST"])
def desk_retake(request, case_id):
    """A clearer photo of the document: read again, and (when the case's document was not
    identified) the case follows what the reader now says, by the intake's own rules."""
    case = case_access.desk_case_or_404(request.user, case_id)
    form = AddDocumentsForm(request.POST, request.FILES, prefix="retake")
    if not form.is_valid():
        messages.error(request, "Nothing was added. " + " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("legal:desk_case", case_id=case.id)
    reading = retake.do_retake(Actor.from_request(request), case, form.cleaned_data["files"])
    if reading.get("unreadable"):
        messages.error(request, "The new photo could not be read either. Try the tips below, or let the "
                                "director read the copy: it is kept in the case.")
    else:
        messages.success(request, "The new photo was read: what the document is, below, is from it.")
    return redirect("legal:desk_case", case_id=case.id)


def _back(request, case) -> str:
    if request.POST.get("back") == "case" and case_access.can_see(request.user, case):
        return reverse("legal:case", args=[case.id])
    return reverse("legal:desk_case", args=[case.id])


@require(Cap.REPORT_REQUEST, hide=True)
@require_http_methods(["POST"])
def desk_note(request, case_id):
    case = case_access.desk_case_or_404(request.user, case_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.do_add_statement(Actor.from_request(request), case, form.cleaned_data["text"], kind=form.cleaned_data["kind"])
        messages.success(request, "Added to the case.")
    else:
        # A fixed phrase: a message is stored in a cookie and must never carry what was typed.
        messages.error(request, "Nothing was added: write the text, then choose what it is.")
    return redirect(_back(request, case))


@require(Cap.REPORT_REQUEST, hide=True)
@document_uploads.memory_uploads
@require_http_methods(["POST"])
def desk_documents(request, case_id):
    case = case_access.desk_case_or_404(request.user, case_id)
    form = AddDocumentsForm(request.POST, request.FILES)
    if form.is_valid():
        services.do_add_documents(Actor.from_request(request), case, form.cleaned_data["files"])
        messages.success(request, "The copies were added to the case, encrypted.")
    else:
        # Upload errors name no file ("File 2 is too large"), so they may go in a message.
        messages.error(request, "Nothing was added. " + " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(_back(request, case))
