"""The purge's rules: one per kind of record, in the order they run.

Each rule says, in SQL over constant table and column names, which rows are
records of its kind (``population``, for the inventory) and which are past
their rule (``due``, from the schedule and the run's ``as_of``), and what to do
with them: delete, or anonymize (cut the link to the patron). Rules whose work
is more than one statement (registration expiry, programs, computer sessions,
reference notes, camera footage) have their own step in ``steps.py``. The
legal-hold exclusion (``holds.exclusion``; for a patron's record itself,
``holds.record_exclusion``) is added to every ``due``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from quietdesk.circulation.models import Hold, InterlibraryLoan, Loan, ReadingHistoryEntry
from quietdesk.patrons.expiry import cutoff
from quietdesk.patrons.models import Patron
from quietdesk.records.models import ComputerSession, Program, ReferenceNote

from .schedule import Schedule, period


@dataclass(frozen=True)
class Ctx:
    as_of: datetime.datetime
    schedule: Schedule

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.as_of)

    def before(self, days: int):
        """Parameter: the first day still kept by a rule of ``days`` days."""
        return connection.ops.adapt_datefield_value(self.today - datetime.timedelta(days=days))

    def day(self, value: datetime.date):
        return connection.ops.adapt_datefield_value(value)

    def moment(self, value: datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)


@dataclass(frozen=True)
class Rule:
    key: str
    category: str  # policy category, as legal holds name it
    label: str
    model: type
    action: str  # delete | anonymize | step (see steps.py)
    population: str | Callable[[Ctx], tuple[str, list]]  # WHERE: records of this kind
    due: Callable[[Ctx], tuple[str, list]]  # WHERE: past their rule (legal holds aside)
    limit: Callable[[Schedule], str]  # the rule in words, for the inventory
    end_col: str
    start_col: str | None = None
    patron_col: str | None = None
    sets: Callable[[Ctx], tuple[str, list]] | None = None  # anonymize: SET clause
    whole_record: bool = False  # a patron's record itself: any hold naming them keeps it (holds.record_exclusion)

    def population_sql(self, ctx: Ctx) -> tuple[str, list]:
        return self.population(ctx) if callable(self.population) else (self.population, [])

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def int_pk(self) -> bool:
        return self.model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField"}


def _days(n: int, what: str) -> str:
    return f"{n} day{'s' if n != 1 else ''} after {what}" if n else f"the day after {what}"


def _fixed(where: str):
    return lambda ctx: (where, [])


_CLOSED_HOLD = "status IN ('filled', 'cancelled')"

# Registration expiry (patrons.expiry). An account still in use is never due: an item out or
# a fine owed (any loan still linked) or a hold on the shelf; the step checks each account
# again with the desk's own rule (patrons.services.shred_blockers) before it goes.
_PATRON = Patron._meta.db_table
_IN_USE = (f"NOT EXISTS (SELECT 1 FROM {Loan._meta.db_table} l WHERE l.patron_id = {_PATRON}.id) "  # noqa: S608
           f"AND NOT EXISTS (SELECT 1 FROM {Hold._meta.db_table} h WHERE h.patron_id = {_PATRON}.id "
           "AND h.status = 'ready')")


def _unused(ctx: Ctx, *, ahead: int = 0) -> tuple[str, list]:
    """Accounts unused for the whole period by today (or by ``ahead`` days from now)."""
    day = ctx.today + datetime.timedelta(days=ahead)
    return "active_month < %s", [ctx.day(cutoff(day, ctx.schedule.expire_after_months))]


def _notice_due(ctx: Ctx) -> tuple[str, list]:
    unused, params = _unused(ctx, ahead=ctx.schedule.notice_days)
    return f"email_ct IS NOT NULL AND expiry_notice_on IS NULL AND {unused} AND {_IN_USE}", params


def _expiry_due(ctx: Ctx) -> tuple[str, list]:
    unused, params = _unused(ctx)
    told = ctx.today - datetime.timedelta(days=ctx.schedule.notice_days)
    return (f"{unused} AND (email_ct IS NULL OR expiry_notice_on <= %s) AND {_IN_USE}",
            [*params, ctx.day(told)])


def _months(s: Schedule) -> str:
    return period(s.expire_after_months)

_CLOSED_ILL = "status IN ('completed', 'cancelled')"

RULES: list[Rule] = [
    Rule(
        "registration.notices", "registration", "expiry notices due (accounts with an email)", Patron, "step",
        population=lambda ctx: _unused(ctx, ahead=ctx.schedule.notice_days),
        due=_notice_due,
        limit=lambda s: f"emailed {s.notice_days} days before expiry, once",
        end_col="active_month", patron_col="id", whole_record=True,
    ),
    Rule(
        "registration.expired", "registration", "accounts unused for the whole period", Patron, "step",
        population=_unused,
        due=_expiry_due,
        limit=lambda s: f"destroyed after {_months(s)} unused (notice first)",
        end_col="active_month", patron_col="id", whole_record=True,
    ),
    Rule(
        "circulation.linked_returns", "circulation", "returned loans still naming a borrower", Loan, "anonymize",
        population="returned_on IS NOT NULL AND patron_id IS NOT NULL AND fine_cents = 0",
        due=_fixed("returned_on IS NOT NULL AND patron_id IS NOT NULL AND fine_cents = 0"),
        limit=lambda s: "link cut at return",
        start_col="out_on", end_col="returned_on", patron_col="patron_id",
        sets=lambda ctx: ("patron_id = NULL, out_on = NULL, due_on = NULL", []),
    ),
    Rule(
        "circulation.returned_loans", "circulation", "anonymous returned loans", Loan, "delete",
        population="returned_on IS NOT NULL AND patron_id IS NULL",
        due=lambda ctx: ("returned_on IS NOT NULL AND patron_id IS NULL AND returned_on < %s",
                         [ctx.before(ctx.schedule.returned_loan_days)]),
        limit=lambda s: _days(s.returned_loan_days, "return"),
        start_col="out_on", end_col="returned_on",
    ),
    Rule(
        "circulation.reading_history", "circulation", "reading history entries (patron opt-in)",
        ReadingHistoryEntry, "delete",
        population="1 = 1",
        due=lambda ctx: (
            ("erased_on IS NOT NULL OR returned_on < %s", [ctx.before(ctx.schedule.reading_history_days)])
            if ctx.schedule.reading_history_days else ("erased_on IS NOT NULL", [])
        ),
        limit=lambda s: (_days(s.reading_history_days, "return") if s.reading_history_days
                         else "until the patron erases it"),
        end_col="returned_on", patron_col="patron_id",
    ),
    Rule(
        "holds.unfilled", "holds", "holds waiting for an item", Hold, "anonymize",
        population="status = 'waiting'",
        due=lambda ctx: (
            ("status = 'waiting' AND (patron_id IS NULL OR placed_on < %s)",
             [ctx.before(ctx.schedule.unfilled_hold_days)])
            if ctx.schedule.unfilled_hold_days else ("status = 'waiting' AND patron_id IS NULL", [])
        ),
        limit=lambda s: (f"cancelled {s.unfilled_hold_days} days after placing" if s.unfilled_hold_days
                         else "never cancelled"),
        start_col="placed_on", end_col="COALESCE(closed_on, CURRENT_DATE)", patron_col="patron_id",
        sets=lambda ctx: ("status = 'cancelled', patron_id = NULL, shelf_code = '', closed_on = %s",
                          [ctx.day(ctx.today)]),
    ),
    Rule(
        "holds.linked_closed", "holds", "closed holds still naming a patron", Hold, "anonymize",
        population=f"{_CLOSED_HOLD} AND patron_id IS NOT NULL",
        due=_fixed(f"{_CLOSED_HOLD} AND patron_id IS NOT NULL"),
        limit=lambda s: "link cut when filled or cancelled",
        start_col="placed_on", end_col="closed_on", patron_col="patron_id",
        sets=lambda ctx: ("patron_id = NULL, shelf_code = ''", []),
    ),
    Rule(
        "holds.closed", "holds", "anonymous closed holds", Hold, "delete",
        population=f"{_CLOSED_HOLD} AND patron_id IS NULL",
        due=lambda ctx: (f"{_CLOSED_HOLD} AND patron_id IS NULL AND closed_on < %s",
                         [ctx.before(ctx.schedule.closed_hold_days)]),
        limit=lambda s: _days(s.closed_hold_days, "closing"),
        start_col="placed_on", end_col="closed_on",
    ),
    Rule(
        "ill.linked_closed", "ill", "closed interlibrary loans still naming a patron", InterlibraryLoan, "anonymize",
        population=f"{_CLOSED_ILL} AND patron_id IS NOT NULL",
        due=_fixed(f"{_CLOSED_ILL} AND patron_id IS NOT NULL"),
        limit=lambda s: "link cut at completion",
        start_col="requested_on", end_col="closed_on", patron_col="patron_id",
        sets=lambda ctx: ("patron_id = NULL, title_ct = NULL", []),
    ),
    Rule(
        "ill.closed", "ill", "anonymous closed interlibrary loans", InterlibraryLoan, "delete",
        population=f"{_CLOSED_ILL} AND patron_id IS NULL",
        due=lambda ctx: (f"{_CLOSED_ILL} AND patron_id IS NULL AND closed_on < %s",
                         [ctx.before(ctx.schedule.closed_ill_days)]),
        limit=lambda s: _days(s.closed_ill_days, "completion"),
        start_col="requested_on", end_col="closed_on",
    ),
    Rule(
        "programs.registrations", "programs", "program rosters (registrations and code word)", Program, "step",
        population="roster_subject IS NOT NULL AND registrations_destroyed_on IS NULL",
        due=lambda ctx: ("roster_subject IS NOT NULL AND registrations_destroyed_on IS NULL AND ends_on < %s",
                         [ctx.before(ctx.schedule.registration_days_after_program)]),
        limit=lambda s: _days(s.registration_days_after_program, "the program"),
        end_col="ends_on",
    ),
    Rule(
        "computer_use.sessions", "computer_use", "computer sessions", ComputerSession, "step",
        population="1 = 1",
        due=lambda ctx: (
            "ended_at IS NOT NULL OR ends_at < %s",
            [ctx.moment(ctx.as_of - datetime.timedelta(minutes=ctx.schedule.session_grace_minutes))],
        ),
        limit=lambda s: f"at the session's end ({s.session_grace_minutes} min grace)",
        end_col="day", patron_col="patron_id",
    ),
    Rule(
        "reference.notes", "reference", "reference follow-up notes", ReferenceNote, "step",
        population="1 = 1",
        due=lambda ctx: ("expires_on < %s", [ctx.day(ctx.today)]),
        limit=lambda s: f"on expiry (at most {s.follow_up_note_days} days)",
        start_col="created_on", end_col="expires_on",
    ),
]

BY_KEY = {rule.key: rule for rule in RULES}
FOOTAGE_KEY = "camera.footage"
NOTICE_KEY = "registration.notices"
# Counts a run keeps that are not records removed: notices sent, notices that could not
# reach anyone, accounts found in use after all.
NOT_REMOVALS = frozenset({NOTICE_KEY, "registration.notices_refused", "registration.notices_unsent",
                          "registration.kept_in_use"})
