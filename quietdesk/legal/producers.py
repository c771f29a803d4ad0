"""Producers for each records category (see ``registry``), registered at start-up.

The registration producer is the patron record itself. The adapters for the other
categories read the circulation and records apps' models without editing those apps;
each is registered only if its models exist.

Loans, holds and computer sessions have no sealed fields: their producer first has
the reader decide and log the category for the patron (a read of no fields), then
lists the rows. Sealed titles (reading history, interlibrary loans) are decrypted
by the reader, one logged read per row.

Deliberately without a producer: program registrations (a first name under the
program's own key, never linked to a patron), reference follow-up notes (their own
subject, not linked to a patron), camera footage (files; the director reviews any
request), database searches (never stored) and presence (not a record).
"""

from __future__ import annotations

from django.apps import apps
from django.utils import timezone

from quietdesk.patrons.models import Patron
from quietdesk.policy import vocab

from .registry import Access, Producer, register, within


def _registration(access: Access, patron: Patron, date_from=None, date_to=None) -> list[dict]:
    values = access.read([patron], Patron.SEALED_FIELDS, category="registration")[0]
    return [{
        **values,
        "age_band": patron.get_age_band_display(),
        "home_branch": patron.home_branch.name if patron.home_branch else "",
        "registered_on": patron.registered_on.isoformat() if patron.registered_on else "",
    }]


REGISTRATION = Producer(
    category="registration",
    label="Registration (the patron record)",
    columns=("given_name", "family_name", "card_number", "email", "phone", "address", "age_band",
             "home_branch", "registered_on", "notes"),
    rows=_registration,
    dated=False,
)


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _money(cents: int) -> str:
    return f"{cents / 100:.2f}"


def _allowed(access: Access, patron: Patron, category: str) -> None:
    """The engine decides the category for this patron (raises AccessDenied); one log entry."""
    access.read([patron], (), category=category)


# Reading history is the patron's own choice and shown to the patron alone; it is
# produced only to the patron and under a judge-signed order that names it.
def _history_allowed(access: Access) -> bool:
    return access.requester == "patron_self" or access.document in vocab.JUDICIAL_DOCUMENTS


def _circulation(access: Access, patron: Patron, date_from=None, date_to=None) -> list[dict]:
    loan_model, history_model = _model("circulation.Loan"), _model("circulation.ReadingHistoryEntry")
    _allowed(access, patron, "circulation")
    rows = []
    for loan in loan_model.objects.filter(patron=patron).select_related("item").order_by("out_on", "pk"):
        day = loan.out_on or loan.returned_on
        rows.append({"date": _iso(day), "record": "loan", "title": loan.item.title, "barcode": loan.item.barcode,
                     "due_on": _iso(loan.due_on), "returned_on": _iso(loan.returned_on),
                     "fine_owed": _money(loan.fine_cents) if loan.fine_cents else ""})
    if history_model is not None and _history_allowed(access):
        entries = history_model.objects.filter(patron=patron).order_by("returned_on", "pk")
        if access.requester == "patron_self":
            entries = entries.filter(erased_on__isnull=True)
        entries = [e for e in entries if within({"date": e.returned_on}, date_from, date_to)]
        if entries:
            titles = access.read(entries, ("title",), category="circulation")
            rows += [{"date": _iso(e.returned_on), "record": "reading history", "title": t["title"],
                      "returned_on": _iso(e.returned_on)} for e, t in zip(entries, titles, strict=True)]
    return [r for r in rows if within(r, date_from, date_to)]


def _owed(access: Access, patron: Patron) -> list[dict]:
    """Only whether items are overdue and what is owed (a parent of a 13 to 17 year old)."""
    loan_model = _model("circulation.Loan")
    _allowed(access, patron, "circulation")
    today = timezone.localdate()
    loans = list(loan_model.objects.filter(patron=patron))
    overdue = sum(1 for loan in loans if loan.returned_on is None and loan.due_on and loan.due_on < today)
    return [{"overdue_items": overdue, "amount_owed": _money(sum(loan.fine_cents for loan in loans))}]


def _holds(access: Access, patron: Patron, date_from=None, date_to=None) -> list[dict]:
    hold_model = _model("circulation.Hold")
    _allowed(access, patron, "holds")
    return [{"date": _iso(h.placed_on), "title": h.item.title, "status": h.get_status_display(),
             "ready_on": _iso(h.ready_on), "closed_on": _iso(h.closed_on)}
            for h in hold_model.objects.filter(patron=patron).select_related("item").order_by("placed_on", "pk")
            if within({"date": h.placed_on}, date_from, date_to)]


def _ill(access: Access, patron: Patron, date_from=None, date_to=None) -> list[dict]:
    ill_model = _model("circulation.InterlibraryLoan")
    _allowed(access, patron, "ill")
    ills = [i for i in ill_model.objects.filter(patron=patron).order_by("requested_on", "pk")
            if within({"date": i.requested_on}, date_from, date_to)]
    titles = access.read(ills, ("title",), category="ill") if ills else []
    return [{"date": _iso(i.requested_on), "title": t["title"], "lender": i.lender, "status": i.get_status_display(),
             "closed_on": _iso(i.closed_on)} for i, t in zip(ills, titles, strict=True)]


def _computer_use(access: Access, patron: Patron, date_from=None, date_to=None) -> list[dict]:
    session_model = _model("records.ComputerSession")
    _allowed(access, patron, "computer_use")
    local = timezone.localtime
    return [{"date": _iso(s.day), "branch": s.branch.name if s.branch_id else "", "station": s.station,
             "starts_at": local(s.starts_at).strftime("%H:%M"), "ends_at": local(s.ends_at).strftime("%H:%M"),
             "minutes": s.minutes}
            for s in session_model.objects.filter(patron=patron).select_related("branch").order_by("starts_at")
            if within({"date": s.day}, date_from, date_to)]


CIRCULATION = Producer("circulation", "Loans (and reading history, if the patron keeps one)",
                       ("date", "record", "title", "barcode", "due_on", "returned_on", "fine_owed"),
                       _circulation, owed=_owed)
HOLDS = Producer("holds", "Holds and requests", ("date", "title", "status", "ready_on", "closed_on"), _holds)
ILL = Producer("ill", "Interlibrary loans", ("date", "title", "lender", "status", "closed_on"), _ill)
COMPUTER_USE = Producer("computer_use", "Computer sessions",
                        ("date", "branch", "station", "starts_at", "ends_at", "minutes"), _computer_use)

ADAPTERS = (
    (CIRCULATION, ("circulation.Loan", "circulation.Item")),
    (HOLDS, ("circulation.Hold",)),
    (ILL, ("circulation.InterlibraryLoan",)),
    (COMPUTER_USE, ("records.ComputerSession",)),
)


def register_all() -> None:
    """Called from LegalConfig.ready(): registration, and each adapter whose models exist."""
    register(REGISTRATION)
    for producer, models in ADAPTERS:
        if all(_model(label) is not None for label in models):
            register(producer)


