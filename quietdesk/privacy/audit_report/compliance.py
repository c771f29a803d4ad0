"""Data inventory and retention compliance, from the retention app's inventory.

An adapter over ``quietdesk.retention.inventory``: the same lines (per category:
how many, the oldest, the rule, how many are past it), with two changes for the
audit. Legal holds placed for a request under non-disclosure are not listed, and
the rows they keep are not itemized as "kept by a legal hold" (they stay in the
totals and are never counted as past the rule, which they are not). And each
line gets a verdict: "pass" when nothing is past the rule, "fail" otherwise.
Also the age profile of what is held, for the charts, by SQL over date columns.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import connection
from django.utils import timezone

from .secrecy import Secret

AGE_BUCKETS = (("under a week", 7), ("1 to 4 weeks", 28), ("1 to 3 months", 91), ("3 to 12 months", 365),
               ("over a year", None))


def _visible_holds(secret: Secret):
    from quietdesk.retention.legal_holds import ActiveHold
    from quietdesk.retention.models import LegalHold

    out = []
    for h in LegalHold.objects.filter(released_at__isnull=True).exclude(id__in=list(secret.hold_ids)):
        if not h.all_patrons and h.patron_id is None:
            continue
        out.append(ActiveHold(h.id, h.all_patrons, uuid.UUID(str(h.patron_id)) if h.patron_id else None,
                              frozenset(h.category_list), h.date_from, h.date_to))
    return out


def _count(table: str, where: str, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)  # noqa: S608
        return cursor.fetchone()[0]


def _visible_held(secret: Secret, as_of) -> dict[str, int]:
    """Rows kept back by the holds that may be shown, per rule label and camera line."""
    from quietdesk.records.models import Camera
    from quietdesk.retention import schedule, steps
    from quietdesk.retention.purge import condition
    from quietdesk.retention.purge_rules import RULES, Ctx

    ctx = Ctx(as_of, schedule.get())
    visible = _visible_holds(secret)
    held = {}
    for rule in RULES:
        cond, params, bare, bare_params = condition(rule, ctx, visible)
        held[rule.label] = _count(rule.table, bare, bare_params) - _count(rule.table, cond, params) if cond != bare else 0
    for camera in Camera.objects.all():
        held[f"footage files: {camera.name}"] = steps.camera_files(ctx, camera, visible)[1]
    return held


def lines(secret: Secret, as_of: datetime.datetime | None = None) -> list[dict]:
    from quietdesk.retention.inventory import inventory

    as_of = as_of or timezone.now()
    raw = inventory(as_of)
    held = _visible_held(secret, as_of) if secret.hold_ids else None
    active_visible = len(_visible_holds(secret))
    out = []
    for line in raw:
        kept = line.held if held is None else held.get(line.what, 0)
        count = active_visible if line.category == "legal" else line.count
        out.append({
            "category": line.category, "what": line.what, "count": count,
            "oldest": line.oldest.isoformat() if line.oldest else None, "limit": line.limit,
            "past": line.past, "held": kept,
            "verdict": "n/a" if line.past is None else ("pass" if line.past == 0 else "fail"),
        })
    return out


def legal_holds(secret: Secret) -> list[dict]:
    from quietdesk.retention.models import LegalHold

    return [{"label": h.label, "reference": h.reference, "served_on": h.served_on.isoformat(),
             "categories": h.category_list, "scope": "everyone" if h.all_patrons else "one patron",
             "from": h.date_from.isoformat(), "to": h.date_to.isoformat()}
            for h in LegalHold.objects.filter(released_at__isnull=True).exclude(id__in=list(secret.hold_ids))]


def _age_sources():
    from quietdesk.circulation.models import Hold, InterlibraryLoan, Loan, ReadingHistoryEntry
    from quietdesk.patrons.models import Patron
    from quietdesk.records.models import ComputerSession, ProgramRegistration, ReferenceNote

    return (
        ("registration", Patron, "registered_on", False),
        ("circulation", Loan, "COALESCE(out_on, returned_on)", False),
        ("circulation", ReadingHistoryEntry, "returned_on", False),
        ("holds", Hold, "placed_on", False),
        ("ill", InterlibraryLoan, "requested_on", False),
        ("programs", ProgramRegistration, "registered_at", True),
        ("computer_use", ComputerSession, "starts_at", True),
        ("reference", ReferenceNote, "created_on", False),
    )


def ages(as_of: datetime.datetime | None = None) -> dict[str, list[int]]:
    """{category: [records per AGE_BUCKETS]} by the date each record began."""
    as_of = as_of or timezone.now()
    today = timezone.localdate(as_of)
    out: dict[str, list[int]] = {}
    for category, model, column, is_datetime in _age_sources():
        edges = []
        for _label, days in AGE_BUCKETS[:-1]:
            if is_datetime:
                edges.append(connection.ops.adapt_datetimefield_value(as_of - datetime.timedelta(days=days)))
            else:
                edges.append(connection.ops.adapt_datefield_value(today - datetime.timedelta(days=days)))
        terms, params, lower = [], [], None
        for edge in edges:
            terms.append(f"SUM(CASE WHEN {column} >= %s" + (" AND " + column + " < %s" if lower is not None else "")
                         + " THEN 1 ELSE 0 END)")
            params += [edge] + ([lower] if lower is not None else [])
            lower = edge
        terms.append(f"SUM(CASE WHEN {column} < %s THEN 1 ELSE 0 END)")
        params.append(lower)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(terms)} FROM {model._meta.db_table}", params)  # noqa: S608
            row = [int(v or 0) for v in cursor.fetchone()]
        previous = out.get(category, [0] * len(row))
        out[category] = [a + b for a, b in zip(previous, row, strict=True)]
    return out
