"""What is written about a case: its timeline (``CaseEvent``, text sealed under the case's key)
and its access-log entries. Every module that changes a case writes through here, in the
transaction of its change; it imports no module of legal but the models, so any of them
can (services, subpoenas, productions, the director's notice, reminders)."""

from __future__ import annotations

import uuid

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.vault import api as vault

from .models import Case, CaseEvent

CASE_MODEL = "legal.case"
EVENT_MODEL = "legal.caseevent"
READ_CATEGORY = "case_file"


def log_case(actor: Actor, case: Case, event: Event, basis: str = "", categories=()) -> None:
    """An entry about ``case``, named by its pseudonym and marked when it is under non-disclosure."""
    append(actor, event, case_ref=case.pseudonym, categories=categories, basis=basis,
           restricted=case.nondisclosure)


def add_event(case: Case, sealer: vault.Sealer, by: str, kind: str, summary: str = "", text: str = "") -> CaseEvent:
    event = CaseEvent(id=uuid.uuid4(), case=case, by=by, kind=kind, summary=summary[:200])
    event.text_ct = sealer.seal(EVENT_MODEL, "text", event.id, text or None)
    event.save(force_insert=True)
    return event
