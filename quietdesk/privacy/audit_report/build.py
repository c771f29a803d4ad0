"""Assemble the privacy audit: every part in one JSON-ready dict (saved by ``audit_runs``).

An empty library still gets every section (zero counts, empty tables, the
checklist answered from the configuration): the audit never depends on there
being data.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from quietdesk.audit import verify as audit_verify
from quietdesk.audit.service import Actor
from quietdesk.legal import words
from quietdesk.staff.roles import role_label

from .. import vendor_register as vendors
from . import access_review, checklist, compliance, flows, highrisk, secrecy, svg

CATEGORY_ORDER = ("registration", "circulation", "holds", "ill", "programs", "computer_use", "camera", "reference",
                  "database_search")


def _log_state() -> dict:

    result = audit_verify.verify()
    if result.ok:
        return {"intact": True, "entries": result.entries,
                "summary": f"Access log intact: {result.entries} entries re-hashed and linked."}
    return {"intact": False, "entries": result.entries, "summary": f"Access log NOT intact: {result.problem}."}


def _koha(actor: Actor) -> dict | None:
    """The library's Koha, when one is configured: the exposure report (logged as its own run)."""
    from quietdesk.ils import runs
    from quietdesk.ils.configured import configured
    from quietdesk.ils.connector import ConnectorError

    try:
        connector = configured()
    except ConnectorError as exc:
        return {"error": str(exc), "findings": [], "summary": {}}
    if connector is None:
        return None
    try:
        result = runs.do_exposure(actor, connector=connector)
    except ConnectorError as exc:
        return {"error": str(exc), "findings": [], "summary": {}}
    finally:
        connector.close()
    shown = [f.as_dict() for f in result.findings if f.kind == "table" or f.severity not in ("ok", "info")]
    return {"error": "", "source": result.source, "as_of": result.as_of.isoformat(), "summary": result.summary,
            "findings": shown}


def _label(report: dict) -> None:
    """Words beside the codes, for the HTML report (the PDF maps the codes itself)."""
    for line in report["inventory"]:
        line["category_label"] = words.category(line["category"])
    for hold in report["legal_holds"]:
        hold["categories_text"] = words.categories(hold["categories"])
    for person in report["access"]["people"]:
        person["role_label"] = role_label(person["role"])
        person["categories_text"] = ", ".join(f"{words.category(c)} {n}" for c, n in person["categories"].items())


def build(actor: Actor, *, now: datetime.datetime | None = None) -> dict:
    from quietdesk.retention import schedule

    now = now or timezone.now()
    secret = secrecy.load()
    report: dict = {
        "meta": {
            "library": settings.LIBRARY_NAME,
            "generated_at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M %Z"),
            "generated_by": actor.name,
            "schedule": schedule.get().source,
            "time_zone": settings.TIME_ZONE,
        },
        "inventory": compliance.lines(secret, now),
        "legal_holds": compliance.legal_holds(secret),
        "band": secrecy.transparency_band(),
        "access": access_review.review(secret, now),
        "vendors": vendors.register(),
    }
    _label(report)
    report["scan"] = highrisk.scan(actor, secret)
    report["koha"] = _koha(actor)
    report["log"] = _log_state()
    report["flows"] = flows.rows(report["vendors"])
    report["flows_note"] = flows.NOTE
    held: dict[str, int] = {}
    for line in report["inventory"]:
        if line["category"] in CATEGORY_ORDER:
            held[line["category"]] = held.get(line["category"], 0) + line["count"]
    ages = compliance.ages(now)
    buckets = [label for label, _days in compliance.AGE_BUCKETS]
    report["held"] = [[c, held.get(c, 0)] for c in CATEGORY_ORDER]
    report["ages"] = {"buckets": buckets, "rows": [[c, ages[c]] for c in CATEGORY_ORDER if c in ages]}
    report["charts"] = {
        "held": svg.bars([(words.category(c), n) for c, n in report["held"]], title="Records held, by category",
                         ident="held"),
        "ages": svg.stacked([(words.category(c), v) for c, v in report["ages"]["rows"]], buckets,
                            title="Records held, by category and age", ident="ages"),
        "flow": svg.flow(report["flows"], title="Data flow map", ident="flow"),
    }
    report["checklist"] = checklist.build(report)
    report["summary"] = {
        "past_limit": sum(line["past"] or 0 for line in report["inventory"]),
        "flagged_staff": report["access"]["flagged"],
        "findings": len(report["scan"]["findings"]),
        "checklist": {s: sum(1 for i in report["checklist"] if i["status"] == s) for s in ("pass", "fail", "person")},
        "vendors_incomplete": sum(1 for v in report["vendors"] if v["missing"]),
        "koha_past_retention": (report["koha"] or {}).get("summary", {}).get("past_retention", 0),
    }
    return report
