"""`quietdesk koha exposure`: what a demand served on the library today could reach in Koha.

Read-only. For every patron-linked table this Koha has: rows, rows naming a real
patron, the oldest, and (where the schedule has a rule) how many are past it and
how many a legal hold or the patron's own choice keeps. Then the personal fields
filled in beyond what lending needs, high-risk free text found by quietdesk's own
scanner (``privacy/audit_report/scanner.py``: counts of kinds, never a value, never
which patron), every privacy-relevant preference and patron-category setting.

One aggregate query per table (a single scan: COUNT and conditional SUMs), free
text streamed through an unbuffered cursor, so memory stays flat and the report
stays fast on tens of millions of rows (bench/koha.py).
"""

from __future__ import annotations

import datetime

from quietdesk.privacy.audit_report import scanner

from . import koha_prefs
from .connector import ConnectorError, Finding, Retention
from .koha_tables import (
    ENFORCED,
    TABLES,
    Context,
    available,
    kept_sql,
    linked_sql,
    past_sql,
    q,
)

# Patron fields lending does not need: (columns, label, severity, why).
FIELDS = (
    (("dateofbirth",), "Date of birth", "high",
     "quietdesk keeps no birth dates: an age band does for age-limited categories."),
    (("sex",), "Sex", "medium", "Lending does not need it."),
    (("othernames",), "Other names", "low", "A second name on file is one more way to be found."),
    (("B_address", "B_city", "B_zipcode", "B_phone", "B_email"), "Alternate address", "medium",
     "A second address shows where else someone lives or stays."),
    (("altcontactsurname", "altcontactfirstname", "altcontactaddress1", "altcontactphone"), "Alternate contact",
     "medium", "It names another person, who is exposed too."),
    (("sort1", "sort2"), "Statistics fields (sort1, sort2)", "medium",
     "Free fields that often hold demographic codes."),
    (("emailpro", "phonepro", "fax"), "Work contact and fax", "low", "One contact is enough to lend."),
    (("lastseen",), "Last seen", "medium", "When each patron last used the library: a record of visits."),
)
DATE_COLUMNS = {"dateofbirth", "lastseen"}

# Free text written about patrons (titles are left out on purpose, as in the privacy audit).
FREE_TEXT = (
    ("borrowers", "borrowernotes"), ("borrowers", "opacnote"), ("borrowers", "contactnote"),
    ("borrowers", "debarredcomment"), ("deletedborrowers", "borrowernotes"), ("deletedborrowers", "opacnote"),
    ("borrower_attributes", "attribute"), ("borrower_debarments", "comment"), ("messages", "message"),
    ("issues", "note"), ("old_issues", "note"), ("reserves", "reservenotes"), ("old_reserves", "reservenotes"),
    ("accountlines", "note"), ("illrequests", "notesopac"), ("illrequests", "notesstaff"),
    ("suggestions", "note"), ("suggestions", "patronreason"), ("borrower_modifications", "borrowernotes"),
)
SEVERE_KINDS = {"ssn", "itin", "a_number", "passport", "immigration"}


def build_context(db, retention: Retention) -> Context:
    """The run's context: the anonymous patron, whether a patron's choice counts, and the holds in Koha's ids."""
    columns = db.columns()
    anonymous = db.anonymous_patron()
    choice = retention.patron_may_keep_history and (db.preference("OPACPrivacy") or "0").strip() == "1"
    holds, everyone = [], []
    if retention.keep:
        numbers = db.borrowernumbers([card for card, *_ in retention.keep.patrons])
        for card, categories, first, last in retention.keep.patrons:
            if numbers.get(card):
                holds.append((tuple(sorted(set(numbers[card]))), categories, first, last))
        everyone = list(retention.keep.everyone)
    return Context(as_of=retention.as_of, days=retention.days, anonymous=anonymous, honour_choice=choice,
                   holds=tuple(holds), everyone=tuple(everyone), columns=columns)


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)[:10] or None


