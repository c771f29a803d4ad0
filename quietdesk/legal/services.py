"""Writes to cases. Each ``do_*`` writes its access-log entry in the same transaction.

Reads of sealed case fields go through ``quietdesk.vault.reader`` (logged) under the
``case_file`` category: the log shows who opened which case file (``case_ref``, the
case's pseudonym) and why. Entries about a case under non-disclosure are marked
(``restricted``): see ``nondisclosure.py``.
"""

from __future__ import annotations

import base64
import json
import uuid

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor
from quietdesk.policy import engine, vocab
from quietdesk.vault import api as vault
from quietdesk.vault import reader

from . import desk_guidance, docfacts, intake, notify, subpoena, words
from .models import Case, CaseDocument, CaseEvent, State, Verdict
from .timeline import CASE_MODEL, READ_CATEGORY, add_event, log_case

DOC_MODEL = "legal.casedocument"


class CaseError(ValueError):
    """A change the case's state does not allow; the message says why."""


# --- the access log's entries about a case ------------------------------------------

# What a patron's entries say instead of the case and its document, under non-disclosure.
ND_BASIS = "production under a court order"

# Documents the director cannot answer with disclosure until the case is corrected.
NOT_AN_ORDER = vocab.CUSTODY_DOCUMENTS | vocab.REVIEW_DOCUMENTS | {"unknown"}


def keep_open_cases(rules) -> None:
    """The access log keeps every entry of a case while it is open (``audit.prune``)."""
    rules.case_refs.update(Case.objects.exclude(state=State.CLOSED).values_list("pseudonym", flat=True))


def keep_secrecy(case: Case) -> None:
    """A FISA order or a National Security Letter carries its own secrecy: it cannot be lifted."""
    if case.document in vocab.NONDISCLOSURE_DOCUMENTS:
        case.nondisclosure = True


# --- opening a case at the desk --------------------------------------------------



def _add_documents(case: Case, sealer: vault.Sealer, by: str, uploads, role: str, kinds=None) -> list[CaseDocument]:
    docs = []
    for i, up in enumerate(uploads):
        doc = CaseDocument(
            id=uuid.uuid4(), case=case, role=role, added_by=by, content_type=up.content_type,
            size=len(up.data), kind=(kinds or {}).get(i, ""),
        )
        doc.filename_ct = sealer.seal(DOC_MODEL, "filename", doc.id, up.name)
        doc.content_ct = sealer.seal(DOC_MODEL, "content", doc.id, base64.b64encode(up.data).decode("ascii"))
        reading = getattr(up, "reading", None)
        doc.reading_ct = sealer.seal(DOC_MODEL, "reading", doc.id, json.dumps(reading) if reading else None)
        doc.facts = intake.public_facts(reading)
        doc.save(force_insert=True)
        docs.append(doc)
    return docs


def case_validity(case: Case) -> dict:
    """What the reader found about the newest document presented (expired, out of state,
    names another place), for the policy engine (``docfacts.validity``)."""
    doc = next((d for d in case.documents.filter(role=CaseDocument.Role.PRESENTED).order_by("-added_at")
                if d.facts), None)
    return docfacts.validity(doc.facts if doc else None, today=timezone.localdate())


