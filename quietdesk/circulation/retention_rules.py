"""Circulation's rules in the purge (``retention.purge_rules``): loans, reading history, holds and
interlibrary loans, what the inventory counts of them, and their words on the privacy notice.
Registered in ``CirculationConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from quietdesk.retention import inventory, period_words, purge_rules
from quietdesk.retention.purge_rules import Rule, days_after, fixed
from quietdesk.retention.schedule import Schedule

from .models import Hold, InterlibraryLoan, Loan, ReadingHistoryEntry

_CLOSED_HOLD = "status IN ('filled', 'cancelled')"
_CLOSED_ILL = "status IN ('completed', 'cancelled')"

# What keeps a patron's account from expiring, in SQL over ``{patron}.id`` (the mirror of
# ``services.settle_before_shred``): any loan still linked (an item out, a fine owed), or a
# hold on the shelf.
IN_USE_SQL = (
    f"EXISTS (SELECT 1 FROM {Loan._meta.db_table} l WHERE l.patron_id = {{patron}}.id)",  # noqa: S608
    f"EXISTS (SELECT 1 FROM {Hold._meta.db_table} h WHERE h.patron_id = {{patron}}.id "  # noqa: S608
    "AND h.status = 'ready')",
)

RULES = [
    Rule(
        "circulation.linked_returns", "circulation", "returned loans still naming a borrower", Loan, "anonymize",
        population="returned_on IS NOT NULL AND patron_id IS NOT NULL AND fine_cents = 0",
        due=fixed("returned_on IS NOT NULL AND patron_id IS NOT NULL AND fine_cents = 0"),
        limit=lambda s: "link cut at return",
        start_col="out_on", end_col="returned_on", patron_col="patron_id",
        sets=lambda ctx: ("patron_id = NULL, out_on = NULL, due_on = NULL", []),
    ),
    Rule(
        "circulation.returned_loans", "circulation", "anonymous returned loans", Loan, "delete",
        population="returned_on IS NOT NULL AND patron_id IS NULL",
        due=lambda ctx: ("returned_on IS NOT NULL AND patron_id IS NULL AND returned_on < %s",
                         [ctx.before(ctx.schedule.returned_loan_days)]),
        limit=lambda s: days_after(s.returned_loan_days, "return"),
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
        limit=lambda s: (days_after(s.reading_history_days, "return") if s.reading_history_days
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
        due=fixed(f"{_CLOSED_HOLD} AND patron_id IS NOT NULL"),
        limit=lambda s: "link cut when filled or cancelled",
        start_col="placed_on", end_col="closed_on", patron_col="patron_id",
        sets=lambda ctx: ("patron_id = NULL, shelf_code = ''", []),
    ),
    Rule(
        "holds.closed", "holds", "anonymous closed holds", Hold, "delete",
        population=f"{_CLOSED_HOLD} AND patron_id IS NULL",
        due=lambda ctx: (f"{_CLOSED_HOLD} AND patron_id IS NULL AND closed_on < %s",
                         [ctx.before(ctx.schedule.closed_hold_days)]),
        limit=lambda s: days_after(s.closed_hold_days, "closing"),
        start_col="placed_on", end_col="closed_on",
    ),
    Rule(
        "ill.linked_closed", "ill", "closed interlibrary loans still naming a patron", InterlibraryLoan, "anonymize",
        population=f"{_CLOSED_ILL} AND patron_id IS NOT NULL",
        due=fixed(f"{_CLOSED_ILL} AND patron_id IS NOT NULL"),
        limit=lambda s: "link cut at completion",
        start_col="requested_on", end_col="closed_on", patron_col="patron_id",
        sets=lambda ctx: ("patron_id = NULL, title_ct = NULL", []),
    ),
    Rule(
        "ill.closed", "ill", "anonymous closed interlibrary loans", InterlibraryLoan, "delete",
        population=f"{_CLOSED_ILL} AND patron_id IS NULL",
        due=lambda ctx: (f"{_CLOSED_ILL} AND patron_id IS NULL AND closed_on < %s",
                         [ctx.before(ctx.schedule.closed_ill_days)]),
        limit=lambda s: days_after(s.closed_ill_days, "completion"),
        start_col="requested_on", end_col="closed_on",
    ),
]


def _lines(ctx: purge_rules.Ctx, active) -> list[inventory.Line]:
    """What is kept while it is needed, never purged by a rule."""
    return [
        inventory.fixed("circulation", "loans out", Loan, "returned_on IS NULL", "out_on", "never purged while out", today=ctx.today),
        inventory.fixed("circulation", "fines owed", Loan,
                        "returned_on IS NOT NULL AND fine_cents > 0 AND patron_id IS NOT NULL",
                        "returned_on", "kept while owed", today=ctx.today),
        inventory.fixed("holds", "holds on the hold shelf", Hold, "status = 'ready'", "ready_on",
                        "until picked up or cancelled", today=ctx.today),
        inventory.fixed("ill", "open interlibrary loans", InterlibraryLoan, "status IN ('requested', 'arrived')",
                        "requested_on", "until completed", today=ctx.today),
    ]


def _circulation(s: Schedule) -> str:
    words = gettext("Only while an item is out or a fine is owed; the link to you is cut when you return it.")
    if s.reading_history_days:
        words += " " + ngettext("A reading history only if you turn it on; each entry is deleted %(n)d day after the return.", "A reading history only if you turn it on; each entry is deleted %(n)d days after the return.", s.reading_history_days) % {"n": s.reading_history_days}
    else:
        words += " " + gettext("A reading history only if you turn it on, until you erase it.")
    return words


def _holds(s: Schedule) -> str:
    words = gettext("Until you pick up the hold or it is cancelled.")
    if s.unfilled_hold_days:
        words += " " + ngettext("A hold still waiting after %(n)d day is cancelled.", "A hold still waiting after %(n)d days is cancelled.", s.unfilled_hold_days) % {"n": s.unfilled_hold_days}
    return words


def _ill(s: Schedule) -> str:
    return gettext("Your name and the title are removed when the item goes back to the lending library.")


def register() -> None:
    purge_rules.register(*RULES)
    inventory.register_lines(_lines)
    period_words.register_period("circulation", _circulation)
    period_words.register_period("holds", _holds)
    period_words.register_period("ill", _ill)
