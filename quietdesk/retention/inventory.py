"""`quietdesk inventory`: per category, how many records, the oldest, the rule,
and how many are past it (0 after a purge, apart from what legal holds keep).
The base of the privacy audit: counts and dates only, never a record's content.

Besides the purge's rules, each app registers the lines only it can count (records kept
while needed, rows counted with something else, files) with ``register_lines``."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from . import holds as legal
from . import schedule as schedules
from .models import LegalHold
from .purge import condition
from .rules import RULES, Ctx


@dataclass(frozen=True)
class Line:
    category: str
    what: str
    count: int
    oldest: datetime.date | None
    limit: str
    past: int | None  # None: never purged by rule (kept while needed)
    held: int = 0


def _date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _stat(table: str, where: str, params, oldest_col: str | None) -> tuple[int, datetime.date | None]:
    oldest = f"MIN({oldest_col})" if oldest_col else "NULL"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), {oldest} FROM {table} WHERE {where}", params)  # noqa: S608
        count, first = cursor.fetchone()
    return count, _date(first)


def fixed(category, what, model, where, oldest_col, limit, past: int | None = None) -> Line:
    """A line counted by SQL over a model's table (``past``: None, never purged by rule)."""
    count, oldest = _stat(model._meta.db_table, where, [], oldest_col)
    return Line(category, what, count, oldest, limit, past)


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


def inventory(as_of: datetime.datetime | None = None, hidden_holds: frozenset = frozenset()) -> list[Line]:
    """``hidden_holds``: ids of legal holds the viewer may not learn of (non-disclosure cases)."""
    ctx = Ctx(as_of or timezone.now(), schedules.get())
    active = [h for h in legal.active_holds() if h.id not in hidden_holds]
    lines = [line for add in _BEFORE for line in add(ctx, active)]
    for rule in RULES:
        dated = rule.end_col if "(" not in rule.end_col else rule.start_col
        where, where_params = rule.population_sql(ctx)
        count, oldest = _stat(rule.table, where, where_params, dated)
        cond, params, bare, bare_params = condition(rule, ctx, active)
        past, _ = _stat(rule.table, cond, params, None)
        held = _stat(rule.table, bare, bare_params, None)[0] - past if cond != bare else 0
        lines.append(Line(rule.category, rule.label, count, oldest, rule.limit(ctx.schedule), past, held))
    lines += [line for add in _AFTER for line in add(ctx, active)]
    lines.append(Line("database_search", "database search records", 0, None, "never stored", 0))
    lines.append(Line("reference", "reference interviews", 0, None, "never recorded", 0))
    holds_count = LegalHold.objects.filter(released_at__isnull=True).exclude(id__in=hidden_holds).count()
    lines.append(Line("legal", "active legal holds", holds_count, None, "until the director releases them", None))
    return lines