def do_open_case(actor: Actor, data: dict, *, user=None, uploads=(), document_source: str = "none") -> Case:
    """Record a request made at the desk; the director's notice is queued in the same transaction."""
    requester, category, document = data.get("requester", ""), data.get("category", ""), data.get("document") or "none"
    reading = (getattr(uploads[0], "reading", None) or {}) if uploads else {}
    validity = docfacts.validity(intake.public_facts(reading), today=timezone.localdate())
    decision = engine.decide(desk_guidance.effective_request(requester, category, document, validity))
    with transaction.atomic():
        case = Case(id=uuid.uuid4(), arrived_at=data.get("arrived_at") or timezone.now())
        case.pseudonym = Case.make_pseudonym(case.id)
        case.branch = getattr(user, "branch", None)
        case.opened_by = user if getattr(user, "pk", None) else None
        case.requester, case.category, case.document = requester, category, document
        case.document_source = document_source
        case.outcome, case.scope = decision.outcome, decision.scope
        case.actions, case.basis = list(decision.actions), list(decision.basis)
        case.nondisclosure = "nondisclosure" in decision.actions or bool(data.get("nondisclosure"))
        keep_secrecy(case)
        case.concerns_staff = bool(data.get("concerns_staff"))
        case.return_date = data.get("return_date")
        sealer = vault.new_subject("case", case.id)
        for field in ("officer_name", "badge", "agency", "purpose", "respond_to"):
            setattr(case, f"{field}_ct", sealer.seal(CASE_MODEL, field, case.id, (data.get(field) or "").strip() or None))
        case.save(force_insert=True)
        add_event(case, sealer, actor.name, CaseEvent.Kind.OPENED, words.request_summary(requester, category, document))
        if uploads:
            _add_documents(case, sealer, actor.name, uploads, CaseDocument.Role.PRESENTED,
                           _upload_kinds(uploads, document, document_source))
            add_event(case, sealer, actor.name, CaseEvent.Kind.DOCUMENT, f"{len(uploads)} file(s) copied")
        if document_source == "conflict":
            read_as = (getattr(uploads[0], "reading", None) or {}).get("kind", "unknown") if uploads else "unknown"
            add_event(case, sealer, actor.name, CaseEvent.Kind.DOCUMENT,
                   f"chosen at the desk: {words.document(data.get('hand_choice') or 'unknown')}; the document "
                   f"reader: {words.document(read_as)}; "
                   + ("treated as unknown (not confirmed as signed by a judge)" if document == "unknown"
                      else "decided as the reader read it (one document, one verdict)"))
        if data.get("statement"):
            add_event(case, sealer, actor.name, CaseEvent.Kind.STATEMENT, "at the desk", data["statement"])
        log_case(actor, case, Event.CASE_OPEN, categories=[category or READ_CATEGORY],
               basis=f"someone is asking at the desk [{decision.outcome}/{decision.scope}]")
        notify.queue_notice(case)
    return case


def _upload_kinds(uploads, document: str, source: str) -> dict[int, str]:
    """What each copy is said to be: the reader speaks for the file it read, the desk for all
    of them. When the two disagreed, no copy is called what the desk chose."""
    if source == "reader":
        return {0: document}
    if source == "conflict":
        kinds = dict.fromkeys(range(len(uploads)), "unknown")
        kinds[0] = (getattr(uploads[0], "reading", None) or {}).get("kind") or "unknown"
        return kinds
    return dict.fromkeys(range(len(uploads)), document)


def _field_names(names) -> str:
    """A case's changed fields by their verbose names (sealed ones by their plain name)."""
    out = []
    for name in names:
        try:
            out.append(str(getattr(Case._meta.get_field(name), "verbose_name", name)))
        except FieldDoesNotExist:
            out.append(name.replace("_", " "))
    return ", ".join(out)


# --- additions and changes --------------------------------------------------------


def do_add_statement(actor: Actor, case: Case, text: str, *, kind: str = CaseEvent.Kind.STATEMENT) -> None:
    with transaction.atomic():
        add_event(case, vault.sealer_for(case.id), actor.name, kind, "", text)
        log_case(actor, case, Event.CASE_NOTE, basis=f"added a {kind} to the case")


def do_add_documents(actor: Actor, case: Case, uploads, *, role: str = CaseDocument.Role.PRESENTED,
                     kind: str = "") -> list[CaseDocument]:
    with transaction.atomic():
        sealer = vault.sealer_for(case.id)
        docs = _add_documents(case, sealer, actor.name, uploads, role, dict.fromkeys(range(len(uploads)), kind))
        add_event(case, sealer, actor.name, CaseEvent.Kind.DOCUMENT, f"{len(docs)} file(s) copied ({CaseDocument.Role(role).label.lower()})")
        log_case(actor, case, Event.CASE_DOCUMENT, basis=f"copied {len(docs)} document file(s)")
    return docs


MOVES: dict[str, set[str]] = {
    State.OPEN: {State.WITH_DIRECTOR, State.WITH_COUNSEL},
    State.WITH_DIRECTOR: {State.WITH_COUNSEL},
    State.WITH_COUNSEL: {State.WITH_DIRECTOR},
    State.DECIDED: {State.WITH_COUNSEL},
    State.CLOSED: {State.WITH_DIRECTOR},  # reopen
}


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def do_move(actor: Actor, case: Case, state: str) -> Case:
    """Move a case along (with director, with counsel, reopen)."""
    with transaction.atomic():
        case = _locked(case)
        if state not in MOVES.get(case.state, set()):
            raise CaseError(f"A case that is {case.get_state_display().lower()} cannot move to "
                            f"{State(state).label.lower()}." if state in State.values else "Unknown state.")
        old, case.state = case.state, state
        if state != State.CLOSED:
            case.closed_at = None
        case.save(update_fields=["state", "closed_at"])
        add_event(case, vault.sealer_for(case.id), actor.name, CaseEvent.Kind.STATE,
               f"{State(old).label} → {State(state).label}")
        log_case(actor, case, Event.CASE_STATE, basis=f"{old} -> {state}")
    return case


