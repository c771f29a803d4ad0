"""Subpoenas: the director's and counsel's decision, and the two people it takes.

A subpoena (grand jury, court, administrative) is never answered at the desk: it goes to
the director (Sonoma III.C.2.d.ii), who consults counsel on whether and how far the library
must comply (III.C.2.i). Counsel examines it for defects and may resist it; if the library
must comply it produces only what the subpoena names, retrieved by staff, and may ask the
court for a protective order (roundtable scenario 1; ALA Q&A 26). So the decision is one of
"compelled by law", "move to quash", "protective order sought" or "decline".

The rule (docs/operators-guide.md, "Subpoenas")
------------------------------------------------
1. One account that may decide cases (``DECIDE_CASES``: the director or designee) records
   the decision, its legal basis and counsel's sign-off: who advised, and on which day.
   The basis and counsel's name are sealed under the case's key; the basis is the library's
   legal analysis and never goes into a package.
2. The decision is in force only once a *second, different* account with ``DECIDE_CASES``
   confirms it. quietdesk cannot check that counsel advised: it records who said so and who
   checked it. Counsel needs no account (and gets none: a quietdesk account would open case
   files to someone outside the library). There is no override for a library with one
   decider: give the designee an account.
3. "Compelled by law" covers the scopes (``Production`` rows: one patron, categories, dates,
   the copy of the subpoena) that existed when it was recorded, and nothing set later. A new
   decision replaces the one before; correcting the case's document voids them all.
4. Only then does ``production.do_produce`` read the records, asking the policy engine with
   ``compelled=True``: the same package, inventory, manifest and legal hold as under a
   judge-signed order.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor
from quietdesk.policy import vocab
from quietdesk.staff.roles import Cap, has_cap
from quietdesk.vault import api as vault
from quietdesk.vault import reader

from . import timeline, words
from .models import Case, CaseEvent, Production, State, SubpoenaDecision, SubpoenaOutcome, Verdict

MODEL = "legal.subpoenadecision"
SUBPOENAS = vocab.SUBPOENA_DOCUMENTS

# Shown where the decision is recorded; each line names its source.
ABOUT = (
    ("A subpoena does not require an immediate response. Counsel examines it for any legal defect: how it was "
     "served, how broad it is, its form, or an insufficient showing of good cause.", "Roundtable scenario 1"),
    ("If counsel finds that the law compels the library to comply, produce only what the subpoena names, "
     "retrieved by staff, never by the officer.", "Roundtable scenario 1; ALA Q&A 26"),
    ("If disclosure is required, counsel may ask the court for a protective order keeping the information "
     "confidential and limited to the case.", "Roundtable scenario 1"),
    ("The director documents what information and circumstances supported a decision to disclose.",
     "Sonoma policy III.C.2.i"),
)
ADMINISTRATIVE = (
    "An administrative subpoena (such as ICE's Form I-138, or a CBP summons) is issued by an agency, not a court, "
    "and is not enforceable until a judge orders compliance. If a court has ordered it, record that court's order "
    "as a judge-signed order instead (Research: legal documents an officer may present; Sonoma policy III.B.3)."
)


class DecisionError(ValueError):
    """A decision that cannot be recorded or confirmed; the message says why."""


def is_subpoena(case: Case) -> bool:
    return case.document in SUBPOENAS


def decisions(case: Case) -> list[SubpoenaDecision]:
    return list(case.subpoena_decisions.select_related("case").all())


def in_force(case: Case) -> SubpoenaDecision | None:
    return case.subpoena_decisions.filter(confirmed_at__isnull=False, superseded_at__isnull=True).first()


def _undecided_scopes(case: Case):
    return case.productions.filter(produced_at__isnull=True)


def do_propose(actor: Actor, case: Case, *, outcome: str, basis: str, counsel: str,
               counsel_advised_on: datetime.date, user) -> SubpoenaDecision:
    """Record a decision; it waits for a second person. Replaces any decision still waiting."""
    basis, counsel = (basis or "").strip(), (counsel or "").strip()
    problems = []
    if outcome not in SubpoenaOutcome.values:
        problems.append("The decision is one of: " + ", ".join(SubpoenaOutcome.labels) + ".")
    if not basis:
        problems.append("Write down the legal basis (policy III.C.2.i).")
    if not counsel:
        problems.append("Name the counsel who advised (roundtable scenario 1: call the library's attorney first).")
    if counsel_advised_on is None or counsel_advised_on > timezone.localdate():
        problems.append("Give the day counsel advised (not in the future).")
    if not getattr(user, "pk", None) or not has_cap(user, Cap.DECIDE_CASES):
        problems.append("Only the director or designee records a decision on a subpoena.")
    if problems:
        raise DecisionError(" ".join(problems))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not is_subpoena(case):
            raise DecisionError("This case does not record a subpoena.")
        if case.state == State.CLOSED:
            raise DecisionError("The case is closed: reopen it first.")
        scopes = [str(p) for p in _undecided_scopes(case).filter(document=case.document).values_list("id", flat=True)]
        if outcome == SubpoenaOutcome.COMPELLED and not scopes:
            raise DecisionError("First record what the subpoena names (the scope: patron, records, dates and the copy "
                                "of the subpoena): the two people decide on exactly that.")
        now = timezone.now()
        case.subpoena_decisions.filter(confirmed_at__isnull=True, superseded_at__isnull=True).update(superseded_at=now)
        decision = SubpoenaDecision(
            id=uuid.uuid4(), case=case, document=case.document, outcome=outcome, proposed_by=actor.name,
            proposed_by_user=user, counsel_advised_on=counsel_advised_on,
            scope_ids=scopes if outcome == SubpoenaOutcome.COMPELLED else [],
        )
        sealer = vault.sealer_for(case.id)
        decision.basis_ct = sealer.seal(MODEL, "basis", decision.id, basis)
        decision.counsel_ct = sealer.seal(MODEL, "counsel", decision.id, counsel)
        decision.save(force_insert=True)
        label = SubpoenaOutcome(outcome).label
        timeline.add_event(case, sealer, actor.name, CaseEvent.Kind.DECISION,
                        f"subpoena decision recorded ({label}); counsel advised {counsel_advised_on}; waiting "
                        "for a second person", basis)
        timeline.log_case(actor, case, Event.SUBPOENA_PROPOSE,
                          basis=f"subpoena decision recorded: {outcome} ({label}); awaiting confirmation")
    return decision


def do_confirm(actor: Actor, decision: SubpoenaDecision, *, user) -> SubpoenaDecision:
    """The second person. Puts the decision in force and moves the case accordingly."""
    if not getattr(user, "pk", None) or not has_cap(user, Cap.DECIDE_CASES):
        raise DecisionError("Only the director or designee confirms a decision on a subpoena.")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=decision.case_id)
        decision = SubpoenaDecision.objects.select_for_update().get(pk=decision.pk)
        if not decision.pending:
            raise DecisionError("This decision was already confirmed or replaced.")
        if decision.proposed_by_user_id is None:
            raise DecisionError("The account that recorded this decision no longer exists: record it again.")
        if decision.proposed_by_user_id == user.pk:
            raise DecisionError("A second person confirms: you recorded this decision yourself.")
        if case.document != decision.document:
            raise DecisionError("The case's document changed since this decision was recorded: record it again.")
        if case.state == State.CLOSED:
            raise DecisionError("The case is closed: reopen it first.")
        now = timezone.now()
        case.subpoena_decisions.filter(confirmed_at__isnull=False, superseded_at__isnull=True).update(superseded_at=now)
        decision.confirmed_by, decision.confirmed_by_user, decision.confirmed_at = actor.name, user, now
        decision.save(update_fields=["confirmed_by", "confirmed_by_user", "confirmed_at"])
        undecided = _undecided_scopes(case)
        undecided.update(decided_at=None, decided_by="")
        if decision.outcome == SubpoenaOutcome.COMPELLED:
            covered = undecided.filter(pk__in=decision.scope_ids, document=decision.document)
            covered.update(decided_at=now, decided_by=f"{decision.proposed_by} + {actor.name}"[:150])
            case.verdict, case.state = Verdict.DISCLOSE, State.DECIDED
        elif decision.outcome == SubpoenaOutcome.DECLINE:
            case.verdict, case.state = Verdict.REFUSE, State.REFUSED
        else:  # a motion or a protective order: with counsel, nothing disclosed meanwhile
            case.verdict, case.state = "", State.WITH_COUNSEL
        case.decided_at, case.decided_by = (now, user) if case.verdict else (None, None)
        case.save(update_fields=["verdict", "state", "decided_at", "decided_by"])
        timeline.add_event(case, vault.sealer_for(case.id), actor.name, CaseEvent.Kind.DECISION,
                        f"subpoena decision confirmed ({decision.get_outcome_display()}); recorded by "
                        f"{decision.proposed_by}")
        timeline.log_case(actor, case, Event.SUBPOENA_CONFIRM,
                          basis=f"subpoena decision {decision.outcome} confirmed; recorded by {decision.proposed_by}")
    return decision


def void_all(case: Case) -> int:
    """The case's document was corrected: no decision about the old one stands (inside the caller's transaction)."""
    return case.subpoena_decisions.filter(superseded_at__isnull=True).update(superseded_at=timezone.now())


def production_problem(case: Case, production: Production) -> str | None:
    """Why this scope cannot be produced under a subpoena, or None (called inside do_produce's transaction)."""
    if case.document != production.document:
        return (f"The scope names {words.DOCUMENT.get(production.document, production.document)}, but the case "
                f"records {words.DOCUMENT.get(case.document, case.document)}: correct one or the other first.")
    decision = in_force(case)
    if decision is None:
        pending = case.subpoena_decisions.filter(confirmed_at__isnull=True, superseded_at__isnull=True).exists()
        return ("The decision on this subpoena waits for a second person to confirm it." if pending else
                "Nothing is produced under a subpoena until the director and counsel decide that the law compels it, "
                "and a second person confirms that decision (policy III.C.2.i; ALA Q&A 26).")
    if decision.outcome != SubpoenaOutcome.COMPELLED:
        return f"The decision in force is: {SubpoenaOutcome(decision.outcome).label}. Nothing is produced."
    if decision.document != case.document:
        return "The case's document changed since the decision: record a new one."
    if str(production.id) not in decision.scope_ids or production.decided_at is None:
        return ("The two-person decision does not cover this scope (it was set after the decision): record and "
                "confirm a new decision that covers it.")
    if decision.proposed_by_user_id is None or decision.proposed_by_user_id == decision.confirmed_by_user_id:
        return "The decision was not confirmed by a second person: record it again."
    return None


def copy_problem(reading: dict | None, document: str) -> str | None:
    """Why the document reader's reading rules a file out as the copy of this subpoena, or None.

    A blurred photo ("unknown") does not rule it out; a file read as another kind does."""
    if not reading:
        return None
    kind = reading.get("kind") or "unknown"
    if kind not in ("unknown", document):
        return f"the document reader read it as: {words.DOCUMENT.get(kind, kind)}"
    return None


def read_decisions(actor: Actor, case: Case, *, purpose: str) -> list[tuple[SubpoenaDecision, dict]]:
    rows = decisions(case)
    if not rows:
        return []
    values = reader.read_many(actor, rows, SubpoenaDecision.SEALED_FIELDS, category=timeline.READ_CATEGORY,
                              purpose=purpose, event=Event.CASE_VIEW)
    return list(zip(rows, values, strict=True))
