"""Where the statistics' true counts come from: SQL aggregates over public keys.

Every function here returns ``{key tuple: count}`` computed by a GROUP BY in the
database. None reads a per-patron row into Python (see ``dp.py``'s design notes).

Collections: quietdesk's ``circulation.Item`` has no collection field, so an
item's collection comes from its barcode prefix (QUIETDESK_DP_COLLECTION_PREFIXES,
"children=J,media=M"); an item matching none is in the first collection of
QUIETDESK_DP_COLLECTIONS. If ``Item`` gains a ``collection`` column, it is used
instead (values outside the public list count in the first collection).

Circulation over time: a returned loan keeps no borrower, and the anonymous row is
deleted at the next purge; what lasts is each item's ``loan_count``. ``snapshot()``
(``quietdesk stats tally``, daily from cron) stores the per branch and collection
sums of those counts; a month's loans are the growth between the last snapshot
before the month and the last one in it. Run it daily so each return lands in the
month it happened (a missed month's returns land in the next snapshot's month).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from quietdesk.circulation.models import Item, Loan
from quietdesk.core.models import Branch
from quietdesk.records.models import ComputerUseDay, Program

from .models import CirculationTally

NO_BRANCH = ""


def month_key(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_start(key: str) -> datetime.date:
    year, month = key.split("-")
    return datetime.date(int(year), int(month), 1)


def next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def months_between(first: str, last: str) -> list[str]:
    out, day = [], month_start(first)
    end = month_start(last)
    while day <= end:
        out.append(month_key(day))
        day = next_month(day)
    return out


def branches() -> list[str]:
    """Public keys: every branch's code, and "" for records that name no branch."""
    return [*Branch.objects.order_by("code").values_list("code", flat=True), NO_BRANCH]


def collections() -> list[str]:
    keys = list(settings.QUIETDESK_DP_COLLECTIONS) or ["general"]
    for key, _prefix in prefixes():
        if key not in keys:
            keys.append(key)
    return keys


def prefixes() -> list[tuple[str, str]]:
    out = []
    for part in (settings.QUIETDESK_DP_COLLECTION_PREFIXES or "").split(","):
        key, _, prefix = part.partition("=")
        if key.strip() and prefix.strip():
            out.append((key.strip(), prefix.strip()))
    return out


def _collection_sql(alias: str = "i") -> tuple[str, list]:
    keys = collections()
    default = keys[0]
    if any(f.name == "collection" for f in Item._meta.get_fields()):
        marks = ", ".join(["%s"] * len(keys))
        return f"CASE WHEN {alias}.collection IN ({marks}) THEN {alias}.collection ELSE %s END", [*keys, default]
    rules = prefixes()
    if not rules:
        return "%s", [default]
    sql = "CASE " + " ".join(f"WHEN {alias}.barcode LIKE %s THEN %s" for _ in rules) + " ELSE %s END"
    params = []
    for key, prefix in rules:
        params += [prefix.replace("%", "").replace("_", "") + "%", key]
    return sql, [*params, default]


# --- circulation ------------------------------------------------------------


def snapshot(day: datetime.date | None = None) -> int:
    """Store today's sums of items' loan counts per branch and collection. Idempotent."""
    day = day or timezone.localdate()
    coll, params = _collection_sql()
    item, branch = Item._meta.db_table, Branch._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(b.code, ''), {coll}, SUM(i.loan_count) FROM {item} i "  # noqa: S608
            f"LEFT JOIN {branch} b ON b.id = i.branch_id GROUP BY 1, 2", params,
        )
        rows = cursor.fetchall()
    with transaction.atomic():
        for code, collection, total in rows:
            CirculationTally.objects.update_or_create(
                day=day, branch_code=code or "", collection=collection, defaults={"loans_total": int(total or 0)})
    return len(rows)


def circulation(months: list[str]) -> dict[tuple, int]:
    """Loans completed per (branch, collection, month), from the tallies."""
    end = next_month(month_start(months[-1]))
    series: dict[tuple, list[tuple[datetime.date, int]]] = defaultdict(list)
    rows = CirculationTally.objects.filter(day__lt=end).order_by("day").values_list(
        "branch_code", "collection", "day", "loans_total")
    for code, collection, day, total in rows:
        series[(code, collection)].append((day, total))
    out: dict[tuple, int] = {}
    for (code, collection), points in series.items():
        for key in months:
            start, stop = month_start(key), next_month(month_start(key))
            inside = [t for d, t in points if start <= d < stop]
            if not inside:
                continue
            before = [t for d, t in points if d < start]
            out[(code, collection, key)] = max(0, inside[-1] - (before[-1] if before else 0))
    return out


def loans_out(bound: int) -> dict[tuple, int]:
    """Items out on loan now per (branch, collection), at most ``bound`` rows per patron (SQL)."""
    coll, params = _collection_sql()
    loan, item, branch = Loan._meta.db_table, Item._meta.db_table, Branch._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, coll, COUNT(*) FROM ("  # noqa: S608
            f"SELECT COALESCE(b.code, '') AS code, {coll} AS coll, "
            "ROW_NUMBER() OVER (PARTITION BY l.patron_id ORDER BY l.id) AS nth "
            f"FROM {loan} l JOIN {item} i ON i.id = l.item_id LEFT JOIN {branch} b ON b.id = i.branch_id "
            "WHERE l.returned_on IS NULL) capped WHERE nth <= %s GROUP BY code, coll",
            [*params, bound],
        )
        return {(code, collection): int(n) for code, collection, n in cursor.fetchall()}


# --- programs and computers ------------------------------------------------------


def program_attendance(months: list[str]) -> dict[tuple, int]:
    start, end = month_start(months[0]), next_month(month_start(months[-1]))
    rows = (Program.objects.filter(ends_on__gte=start, ends_on__lt=end, attendance__isnull=False)
            .annotate(month=TruncMonth("ends_on")).values("branch__code", "month")
            .annotate(n=Sum("attendance")).values_list("branch__code", "month", "n"))
    out: dict[tuple, int] = defaultdict(int)
    for code, month, n in rows:
        out[(code or NO_BRANCH, month_key(month))] += int(n or 0)
    return dict(out)


def computer_sessions(months: list[str]) -> dict[tuple, int]:
    start, end = month_start(months[0]), next_month(month_start(months[-1]))
    rows = (ComputerUseDay.objects.filter(day__gte=start, day__lt=end)
            .annotate(month=TruncMonth("day")).values("branch_code", "month")
            .annotate(n=Sum("sessions")).values_list("branch_code", "month", "n"))
    out: dict[tuple, int] = defaultdict(int)
    for code, month, n in rows:
        out[(code or NO_BRANCH, month_key(month))] += int(n or 0)
    return dict(out)