def not_an_order(case: Case) -> str | None:
    """Why the case's document cannot be answered with disclosure as it stands, or None."""
    if case.document in vocab.JUDICIAL_DOCUMENTS:
        return None
    said = words.DOCUMENT.get(case.document, case.document)
    fix = ""
    if case.document in vocab.SUBPOENA_DOCUMENTS:
        fix = (" For a subpoena, the director and counsel record their decision (compelled by law, move to quash, "
               "protective order sought, decline) under Subpoena on the case, and a second person confirms it.")
    elif case.document in NOT_AN_ORDER:
        fix = (" If the officer has since served a judge-signed order, correct the document on the case "
               "(with the reason) and attach a new copy of the order to the scope.")
    return (f"Only a court order or warrant signed by a judge can require disclosure (policy III.B.3); "
            f"this case records: {said}.{fix}")


_DOUBTS = {"expired": "expired", "out_of_state": "from another state's court", "other_premises": "names another place"}


def _doubts_noted(case: Case, verdict: str) -> str:
    """A decision to disclose despite what the reader found (expired, out of state, another
    place) says so in the timeline: the director's recorded support answers it (III.C.2.i)."""
    if verdict != Verdict.DISCLOSE or case.document not in vocab.JUDICIAL_DOCUMENTS:
        return ""
    found = [words for fact, words in _DOUBTS.items() if case_validity(case).get(fact) is True]
    return f" despite the document reader's doubts ({', '.join(found)})" if found else ""


def do_decide(actor: Actor, case: Case, verdict: str, support: str = "", *, user=None) -> Case:
    """The director's decision. Disclosure needs a judge-signed order and, per policy
    III.C.2.i, a record of what information and circumstances supported it. A decision to
    disclose covers the scopes set so far; a scope set later needs a decision of its own."""
    with transaction.atomic():
        case = _locked(case)
        undecided = case.productions.filter(produced_at__isnull=True)
        if case.state == State.CLOSED or (case.state == State.PRODUCED and not undecided.exists()):
            raise CaseError("This case is already produced or closed: reopen it to change the decision.")
        now = timezone.now()
        if verdict == Verdict.DISCLOSE:
            why = not_an_order(case)
            if why:
                raise CaseError(why + " Record the judge-signed order first (production scope).")
            if not (support or "").strip():
                raise CaseError("Write down what information and circumstances support disclosing "
                                "(policy III.C.2.i).")
            case.state = State.DECIDED
            undecided.update(decided_at=now, decided_by=actor.name)
        elif verdict == Verdict.REFUSE:
            case.state = State.REFUSED
            undecided.update(decided_at=None, decided_by="")
        else:
            raise CaseError("The decision is disclose or refuse.")
        case.verdict, case.decided_at = verdict, now
        case.decided_by = user if getattr(user, "pk", None) else None
        sealer = vault.sealer_for(case.id)
        case.decision_support_ct = sealer.seal(CASE_MODEL, "decision_support", case.id, (support or "").strip() or None)
        case.save()
        add_event(case, sealer, actor.name, CaseEvent.Kind.DECISION, Verdict(verdict).label + _doubts_noted(case, verdict),
               support)
        log_case(actor, case, Event.CASE_DECIDE, basis=f"decision: {verdict}")
    return case


def pending_order(case: Case) -> str | None:
    """Why the case cannot be closed yet, or None."""
    if case.productions.filter(produced_at__isnull=True).exists():
        return "A production is scoped but not produced: produce it (or remove the scope) first."
    produced = case.productions.filter(produced_at__isnull=False).exists()
    if case.verdict == Verdict.DISCLOSE and not produced:
        return "The director decided to disclose, and nothing has been produced yet."
    if case.document in vocab.JUDICIAL_DOCUMENTS and case.category not in vocab.AREAS and not case.verdict:
        return "A judge-signed order is on this case: record a decision (disclose or refuse) first."
    return None


def do_close(actor: Actor, case: Case, note: str = "") -> Case:
    with transaction.atomic():
        case = _locked(case)
        if case.state == State.CLOSED:
            raise CaseError("The case is already closed.")
        why = pending_order(case)
        if why:
            raise CaseError(f"The case cannot be closed: {why}")
        old, case.state, case.closed_at = case.state, State.CLOSED, timezone.now()
        case.save(update_fields=["state", "closed_at"])
        add_event(case, vault.sealer_for(case.id), actor.name, CaseEvent.Kind.STATE,
               f"{State(old).label} → {State.CLOSED.label}", note)
        log_case(actor, case, Event.CASE_CLOSE, basis="case closed")
    return case


