"""The statistics a library may ask for, and ``do_release``: budget, noise, publish.

Each query has fixed public keys (branches x collections x months, or branches x
months) and a contribution bound; ``do_release`` checks the ledger, aggregates in
SQL, adds OpenDP noise and stores the noisy table, in one transaction that also
writes the access-log entry. See ``dp.py`` for the design notes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import product

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append

from . import dp, sources
from .ledger import BudgetExceeded, lock, remaining, to_micro
from .models import BudgetSpend, Release

MAX_MONTHS = 36
DEFAULT_MONTHS = 12  # months left empty: the year up to the last complete month


@dataclass(frozen=True)
class Query:
    kind: str
    label: str
    what: str  # what one count is
    dims: tuple[str, ...]
    bound_setting: str
    enforced: bool  # True: the cap is applied to per-patron rows in SQL; False: a declared bound
    snapshot: bool = False  # True: counts now (the current month), not a range of months

    @property
    def bound(self) -> int:
        return max(1, int(getattr(settings, self.bound_setting)))


QUERIES = {
    q.kind: q for q in (
        Query("circulation", "Circulation by branch, collection and month",
              "loans completed (items returned)", ("branch", "collection", "month"), "QUIETDESK_DP_MAX_LOANS", False),
        Query("loans_out", "Items out on loan now, by branch and collection",
              "items out on loan", ("branch", "collection"), "QUIETDESK_DP_MAX_LOANS", True, snapshot=True),
        Query("programs", "Program attendance by branch and month",
              "people attending programs", ("branch", "month"), "QUIETDESK_DP_MAX_PROGRAMS", False),
        Query("computers", "Computer sessions by branch and month",
              "computer sessions", ("branch", "month"), "QUIETDESK_DP_MAX_SESSIONS", False),
    )
}


class QueryError(ValueError):
    """A query that cannot run as asked (the message says why)."""


def check_months(query: Query, first: str | None, last: str | None, today: datetime.date | None = None) -> list[str]:
    today = today or timezone.localdate()
    current = sources.month_key(today)
    if query.snapshot:
        return [current]
    first, last = default_months(first, last, today)
    try:
        months = sources.months_between(first or "", last or "")
    except (AttributeError, TypeError, ValueError):
        raise QueryError("Give the months as YYYY-MM.") from None
    if not months:
        raise QueryError("The last month is before the first.")
    if months[-1] > current:
        raise QueryError("A month in the future has no data yet.")
    if len(months) > MAX_MONTHS:
        raise QueryError(f"Ask for at most {MAX_MONTHS} months at a time.")
    return months


def default_months(first: str | None, last: str | None, today: datetime.date) -> tuple[str, str]:
    """Months left empty: up to the last complete month, and the year that ends there."""
    complete = sources.month_key(today.replace(day=1) - datetime.timedelta(days=1))
    if not last:
        last = max(first, complete) if first else complete
    if not first:
        try:
            end = sources.month_start(last)
        except (AttributeError, TypeError, ValueError):
            return last, last  # check_months says what is wrong with it
        index = end.year * 12 + end.month - 1 - (DEFAULT_MONTHS - 1)
        first = f"{index // 12:04d}-{index % 12 + 1:02d}"
    return first, last


def check_noise(query: Query, epsilon: float) -> float:
    """Refuse, before anything is spent, an epsilon so small the counts would be useless
    at a branch's scale (QUIETDESK_DP_MAX_ERROR). Uses public numbers only."""
    error = dp.accuracy(dp.scale_for(query.bound, epsilon))
    limit = settings.QUIETDESK_DP_MAX_ERROR
    if error > limit:
        raise QueryError(
            f"At epsilon {epsilon:g}, 95 times in 100 each count would be off by up to ±{error:.0f}: more than "
            f"the ±{limit:g} this library accepts (QUIETDESK_DP_MAX_ERROR). Nothing was spent. Spend more "
            "epsilon on this table, or do not publish it.")
    return error


def keys_for(query: Query, months: list[str]) -> list[tuple]:
    axes = {"branch": sources.branches(), "collection": sources.collections(), "month": months}
    return list(product(*(axes[d] for d in query.dims)))


def true_counts(query: Query, months: list[str]) -> dict[tuple, int]:
    if query.kind == "circulation":
        return sources.circulation(months)
    if query.kind == "loans_out":
        return sources.loans_out(query.bound)
    if query.kind == "programs":
        return sources.program_attendance(months)
    return sources.computer_sessions(months)


def do_release(actor: Actor, kind: str, *, first: str | None = None, last: str | None = None,
               epsilon: float | None = None) -> Release:
    """Publish one noisy table, or raise BudgetExceeded (nothing spent) or QueryError."""
    query = QUERIES.get(kind)
    if query is None:
        raise QueryError(f"Unknown statistic {kind!r}. Choose one of: {', '.join(QUERIES)}.")
    eps = settings.QUIETDESK_DP_EPSILON_PER_QUERY if epsilon is None else epsilon
    if not 0 < eps <= settings.QUIETDESK_DP_EPSILON_BUDGET:
        raise QueryError(f"Epsilon must be above 0 and at most {settings.QUIETDESK_DP_EPSILON_BUDGET}.")
    months = check_months(query, first, last)
    check_noise(query, eps)
    micro = to_micro(eps)
    if kind == "circulation":
        sources.snapshot()  # outside the ledger's lock: a tally is not a release
    with transaction.atomic():
        lock()
        left = remaining(months)
        short = {m: v for m, v in left.items() if v < micro}
        if short:
            raise BudgetExceeded(eps, left)
        keys = keys_for(query, months)
        counts = true_counts(query, months)
        noised = dp.noisy_counts([counts.get(k, 0) for k in keys], bound=query.bound, epsilon=micro / 1e6)
        release = Release.objects.create(
            kind=kind, first_month=months[0], last_month=months[-1], epsilon_micro=micro, bound=query.bound,
            scale=noised.scale, accuracy95=noised.accuracy95, columns=[*query.dims, "count"],
            rows=[[*k, n] for k, n in zip(keys, noised.counts, strict=True)], created_by=actor.name,
        )
        BudgetSpend.objects.bulk_create(BudgetSpend(month=m, epsilon_micro=micro, release=release) for m in months)
        append(actor, Event.STATISTICS, categories=["statistics"],
               basis=f"DP release #{release.pk}: {kind} {months[0]}..{months[-1]}, epsilon {eps:g}, bound {query.bound}")
    return release
