"""Case pages for the director, designee and privacy officer."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from quietdesk.audit.service import Actor
from quietdesk.patrons.models import Patron
from quietdesk.policy import vocab
from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap, has_cap
from quietdesk.vault import reader

from .. import (
    case_access,
    desk_guidance,
    docfacts,
    document_uploads,
    employee,
    incident,
    intake,
    notify,
    production,
    registry,
    services,
    subpoena,
    words,
)
from ..forms import (
    AddDocumentsForm,
    CaseUpdateForm,
    CloseForm,
    ConfirmProductionForm,
    DecideForm,
    MoveForm,
    NoteForm,
    ScopeForm,
    StaffNoticeForm,
    SubpoenaDecisionForm,
)
from ..models import CaseDocument, Production, State, SubpoenaDecision


@require(Cap.VIEW_CASES)
@require_http_methods(["GET"])
def cases(request):
    show_closed = request.GET.get("show") == "all"
    qs = case_access.visible_cases(request.user)
    if not show_closed:
        qs = qs.exclude(state=State.CLOSED)
    today = timezone.localdate()
    rows = [{"case": c, "requester": words.REQUESTER_SHORT.get(c.requester, c.requester),
             "document": words.DOCUMENT.get(c.document, c.document), "inform_by": c.staff_inform_by,
             "overdue": (c.return_date and c.return_date < today and c.is_open)
             or (c.staff_inform_by and not c.staff_copy_on and c.staff_inform_by < today)}
            for c in qs[:500]]
    return render(request, "legal/cases.html", {"rows": rows, "show_closed": show_closed, "today": today})


def _reader_said(request, case) -> tuple[CaseDocument | None, dict | None]:
    """The newest copy the document reader read, and its reading (from the sealed case file)."""
    doc = next((d for d in case.documents.order_by("-added_at") if d.facts and d.reading_ct), None)
    if doc is None:
        return None, None
    return doc, services.read_reading(Actor.from_request(request), doc, purpose="what the document names")


def _case_context(request, case, **forms_):
    actor = Actor.from_request(request)
    values = services.read_case(actor, case, purpose="case file")
    doc, reading = _reader_said(request, case)
    named = intake.categories_named(reading)
    # What the reader found prefills "what they asked for", for the director to confirm by saving.
    prefill_category = "" if case.category or not named else named[0]
    events = services.read_events(actor, case, purpose="case file")
    docs = services.read_document_names(actor, case, purpose="case file")
    decider = has_cap(request.user, Cap.DECIDE_CASES)
    productions = [{"production": p, "labels": [words.CATEGORY_SHORT.get(c, c) for c in p.categories]}
                   for p in case.productions.all()]
    produced = []
    for item in productions:
        if item["production"].produced_at:
            item["production"].labels = item["labels"]
            produced.append(item["production"])
    undecided = any(not item["production"].produced_at for item in productions)
    return {
        "case": case, "values": values, "events": events, "docs": docs, "productions": productions,
        "guide": desk_guidance.from_case(case, services.case_validity(case)), "decider": decider,
        "producer": has_cap(request.user, Cap.PRODUCE_RECORDS),
        "pending": services.pending_order(case),
        "requester_words": words.REQUESTER.get(case.requester, "Not recorded"),
        "category_words": words.CATEGORY.get(case.category, "Not recorded"),
        "document_words": words.DOCUMENT.get(case.document, case.document),
        "category_short": words.CATEGORY_SHORT, "state_help": words.STATE_HELP.get(case.state, ""),
        "note_form": forms_.get("note_form") or NoteForm(),
        "docs_form": AddDocumentsForm(),
        "doc_rows": docfacts.summary(doc.facts, (reading or {}).get("names") or {}, today=timezone.localdate())
        if doc else [],
        "prefill_category": prefill_category,
        "produced": produced,
        # Once the decision is acted on (records produced, nothing else scoped) its forms close.
        "decision_open": case.state not in (State.PRODUCED, State.CLOSED) or undecided,
        "update_form": forms_.get("update_form") or CaseUpdateForm(initial={
            "requester": case.requester, "category": case.category or prefill_category, "document": case.document,
            "return_date": case.return_date, "nondisclosure": case.nondisclosure,
            "concerns_staff": case.concerns_staff, "staff_informed_on": case.staff_informed_on}),
        "move_form": MoveForm(), "decide_form": forms_.get("decide_form") or DecideForm(),
        "close_form": CloseForm(),
        "moves": sorted(services.MOVES.get(case.state, ())),
        "can_scope": decider and case.state != State.CLOSED,
        "producible": registry.categories(),
        **_subpoena_context(request, case, actor, decider, forms_),
        "staff_notice": employee.prompt(case),
        "notice_deliveries": notify.deliveries(case),
        "staff_form": forms_.get("staff_form") or StaffNoticeForm(initial={
            "informed_on": case.staff_informed_on, "copy_on": case.staff_copy_on}),
    }


def _subpoena_context(request, case, actor, decider, forms_) -> dict:
    if not subpoena.is_subpoena(case) and not case.subpoena_decisions.exists():
        return {"subpoena": None}
    rows = [{"decision": d, "basis": v["basis"], "counsel": v["counsel"],
             "can_confirm": decider and d.pending and d.proposed_by_user_id not in (None, request.user.pk)}
            for d, v in subpoena.read_decisions(actor, case, purpose="case file")]
    return {"subpoena": {
        "current": subpoena.is_subpoena(case), "about": subpoena.ABOUT, "decisions": rows,
        "administrative": subpoena.ADMINISTRATIVE if case.document == "administrative_subpoena" else "",
        "form": forms_.get("subpoena_form") or SubpoenaDecisionForm(),
    }}


@require(Cap.VIEW_CASES, hide=True)
@require_http_methods(["GET"])
def case(request, case_id):
    case_ = case_access.case_or_404(request.user, case_id)
    return render(request, "legal/case.html", _case_context(request, case_))


def _decider_post(view):
    """POST-only, director or designee, on a case they may see."""
    @require(Cap.DECIDE_CASES, hide=True)
    @require_http_methods(["POST"])
    def wrapped(request, case_id):
        case_ = case_access.case_or_404(request.user, case_id)
        try:
            return view(request, case_)
        except (services.CaseError, production.ProductionError, subpoena.DecisionError,
                employee.NoticeError) as exc:
            messages.error(request, str(exc))
            return redirect("legal:case", case_id=case_.id)

    wrapped.__name__ = view.__name__
    return wrapped


@_decider_post
def update(request, case_):
    form = CaseUpdateForm(request.POST)
    if not form.is_valid():
        return render(request, "legal/case.html", _case_context(request, case_, update_form=form), status=400)
    services.do_update(Actor.from_request(request), case_, form.cleaned_data)
    messages.success(request, "Saved.")
    return redirect("legal:case", case_id=case_.id)


@_decider_post
def move(request, case_):
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Unknown state: choose with the director or with counsel.")
    else:
        services.do_move(Actor.from_request(request), case_, form.cleaned_data["state"])
        messages.success(request, "Case moved.")
    return redirect("legal:case", case_id=case_.id)


@_decider_post
def reopen(request, case_):
    services.do_move(Actor.from_request(request), case_, State.WITH_DIRECTOR)
    messages.success(request, "Case reopened.")
    return redirect("legal:case", case_id=case_.id)


@_decider_post
def decide(request, case_):
    form = DecideForm(request.POST)
    if not form.is_valid():
        return render(request, "legal/case.html", _case_context(request, case_, decide_form=form), status=400)
    services.do_decide(Actor.from_request(request), case_, form.cleaned_data["verdict"], form.cleaned_data["support"],
                       user=request.user)
    messages.success(request, "Decision recorded.")
    return redirect("legal:case", case_id=case_.id)


@_decider_post
def subpoena_decide(request, case_):
    form = SubpoenaDecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "legal/case.html", _case_context(request, case_, subpoena_form=form), status=400)
    cd = form.cleaned_data
    subpoena.do_propose(Actor.from_request(request), case_, outcome=cd["outcome"], basis=cd["basis"], counsel=cd["counsel"],
                        counsel_advised_on=cd["counsel_advised_on"], user=request.user)
    messages.success(request, "Decision recorded. It takes effect once a second person (director or designee) "
                              "confirms it.")
    return redirect("legal:case", case_id=case_.id)


@_decider_post
def staff_notice(request, case_):
    form = StaffNoticeForm(request.POST)
    if not form.is_valid():
        return render(request, "legal/case.html", _case_context(request, case_, staff_form=form), status=400)
    cd = form.cleaned_data
    employee.do_record(Actor.from_request(request), case_, informed_on=cd["informed_on"], copy_on=cd["copy_on"],
                       delivered_by=cd["delivered_by"])
    messages.success(request, "Saved.")
    return redirect("legal:case", case_id=case_.id)


@require(Cap.DECIDE_CASES, hide=True)
@require_http_methods(["POST"])
def subpoena_confirm(request, case_id, decision_id):
    case_ = case_access.case_or_404(request.user, case_id)
    decision = get_object_or_404(SubpoenaDecision.objects.select_related("case"), pk=decision_id, case=case_)
    try:
        subpoena.do_confirm(Actor.from_request(request), decision, user=request.user)
    except subpoena.DecisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Confirmed: the decision is in force.")
    return redirect("legal:case", case_id=case_.id)


@_decider_post
def close(request, case_):
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The closing note could not be saved (too long, or it looks like an identity number).")
    else:
        detained = form.cleaned_data["after_detention"]
        note = form.cleaned_data["note"]
        if detained:  # recorded on the case's timeline, with no name
            note = f"{note} (closed after a detention)".strip()
        services.do_close(Actor.from_request(request), case_, note)
        if detained:
            messages.success(request, "Case closed. What follows a detention: the checklist below "
                                      "(When ICE succeeds).")
            return redirect("guide:when_ice_succeeds")
        messages.success(request, "Case closed.")
    return redirect("legal:case", case_id=case_.id)


@require(Cap.DECIDE_CASES, hide=True)
@document_uploads.memory_uploads
@require_http_methods(["GET", "POST"])
def scope(request, case_id):
    case_ = case_access.case_or_404(request.user, case_id)
    actor = Actor.from_request(request)
    docs = services.read_document_names(actor, case_, purpose="choose the copy of the order")
    prefill = _scope_prefill(request, case_) if request.method == "GET" else {}
    form = ScopeForm(request.POST if request.method == "POST" else None,
                     request.FILES if request.method == "POST" else None, documents=docs, initial=prefill,
                     subpoena=case_.document if subpoena.is_subpoena(case_) else "")
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        secret = case_.nondisclosure or cd["document"] in vocab.NONDISCLOSURE_DOCUMENTS
        # The search belongs to the case (kept with it, hidden with it under non-disclosure);
        # under non-disclosure it is marked so only the director or designee sees it.
        matches = reader.find(actor, Patron.objects.all(), "card_number", cd["card_number"],
                              purpose="patron named on a court order", case_ref=case_.pseudonym, restricted=secret)
        existing = CaseDocument.objects.filter(case=case_, pk=cd["existing"]).first() if cd["existing"] else None
        if len(matches) != 1:
            form.add_error("card_number", "No patron has that card number." if not matches
                           else "More than one record matches: ask the privacy officer.")
        else:
            try:
                production.do_set_scope(actor, case_, document=cd["document"], patron=matches[0],
                                        categories=cd["categories"], date_from=cd["date_from"],
                                        date_to=cd["date_to"], order_uploads=cd["files"], order_doc=existing)
            except production.ProductionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "The scope is set. Check it against the order, then produce.")
                return redirect("legal:case", case_id=case_.id)
    return render(request, "legal/scope.html", {"case": case_, "form": form, "subpoena": subpoena.is_subpoena(case_),
                                                "prefilled": bool(prefill),
                                                "max_mb": document_uploads.max_bytes() // (1024 * 1024)})


def _scope_prefill(request, case_) -> dict:
    """The scope form starts from what the document reader read on the order (kind, the
    records it names, the copy itself): the director checks each against the order."""
    doc, reading = _reader_said(request, case_)
    if doc is None:
        return {}
    initial: dict[str, object] = {"categories": [c for c in intake.categories_named(reading) if c in registry.categories()]}
    if doc.kind in vocab.JUDICIAL_DOCUMENTS and intake.confirms_judicial(reading):
        initial.update(document=doc.kind, existing=str(doc.id))
    return {k: v for k, v in initial.items() if v}


def _production(case_, production_id) -> Production:
    return get_object_or_404(Production.objects.select_related("case"), pk=production_id, case=case_)


def _preview(case_, item: Production) -> dict:
    """Exactly what production would send: per category, its records and their fields."""
    sections = []
    for category in item.categories:
        producer = registry.get(category)
        if producer is None:
            continue
        span = (f"dated {item.date_from:%-d %b %Y} to {item.date_to:%-d %b %Y}" if producer.dated and item.date_from
                and item.date_to else "the record as it stands" if not producer.dated else "every date")
        sections.append({"label": words.CATEGORY_SHORT.get(category, category), "what": producer.label,
                         "span": span, "fields": [words.FIELD.get(c, c.replace("_", " ")) for c in producer.columns]})
    blockers = []
    if case_.verdict != "disclose":
        blockers.append("The director has not decided to disclose (with what supports it).")
    elif item.decided_at is None:
        blockers.append("The director's decision to disclose does not cover this scope yet.")
    return {"sections": sections, "blockers": blockers}


@require(Cap.PRODUCE_RECORDS, hide=True)
@require_http_methods(["GET", "POST"])
def produce(request, case_id, production_id):
    """Production is irreversible: a preview of exactly what leaves, then a confirmation."""
    case_ = case_access.case_or_404(request.user, case_id)
    item = _production(case_, production_id)
    if item.produced_at:
        return redirect(reverse("legal:case", args=[case_.id]) + f"#production-{item.id}")
    form = ConfirmProductionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            production.do_produce(Actor.from_request(request), item, user=request.user)
        except production.ProductionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Produced. Download the package and give it to the officer; "
                                      "a legal hold was placed.")
        return redirect(reverse("legal:case", args=[case_.id]) + f"#production-{item.id}")
    return render(request, "legal/produce.html", {"case": case_, "p": item, "form": form,
                                                  "order_label": words.DOCUMENT.get(item.document, item.document),
                                                  **_preview(case_, item)},
                  status=400 if request.method == "POST" else 200)


@require(Cap.DECIDE_CASES, hide=True)
@require_http_methods(["POST"])
def remove_scope(request, case_id, production_id):
    case_ = case_access.case_or_404(request.user, case_id)
    try:
        production.do_remove_scope(Actor.from_request(request), _production(case_, production_id))
    except production.ProductionError as exc:
        messages.error(request, str(exc))
    return redirect("legal:case", case_id=case_.id)


@require(Cap.PRODUCE_RECORDS, hide=True)
@require_http_methods(["GET"])
def package(request, case_id, production_id):
    case_ = case_access.case_or_404(request.user, case_id)
    item = _production(case_, production_id)
    if not item.produced_at:
        raise Http404
    data = production.read_package(Actor.from_request(request), item)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="production-{case_.pseudonym}.zip"'
    return response


@require(Cap.VIEW_CASES, hide=True)
@require_http_methods(["GET"])
def document(request, case_id, document_id):
    case_ = case_access.case_or_404(request.user, case_id)
    doc = get_object_or_404(CaseDocument, pk=document_id, case=case_)
    data, _name = services.read_document(Actor.from_request(request), doc, purpose="view a copied document")
    response = HttpResponse(data, content_type=doc.content_type)
    ext = {"application/pdf": "pdf"}.get(doc.content_type, doc.content_type.split("/")[-1])
    response["Content-Disposition"] = f'attachment; filename="{case_.pseudonym}-{str(doc.id)[:8]}.{ext}"'
    return response


@require(Cap.VIEW_CASES, hide=True)
@require_http_methods(["GET"])
def incident_report(request, case_id):
    case_ = case_access.case_or_404(request.user, case_id)
    data = incident.report_pdf(Actor.from_request(request), case_)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="incident-report-{case_.pseudonym}.pdf"'
    return response