def do_update(actor: Actor, case: Case, data: dict) -> Case:
    """The director corrects the desk's answers and sets deadlines and secrecy.

    Changing the document needs a reason, kept (sealed) in the timeline, and voids any
    decision to disclose not yet acted on."""
    fields = ("requester", "category", "document", "return_date", "nondisclosure", "concerns_staff",
              "staff_informed_on")
    reason = (data.get("reason") or "").strip()
    with transaction.atomic():
        case = _locked(case)
        changed = [f for f in fields if f in data and getattr(case, f) != data[f]]
        facts = [f for f in ("requester", "category", "document") if f in changed]
        if "document" in changed and not reason:
            raise CaseError("Say why the document changed (for example: the officer served a new order): "
                            "the correction is kept in the case.")
        for f in changed:
            setattr(case, f, data[f])
        if facts:
            decision = engine.decide(desk_guidance.effective_request(case.requester, case.category, case.document,
                                                                case_validity(case)))
            case.outcome, case.scope = decision.outcome, decision.scope
            case.actions, case.basis = list(decision.actions), list(decision.basis)
            if "nondisclosure" in decision.actions:
                case.nondisclosure = True
        keep_secrecy(case)
        if "nondisclosure" in changed and case.nondisclosure != data["nondisclosure"]:
            changed.remove("nondisclosure")  # asked to lift the secrecy of a FISA order or an NSL: it stays
        case.save()
        if "document" in changed:
            case.productions.filter(produced_at__isnull=True).update(decided_at=None, decided_by="")
            subpoena.void_all(case)  # a decision on a subpoena was about the document as it was
        if changed:
            sealer = vault.sealer_for(case.id)
            add_event(case, sealer, actor.name, CaseEvent.Kind.UPDATE, "changed: " + _field_names(changed), reason)
            if "staff_informed_on" in changed and case.staff_informed_on:
                add_event(case, sealer, actor.name, CaseEvent.Kind.STAFF, "staff member informed")
            log_case(actor, case, Event.CASE_UPDATE, basis="changed: " + ", ".join(changed))
    return case


# --- reading ------------------------------------------------------------------------


def read_case(actor: Actor, case: Case, *, purpose: str) -> dict[str, str]:
    return reader.read(actor, case, Case.SEALED_FIELDS, category=READ_CATEGORY, purpose=purpose,
                       event=Event.CASE_VIEW)


def read_events(actor: Actor, case: Case, *, purpose: str) -> list[tuple[CaseEvent, str]]:
    """The timeline; events with text are decrypted (one log entry each)."""
    events = list(case.events.select_related("case").all())
    with_text = [e for e in events if e.text_ct]
    texts = {}
    if with_text:
        values = reader.read_many(actor, with_text, CaseEvent.SEALED_FIELDS, category=READ_CATEGORY,
                                  purpose=purpose, event=Event.CASE_VIEW)
        texts = {e.id: v["text"] for e, v in zip(with_text, values, strict=True)}
    return [(e, texts.get(e.id, "")) for e in events]


def read_document_names(actor: Actor, case: Case, *, purpose: str) -> list[tuple[CaseDocument, str]]:
    docs = list(case.documents.select_related("case").all())
    if not docs:
        return []
    values = reader.read_many(actor, docs, ("filename",), category=READ_CATEGORY, purpose=purpose,
                              event=Event.CASE_VIEW)
    return [(d, v["filename"]) for d, v in zip(docs, values, strict=True)]


def read_document(actor: Actor, doc: CaseDocument, *, purpose: str) -> tuple[bytes, str]:
    """The document's bytes and file name (logged)."""
    values = reader.read(actor, doc, ("filename", "content"), category=READ_CATEGORY, purpose=purpose,
                         event=Event.CASE_DOCUMENT)
    return base64.b64decode(values["content"]), values["filename"] or "document"


def read_reading(actor: Actor, doc: CaseDocument, *, purpose: str) -> dict | None:
    if not doc.reading_ct:
        return None
    values = reader.read(actor, doc, ("reading",), category=READ_CATEGORY, purpose=purpose,
                         event=Event.CASE_VIEW)
    try:
        return json.loads(values["reading"])
    except ValueError:
        return None
