"""Staff access review from the access log: who read which categories how often,
and what looks unusual.

Everything is grouped in SQL (by person, category and action; by person and hour;
by person, for patrons of other branches), so a log of millions of entries costs a
few grouped queries. Flags, for staff only (system jobs are listed, not flagged):

* reads outside staff hours (QUIETDESK_AUDIT_STAFF_HOURS, local time), at least
  QUIETDESK_AUDIT_FLAG_OUTSIDE_HOURS of them;
* patrons registered at another branch than the staff member's, at least
  QUIETDESK_AUDIT_FLAG_OUTSIDE_BRANCH different ones;
* bulk: at least QUIETDESK_AUDIT_FLAG_BULK records exported, or read, by one
  person within one clock hour.

Entries about requests under non-disclosure are left out (``secrecy.py``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import connection
from django.utils import timezone

from quietdesk.audit.events import OTHER_BRANCH, Event

from .secrecy import Secret

EXPORT_ACTIONS = (Event.EXPORT.value, Event.PRODUCE.value)


def staff_hours() -> tuple[int, int]:
    raw = settings.QUIETDESK_AUDIT_STAFF_HOURS or "00:00-24:00"
    try:
        start, end = (int(part.split(":")[0]) for part in raw.split("-"))
    except ValueError:
        start, end = 0, 24
    return start, end


def _local_hour(bucket: str) -> tuple[str, int]:
    """'2026-11-21T17' (UTC) -> (local date, local hour)."""
    moment = datetime.datetime.strptime(bucket, "%Y-%m-%dT%H").replace(tzinfo=datetime.UTC)
    local = timezone.localtime(moment)
    return local.date().isoformat(), local.hour


def review(secret: Secret, now: datetime.datetime | None = None, days: int | None = None) -> dict:
    from quietdesk.audit.models import AccessEntry

    now = now or timezone.now()
    days = settings.QUIETDESK_AUDIT_REVIEW_DAYS if days is None else days
    since = (now - datetime.timedelta(days=days)).astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    log = AccessEntry._meta.db_table
    hide, hide_params = secret.sql_exclusion()
    where = f"at >= %s{hide}"
    params = [since, *hide_params]
    people: dict[str, dict] = {}

    def person(actor: str, role: str) -> dict:
        return people.setdefault(actor, {
            "actor": actor, "role": role, "entries": 0, "categories": defaultdict(int), "actions": defaultdict(int),
            "patrons": 0, "outside_hours": 0, "outside_branch": 0, "max_hour": 0, "max_export_hour": 0, "flags": [],
        })

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT actor, role, categories, action, COUNT(*) FROM {log} WHERE {where} "  # noqa: S608
            "GROUP BY actor, role, categories, action", params)
        for actor, role, categories, action, n in cursor.fetchall():
            p = person(actor, role)
            p["entries"] += n
            p["actions"][action] += n
            for category in (categories or "").split(",") if categories else ["(none)"]:
                p["categories"][category] += n
        # Each reference is sealed with a fresh nonce, so this counts records read, not distinct people.
        cursor.execute(
            f"SELECT actor, COUNT(*) FROM {log} WHERE {where} AND subject <> '' "  # noqa: S608
            "GROUP BY actor", params)
        for actor, n in cursor.fetchall():
            if actor in people:
                people[actor]["patrons"] = n
        export_marks = ", ".join(["%s"] * len(EXPORT_ACTIONS))
        cursor.execute(
            f"SELECT actor, SUBSTR(at, 1, 13), COUNT(*), "  # noqa: S608
            f"SUM(CASE WHEN action IN ({export_marks}) THEN 1 ELSE 0 END) FROM {log} "
            f"WHERE {where} AND subject <> '' GROUP BY actor, SUBSTR(at, 1, 13)", [*EXPORT_ACTIONS, *params])
        start, end = staff_hours()
        for actor, bucket, n, exports in cursor.fetchall():
            if actor not in people:
                continue
            p = people[actor]
            _day, hour = _local_hour(bucket)
            if not start <= hour < end:
                p["outside_hours"] += n
            p["max_hour"] = max(p["max_hour"], n)
            p["max_export_hour"] = max(p["max_export_hour"], int(exports or 0))
        # The reader marks a read of a patron of another branch than the reader's (the log
        # cannot be joined to patrons: its references are sealed).
        cursor.execute(
            f"SELECT actor, COUNT(*) FROM {log} WHERE {where} AND basis LIKE %s GROUP BY actor",  # noqa: S608
            [*params, f"%{OTHER_BRANCH}%"])
        for actor, n in cursor.fetchall():
            if actor in people:
                people[actor]["outside_branch"] = n

    for p in people.values():
        p["categories"] = dict(sorted(p["categories"].items()))
        p["actions"] = dict(sorted(p["actions"].items()))
        if p["role"] == "system":
            continue
        if p["outside_hours"] >= settings.QUIETDESK_AUDIT_FLAG_OUTSIDE_HOURS:
            p["flags"].append(f"{p['outside_hours']} records read outside staff hours ({start:02d}:00 to {end:02d}:00)")
        if p["outside_branch"] >= settings.QUIETDESK_AUDIT_FLAG_OUTSIDE_BRANCH:
            p["flags"].append(f"{p['outside_branch']} reads of other branches' patrons")
        if p["max_export_hour"] >= settings.QUIETDESK_AUDIT_FLAG_BULK:
            p["flags"].append(f"bulk export: {p['max_export_hour']} records in one hour")
        elif p["max_hour"] >= settings.QUIETDESK_AUDIT_FLAG_BULK:
            p["flags"].append(f"bulk reading: {p['max_hour']} records in one hour")
    ordered = sorted(people.values(), key=lambda p: (p["role"] == "system", -len(p["flags"]), -p["entries"], p["actor"]))
    return {
        "since": since[:10], "days": days, "hours": f"{start:02d}:00-{end:02d}:00",
        "thresholds": {"outside_hours": settings.QUIETDESK_AUDIT_FLAG_OUTSIDE_HOURS,
                       "outside_branch": settings.QUIETDESK_AUDIT_FLAG_OUTSIDE_BRANCH,
                       "bulk": settings.QUIETDESK_AUDIT_FLAG_BULK},
        "people": ordered,
        "flagged": sum(1 for p in ordered if p["flags"]),
    }
