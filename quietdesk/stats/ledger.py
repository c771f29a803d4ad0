"""The privacy-budget ledger: epsilon spent per month of data, and the refusal.

Each month of data has QUIETDESK_DP_EPSILON_BUDGET to spend, across every query
that covers it. A query is refused, before anything is computed, when any month
it covers has less left than the query would spend; the refusal carries what is
left for each month. Amounts are kept in millionths so sums are exact.
Spending is serialized: SQLite's IMMEDIATE transactions already queue writers;
on PostgreSQL a transaction-scoped advisory lock does.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import Sum

from .models import BudgetSpend

_PG_LOCK = "SELECT pg_advisory_xact_lock(7242077)"


def to_micro(epsilon: float) -> int:
    return int(round(epsilon * 1_000_000))


def budget_micro() -> int:
    return to_micro(settings.QUIETDESK_DP_EPSILON_BUDGET)


class BudgetExceeded(Exception):
    """Refused: the query's epsilon is more than some month has left."""

    def __init__(self, epsilon: float, left: dict[str, int]):
        self.epsilon = epsilon
        self.left = {m: v / 1e6 for m, v in left.items()}
        self.remaining = min(self.left.values()) if self.left else 0.0
        short = sorted(m for m, v in left.items() if v < to_micro(epsilon))
        super().__init__(
            f"Refused: this query would spend epsilon {epsilon:g}, but the privacy budget left for "
            f"{', '.join(short)} is {self.remaining:g} (of {settings.QUIETDESK_DP_EPSILON_BUDGET:g} per month)."
        )


def lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_PG_LOCK, [])


def spent(months: list[str]) -> dict[str, int]:
    rows = BudgetSpend.objects.filter(month__in=months).values("month").annotate(total=Sum("epsilon_micro"))
    got = {r["month"]: int(r["total"] or 0) for r in rows}
    return {m: got.get(m, 0) for m in months}


def remaining(months: list[str]) -> dict[str, int]:
    """Millionths of epsilon left per month."""
    total = budget_micro()
    return {m: max(0, total - used) for m, used in spent(months).items()}


def overview(months: list[str]) -> list[dict]:
    total = budget_micro()
    return [{"month": m, "spent": used / 1e6, "left": max(0, total - used) / 1e6} for m, used in spent(months).items()]
