"""`quietdesk inventory`: per category, how many records, the oldest, the rule,
and how many are past it (0 after a purge, apart from what legal holds keep).
The base of the privacy audit: counts and dates only, never a record's content."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from quietdesk.circulation.models import Hold, InterlibraryLoan, Loan
from quietdesk.patrons.models import Patron
from quietdesk.records.models import Camera, ProgramRegistration

from . import holds as legal
from . import schedule as schedules
from . import steps
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


def _fixed(category, what, model, where, oldest_col, limit) -> Line:
    count, oldest = _stat(model._meta.db_table, where, [], oldest_col)
    return Line(category, what, count, oldest, limit, None)


def inventory(as_of: datetime.datetime | None = None, hidden_holds: frozenset = frozenset()) -> list[Line]:
    """``hidden_holds``: ids of legal holds the viewer may not learn of (non-disclosure cases)."""
    ctx = Ctx(as_of or timezone.now(), schedules.get())
    active = [h for h in legal.active_holds() if h.id not in hidden_holds]
    lines = [
        _fixed("registration", "patrons", Patron, "1 = 1", "registered_on",
               f"while in use, or until destroyed on request (unused: {schedules.period(ctx.schedule.expire_after_months)})"),
        _fixed("circulation", "loans out", Loan, "returned_on IS NULL", "out_on", "never purged while out"),
        _fixed("circulation", "fines owed", Loan, "returned_on IS NOT NULL AND fine_cents > 0 AND patron_id IS NOT NULL",
               "returned_on", "kept while owed"),
        _fixed("holds", "holds on the hold shelf", Hold, "status = 'ready'", "ready_on", "until picked up or cancelled"),
        _fixed("ill", "open interlibrary loans", InterlibraryLoan, "status IN ('requested', 'arrived')",
               "requested_on", "until completed"),
    ]
    for rule in RULES:
        dated = rule.end_col if "(" not in rule.end_col else rule.start_col
        where, where_params = rule.population_sql(ctx)
        count, oldest = _stat(rule.table, where, where_params, dated)
        cond, params, bare, bare_params = condition(rule, ctx, active)
        past, _ = _stat(rule.table, cond, params, None)
        held = _stat(rule.table, bare, bare_params, None)[0] - past if cond != bare else 0
        lines.append(Line(rule.category, rule.label, count, oldest, rule.limit(ctx.schedule), past, held))
    regs, _ = _stat(ProgramRegistration._meta.db_table, "1 = 1", [], None)
    lines.append(Line("programs", "program registrations (rows)", regs, None, "with their program's roster", None))
    for camera in Camera.objects.all():
        due, held, total, oldest = steps.camera_files(ctx, camera, active)
        first = timezone.localdate(datetime.datetime.fromtimestamp(oldest, tz=datetime.UTC)) if oldest else None
        lines.append(Line("camera", f"footage files: {camera.name}", total, first,
                          f"{camera.retention_days} days", len(due), held))
    lines.append(Line("database_search", "database search records", 0, None, "never stored", 0))
    lines.append(Line("reference", "reference interviews", 0, None, "never recorded", 0))
    holds_count = LegalHold.objects.filter(released_at__isnull=True).exclude(id__in=hidden_holds).count()
    lines.append(Line("legal", "active legal holds", holds_count, None, "until the director releases them", None))
    return lines
