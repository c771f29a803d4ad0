"""The desk workflow: "someone is asking". Thin views; services write."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from quietdesk.audit.service import Actor
from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap

from .. import access, guidance, intake, services, uploads, words
from ..forms import AddDocumentsForm, DeskForm, NoteForm


def _actor(request) -> Actor:
    return Actor.for_user(request.user)


@require(Cap.REPORT_REQUEST)
@uploads.memory_uploads
@require_http_methods(["GET", "POST"])
def desk(request):
    form = DeskForm(request.POST if request.method == "POST" else None,
                    request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data, source, _reading = intake.resolve(form.cleaned_data)
        case = services.do_open_case(_actor(request), data, user=request.user, uploads=data.get("files") or [],
                                     document_source=source)
        return redirect("legal:desk_case", case_id=case.id)
    return render(request, "legal/desk.html", {
        "form": form, "max_mb": uploads.max_bytes() // (1024 * 1024), "max_files": uploads.max_files(),
        "director_phone": settings.QUIETDESK_DIRECTOR_PHONE,
    })


@require(Cap.REPORT_REQUEST, hide=True)
@require_http_methods(["GET"])
def desk_case(request, case_id):
    case = access.desk_case_or_404(request.user, case_id)
    guide = guidance.from_case(case)
    return render(request, "legal/desk_case.html", {
        "case": case, "guide": guide, "note_form": NoteForm(), "docs_form": AddDocumentsForm(),
        "can_open_case": access.can_see(request.user, case),
        "requester_words": words.REQUESTER.get(case.requester, "Not sure who"),
        "category_words": words.CATEGORY.get(case.category, "Not sure what"),
        "document_words": words.DOCUMENT.get(case.document, case.document),
        "director_phone": settings.QUIETDESK_DIRECTOR_PHONE,
        "max_mb": uploads.max_bytes() // (1024 * 1024),
    })


def _back(request, case) -> str:
    if request.POST.get("back") == "case" and access.can_see(request.user, case):
        return reverse("legal:case", args=[case.id])
    return reverse("legal:desk_case", args=[case.id])


@require(Cap.REPORT_REQUEST, hide=True)
@require_http_methods(["POST"])
def desk_note(request, case_id):
    case = access.desk_case_or_404(request.user, case_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.do_add_statement(_actor(request), case, form.cleaned_data["text"], kind=form.cleaned_data["kind"])
        messages.success(request, "Added to the case.")
    else:
        # A fixed phrase: a message is stored in a cookie and must never carry what was typed.
        messages.error(request, "Nothing was added: write the text, then choose what it is.")
    return redirect(_back(request, case))


@require(Cap.REPORT_REQUEST, hide=True)
@uploads.memory_uploads
@require_http_methods(["POST"])
def desk_documents(request, case_id):
    case = access.desk_case_or_404(request.user, case_id)
    form = AddDocumentsForm(request.POST, request.FILES)
    if form.is_valid():
        services.do_add_documents(_actor(request), case, form.cleaned_data["files"])
        messages.success(request, "The copies were added to the case, encrypted.")
    else:
        # Upload errors name no file ("File 2 is too large"), so they may go in a message.
        messages.error(request, "Nothing was added. " + " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(_back(request, case))