def count_table(db, t, ctx: Context) -> Finding:
    """One scan: rows, linked, oldest linked, past retention (due) and kept back."""
    linked, params = linked_sql(t, ctx)
    date = t.date if t.date and "(" in t.date else (q(t.date) if t.date else "NULL")
    select = ["COUNT(*)", f"COALESCE(SUM({linked}), 0)"]
    params = list(params)
    select.append(f"MIN(CASE WHEN {linked} THEN {date} END)")
    params += linked_sql(t, ctx)[1]
    if t.enforced:
        # due = past and not kept (koha_tables.due_sql); counted as past minus kept-past, so the
        # kept test (a lookup per row for patrons' choices) runs once, and only on rows past the rule.
        past, past_params = past_sql(t, ctx)
        kept, kept_params = kept_sql(t, ctx)
        select += [f"COALESCE(SUM({past}), 0)", f"COALESCE(SUM(CASE WHEN {past} THEN {kept} END), 0)"]
        params += past_params + past_params + kept_params
    where = f" WHERE {t.scope}" if t.scope else ""
    row = db.one(f"SELECT {', '.join(select)} FROM {q(t.name)}{where}", params)  # noqa: S608 (constants)
    rows, linked_rows, oldest = int(row[0]), int(row[1]), _iso(row[2])
    finding = Finding(kind="table", table=t.name, column=t.patron or "", label=t.label, rows=rows,
                      linked=linked_rows, oldest=oldest, checklist=t.checklist)
    if t.enforced:
        finding.kept = int(row[4])
        finding.past_retention = int(row[3]) - finding.kept
        finding.retention_days = ctx.days[t.rule]
        if finding.past_retention:
            finding.severity = "high"
            finding.recommendation = (f"{finding.past_retention} row(s) are past the {finding.retention_days}-day "
                                      f"rule. {t.recommendation}")
        else:
            finding.severity = "ok"
            finding.recommendation = "Nothing past the rule." + (
                f" {finding.kept} kept by a legal hold or the patron's own choice." if finding.kept else "")
    else:
        finding.severity = t.severity if linked_rows else "ok"
        finding.recommendation = t.recommendation if linked_rows else ""
    return finding


def table_findings(db, ctx: Context, tables=TABLES) -> list[Finding]:
    return [count_table(db, t, ctx) for t in available(tables, ctx.columns)]


def field_findings(db, ctx: Context) -> list[Finding]:
    have = ctx.columns.get("borrowers", set())
    fields = [(cols, label, sev, why) for cols, label, sev, why in FIELDS if all(c in have for c in cols)]
    if not fields:
        return []
    terms: list[str] = []
    params: list = []
    for cols, *_ in fields:
        any_filled = " OR ".join(f"{q(c)} IS NOT NULL" if c in DATE_COLUMNS else f"COALESCE({q(c)}, '') <> ''"
                                 for c in cols)
        terms.append(f"COALESCE(SUM({any_filled}), 0)")
    where, wparams = "", []
    if ctx.anonymous is not None:
        where, wparams = " WHERE `borrowernumber` <> %s", [ctx.anonymous]
    row = db.one(f"SELECT COUNT(*), {', '.join(terms)} FROM `borrowers`{where}", params + wparams)  # noqa: S608
    out = []
    for (cols, label, severity, why), filled in zip(fields, row[1:], strict=True):
        filled = int(filled)
        out.append(Finding(kind="field", table="borrowers", column=", ".join(cols), label=label, rows=filled,
                           linked=filled, severity=severity if filled else "ok",
                           recommendation=(f"{filled} patron record(s) have it. {why} Add it to "
                                           "BorrowerUnwantedField and clear it in Koha.") if filled else "",
                           checklist="ALA Q&A 11 (avoid high-risk data); ALA Privacy Checklist (overview): "
                                     "collect no more than needed"))
    return out


