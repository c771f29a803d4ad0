"""`quietdesk inventory`: per category, how many records, the oldest, the rule,
and how many are past it (0 after a purge, apart from what legal holds keep).
The base of the privacy audit: counts and dates only, never a record's content.

Besides the purge's rules, each app registers the lines only it can count (records kept
while needed, rows counted with something else, files) with ``register_lines``.

"Oldest" is the day the oldest record began (a loan's checkout, a note's writing),
never a date the rule looks ahead to (a note's expiry, an upcoming program's end):
those lie in the future by design and once showed as the "oldest". A row dated
after today (a wrong clock, an import) is never the oldest either; it is counted
in ``future`` so the page and the command can say so."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from quietdesk.policy import labels

from . import legal_holds
from . import schedule as schedules
from .models import LegalHold
from .purge import condition
from .purge_rules import RULES, Ctx


@dataclass(frozen=True)
class Line:
    category: str
    what: str
    count: int
    oldest: datetime.date | None
    limit: str
    past: int | None  # None: never purged by rule (kept while needed)
    held: int = 0
    future: int = 0  # rows dated after today: left out of "oldest"

    @property
    def category_label(self) -> str:
        """The category as the page prints it ("Loans", not ``circulation``)."""
        return "Legal holds" if self.category == "legal" else labels.category(self.category)


def _date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _stat(table: str, where: str, params, oldest_col: str | None,
          today: datetime.date | None = None) -> tuple[int, datetime.date | None, int]:
    """(rows, the oldest date on or before ``today``, rows dated after ``today``)."""
    if not oldest_col:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)  # noqa: S608
            return cursor.fetchone()[0], None, 0
    day = connection.ops.adapt_datefield_value(today or timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MIN(CASE WHEN {oldest_col} <= %s THEN {oldest_col} END), "  # noqa: S608
            f"COALESCE(SUM(CASE WHEN {oldest_col} > %s THEN 1 ELSE 0 END), 0) FROM {table} WHERE {where}",
            [day, day, *params],
        )
        count, first, future = cursor.fetchone()
    return count, _date(first), int(future or 0)


def fixed(category, what, model, where, oldest_col, limit, past: int | None = None, *,
          today: datetime.date) -> Line:
    """A line counted by SQL over a model's table (``past``: None, never purged by rule)."""
    count, oldest, future = _stat(model._meta.db_table, where, [], oldest_col, today)
    return Line(category, what, count, oldest, limit, past, future=future)


def day_of(timestamp: float | None) -> datetime.date | None:
    return timezone.localdate(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)) if timestamp else None


# Lines apps add: (ctx, active holds) -> lines, shown before the rules' lines or after them.
Lines = Callable[[Ctx, list], list[Line]]
_BEFORE: list[Lines] = []
_AFTER: list[Lines] = []


def register_lines(lines: Lines, *, after_rules: bool = False) -> None:
    where = _AFTER if after_rules else _BEFORE
    if lines not in where:
        where.append(lines)


# Rules whose only date is legitimately ahead for some rows (a roster for a program
# still to come): those rows are not the oldest, nor suspect.
DATED_AHEAD = frozenset({"programs.registrations"})


def _age_column(rule) -> str:
    """The column that dates when a rule's record began: its start, else its end (a
    purged loan keeps only its return date, hence the COALESCE)."""
    if "(" in rule.end_col:
        return rule.start_col
    return f"COALESCE({rule.start_col}, {rule.end_col})" if rule.start_col else rule.end_col


def inventory(as_of: datetime.datetime | None = None, hidden_holds: frozenset = frozenset()) -> list[Line]:
    """``hidden_holds``: ids of legal holds the viewer may not learn of (non-disclosure cases)."""
    ctx = Ctx(as_of or timezone.now(), schedules.get())
    today = ctx.today
    active = [h for h in legal_holds.active_holds() if h.id not in hidden_holds]
    lines = [line for add in _BEFORE for line in add(ctx, active)]
    for rule in RULES:
        where, where_params = rule.population_sql(ctx)
        count, oldest, future = _stat(rule.table, where, where_params, _age_column(rule), today)
        cond, params, bare, bare_params = condition(rule, ctx, active)
        past = _stat(rule.table, cond, params, None)[0]
        held = _stat(rule.table, bare, bare_params, None)[0] - past if cond != bare else 0
        future = 0 if rule.key in DATED_AHEAD else future
        lines.append(Line(rule.category, rule.label, count, oldest, rule.limit(ctx.schedule), past, held, future))
    lines += [line for add in _AFTER for line in add(ctx, active)]
    lines.append(Line("database_search", "database search records", 0, None, "never stored", 0))
    lines.append(Line("reference", "reference interviews", 0, None, "never recorded", 0))
    holds_count = LegalHold.objects.filter(released_at__isnull=True).exclude(id__in=hidden_holds).count()
    lines.append(Line("legal", "active legal holds", holds_count, None, "until the director releases them", None))
    return lines