def free_text_findings(db, ctx: Context) -> list[Finding]:
    out = []
    for table, column in FREE_TEXT:
        if column not in ctx.columns.get(table, set()):
            continue
        kinds: dict[str, int] = {}
        scanned = flagged = 0
        for (text,) in db.stream(f"SELECT {q(column)} FROM {q(table)} WHERE {q(column)} IS NOT NULL "  # noqa: S608
                                 f"AND {q(column)} <> ''"):
            scanned += 1
            found = scanner.kinds_in(str(text))
            if found:
                flagged += 1
                for kind in found:
                    kinds[kind] = kinds.get(kind, 0) + 1
        severe = SEVERE_KINDS & kinds.keys()
        severity = "high" if severe else ("medium" if kinds else "ok")
        what = ", ".join(f"{scanner.LABELS[k]} in {n}" for k, n in sorted(kinds.items()))
        out.append(Finding(kind="free_text", table=table, column=column, label=f"{table}.{column}", rows=flagged,
                           linked=scanned, kinds=kinds, severity=severity,
                           recommendation=(f"{flagged} of {scanned} filled-in value(s) hold high-risk data ({what}). "
                                           f"Find them with a Koha report on {table}.{column} and remove it: "
                                           "a library must not hold it.") if kinds else "",
                           checklist="ALA Q&A 11 (avoid high-risk data), Q&A 14 (Social Security numbers)"))
    return out


def patron_findings(db, ctx: Context) -> list[Finding]:
    have = ctx.columns.get("borrowers", set())
    extra = "COALESCE(SUM(`privacy_guarantor_checkouts` = 1), 0)" if "privacy_guarantor_checkouts" in have else "0"
    row = db.one(f"SELECT COUNT(*), COALESCE(SUM(`privacy` = 0), 0), COALESCE(SUM(`privacy` = 2), 0), {extra} "  # noqa: S608
                 "FROM `borrowers`")
    total, forever, never, guarantor = (int(v) for v in row)
    choice = "honoured" if ctx.honour_choice else "not honoured (OPACPrivacy off, or the schedule says no)"
    return [Finding(kind="patrons", table="borrowers", column="privacy", label="Patrons and their history choice",
                    rows=total, linked=forever, value=f"{forever} keep history forever, {never} never, "
                                                      f"{guarantor} share checkouts with a guarantor",
                    severity="info",
                    recommendation=f"Patrons who chose to keep their history: their choice is {choice}.",
                    checklist=koha_prefs.CATEGORY_CHECKLIST)]


def category_findings(db) -> list[Finding]:
    rows = db.rows("SELECT c.`categorycode`, c.`description`, c.`default_privacy`, c.`checkprevcheckout`, "
                   "(SELECT COUNT(*) FROM `borrowers` b WHERE b.`categorycode` = c.`categorycode`) "
                   "FROM `categories` c ORDER BY c.`categorycode`")
    return koha_prefs.category_findings(rows)


def database_exposure(db, retention: Retention) -> list[Finding]:
    db.check()
    ctx = build_context(db, retention)
    findings = table_findings(db, ctx)
    findings += field_findings(db, ctx)
    findings += free_text_findings(db, ctx)
    findings += patron_findings(db, ctx)
    findings += koha_prefs.findings(db.preferences(), {"anonymous": ctx.anonymous,
                                                       "may_keep": retention.patron_may_keep_history})
    findings += category_findings(db)
    return findings


def past_retention(db, retention: Retention) -> dict[str, int]:
    """Rows still past retention in each enforced table (what enforce proves is 0 afterwards)."""
    ctx = build_context(db, retention)
    if ctx.anonymous is None:
        raise ConnectorError("Koha's AnonymousPatron preference names no existing patron.")
    return {f.table: f.past_retention or 0 for f in table_findings(db, ctx, ENFORCED)}


def summary(findings: list[Finding]) -> dict:
    by = {s: 0 for s in ("high", "medium", "low", "info", "ok")}
    for f in findings:
        by[f.severity] = by.get(f.severity, 0) + 1
    return {
        "past_retention": sum(f.past_retention or 0 for f in findings if f.kind == "table"),
        "linked_rows": sum(f.linked or 0 for f in findings if f.kind == "table"),
        "high_risk_text": sum(f.rows for f in findings if f.kind == "free_text"),
        "severity": by,
    }
