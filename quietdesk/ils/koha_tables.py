"""Koha's patron-linked tables, and the one SQL definition of "past retention" for each.

Enforcement changes exactly the rows ``due_sql`` matches (past the rule, ``past_sql``,
and not kept, ``kept_sql``) and the exposure report counts the same two conditions
(``exposure.count_table``): one definition, so the report read after an enforcement
run proves the run did its job (its counts past retention are 0).

What counts as due, per table, follows Koha's own jobs where Koha has one
(misc/cronjobs/batch_anonymise.pl, cleanup_database.pl; checked against the 24.05
schema in shared/koha): past loans and holds are pointed at the patron named by the
AnonymousPatron preference, except for patrons whose ``privacy`` is 0 ("keep
forever", as Koha's Koha::Patrons->search_patrons_to_anonymise does) when the
library lets patrons choose; statistics lose their borrower; logs about patrons,
sent notices, saved searches and the deleted-patron archive are deleted. A row an
active quietdesk legal hold covers is never due (``Context.holds``).

Column and table names are constants of this module; every value is a parameter.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# action_logs modules whose `object` is a patron (borrowernumber), or a patron's hold.
PATRON_MODULES = ("MEMBERS", "CIRCULATION", "HOLDS", "FINES", "ILL", "RECALLS", "AUTH", "SUGGESTION")


@dataclass(frozen=True)
class Table:
    name: str
    label: str
    patron: str | None  # the column naming the patron
    date: str | None  # the record's date: retention counts from it
    start: str | None = None  # where its span starts (legal holds compare spans)
    rule: str | None = None  # the schedule's [koha] key that governs it
    verb: str = ""  # anonymised | stripped | deleted
    key: str | None = None  # integer column batches walk (primary key, or an indexed column)
    keyset: bool = False  # batches walk the (indexed, non-integer) date column instead
    scope: str = ""  # SQL restricting the table to rows about patrons
    anonymous: bool = False  # rows pointed at AnonymousPatron are anonymous
    own_choice: bool = False  # a patron's own choice to keep history applies (privacy = 0)
    category: str | None = None  # legal-hold category; None: any hold on the patron keeps the row
    severity: str = "medium"  # when rows name patrons and no rule applies
    recommendation: str = ""
    checklist: str = "ALA Q&A 10 (the least PII for the shortest time)"

    @property
    def enforced(self) -> bool:
        return self.rule is not None


def q(name: str | None) -> str:
    """A constant identifier, quoted (Koha names columns `timestamp`, `date`, `user`...)."""
    if name is None:
        raise ValueError("This table has no such column.")
    return "`" + name.replace("`", "") + "`"


ENFORCED = (
    Table("old_issues", "Past loans", "borrowernumber", "returndate", start="issuedate", rule="past_loan_days",
          verb="anonymised", key="issue_id", anonymous=True, own_choice=True, category="circulation",
          recommendation="Run `quietdesk koha enforce --apply` daily (or Koha's batch_anonymise.pl).",
          checklist="ALA LMS guidelines: keep checkout history only by the patron's choice; ALA Q&A 10"),
    Table("old_reserves", "Past holds", "borrowernumber", "timestamp", start="reservedate", rule="past_hold_days",
          verb="anonymised", key="reserve_id", anonymous=True, own_choice=True, category="holds",
          recommendation="Run `quietdesk koha enforce --apply` daily (Koha anonymises holds only on request).",
          checklist="ALA LMS guidelines: holds history; ALA Q&A 10"),
    Table("items_last_borrower", "Last borrower of each item", "borrowernumber", "created_on", rule="past_loan_days",
          verb="deleted", key="id", own_choice=True, category="circulation",
          recommendation="Set StoreLastBorrower to 0; quietdesk deletes rows past the loan rule.",
          checklist="ALA LMS guidelines: circulation records; ALA Q&A 10"),
    Table("statistics", "Statistics naming a borrower", "borrowernumber", "datetime", rule="statistics_days",
          verb="stripped", keyset=True, anonymous=True, category="circulation",
          recommendation="Statistics need no borrower: quietdesk removes it past the rule.",
          checklist="ALA Q&A 10: strip PII from aggregate data; NISO 5 Anonymization"),
    Table("action_logs", "Logs about patrons", "object", "timestamp", rule="action_log_days", verb="deleted",
          key="action_id", scope="`module` IN (" + ", ".join(f"'{m}'" for m in PATRON_MODULES) + ")",
          recommendation="Turn off IssueLog, ReturnLog, RenewalLog and HoldsLog (they rebuild reading history "
                         "after anonymisation); quietdesk deletes patron logs past the rule.",
          checklist="ALA Privacy Checklist (overview): do not keep PII longer than necessary"),
    Table("message_queue", "Notices sent to patrons", "borrowernumber", "COALESCE(`time_queued`, `updated_on`)",
          rule="message_queue_days", verb="deleted", key="message_id", scope="`status` <> 'pending'",
          recommendation="Sent notices name patrons and items: quietdesk deletes them past the rule.",
          checklist="ALA Q&A 10 (the least PII for the shortest time)"),
    Table("search_history", "Patrons' saved searches", "userid", "time", rule="search_history_days",
          verb="deleted", key="id",
          recommendation="Turn off EnableOpacSearchHistory and EnableSearchHistory; quietdesk deletes what is left.",
          checklist="Sonoma policy II (database search records); NISO 9 Supporting Anonymous Use"),
    Table("deletedborrowers", "Deleted patrons (Koha's archive)", "borrowernumber", "updated_on",
          rule="deleted_patron_days", verb="deleted", key="borrowernumber",
          recommendation="Deleted should mean deleted: quietdesk empties the archive past the rule.",
          checklist="ALA Q&A 10; ILS users' request: deleted means deleted everywhere"),
)

REPORTED = (
    Table("issues", "Current loans", "borrowernumber", "issuedate", severity="info",
          recommendation="Needed while the item is out."),
    Table("reserves", "Current holds", "borrowernumber", "reservedate", severity="info",
          recommendation="Needed while the hold waits."),
    Table("accountlines", "Account lines (fines, fees, payments)", "borrowernumber", "date", severity="low",
          recommendation="Keep only what is owed; settled lines still name the patron and often the item."),
    Table("borrower_modifications", "Patron change requests", "borrowernumber", "timestamp", severity="medium",
          recommendation="Each holds a full copy of the patron's fields: process or delete pending requests."),
    Table("pseudonymized_transactions", "Pseudonymised transactions", "hashed_borrowernumber", "datetime",
          severity="medium",
          recommendation="A keyed hash is linkable by whoever holds Koha's key: keep few patron fields "
                         "(PseudonymizationPatronFields) and purge with cleanup_database.pl --pseudo-transactions."),
    Table("illrequests", "Interlibrary loan requests", "borrowernumber", "placed", severity="medium",
          recommendation="Completed requests still name the patron and the title: delete them after completion."),
    Table("suggestions", "Purchase suggestions", "suggestedby", "suggesteddate", severity="low",
          recommendation="Set PurgeSuggestionsOlderThan and run cleanup_database.pl --purge-suggestions."),
    Table("borrower_attributes", "Patron attributes (custom fields)", "borrowernumber", None, severity="medium",
          recommendation="Custom fields hold whatever staff type: keep only what lending needs."),
    Table("borrower_files", "Files attached to patrons", "borrowernumber", "date_uploaded", severity="high",
          recommendation="Uploaded files may be scans of identity documents: delete them."),
    Table("patronimage", "Patron photos", "borrowernumber", None, severity="medium",
          recommendation="A photo is not needed to lend: delete them."),
    Table("messages", "Messages on patron accounts", "borrowernumber", "message_date", severity="medium",
          recommendation="Staff notes on accounts: delete those no longer needed."),
    Table("borrower_debarments", "Restrictions on patrons", "borrowernumber", "created", severity="low",
          recommendation="Remove expired restrictions."),
    Table("club_enrollments", "Club enrolments", "borrowernumber", "date_enrolled", severity="low",
          recommendation="Delete enrolments of finished clubs."),
    Table("article_requests", "Article requests", "borrowernumber", "created_on", severity="low",
          recommendation="Completed requests name the patron and the article: delete them."),
)

TABLES = ENFORCED + REPORTED
BY_NAME = {t.name: t for t in TABLES}


@dataclass(frozen=True)
class Context:
    """What one run knows: the day, the schedule, the anonymous patron, and what holds keep.

    ``holds``: (borrowernumbers, categories, first day, last day) per hold naming a patron
    found in Koha; ``everyone``: (categories, first day, last day)."""

    as_of: datetime.date
    days: dict[str, int]
    anonymous: int | None
    honour_choice: bool
    holds: tuple[tuple[tuple[int, ...], frozenset[str], datetime.date, datetime.date], ...] = ()
    everyone: tuple[tuple[frozenset[str], datetime.date, datetime.date], ...] = ()
    columns: dict[str, set[str]] = field(default_factory=dict)

    def cutoff(self, table: Table) -> datetime.date:
        if table.rule is None:
            raise ValueError(f"{table.name} has no retention rule.")
        return self.as_of - datetime.timedelta(days=self.days[table.rule])


def linked_sql(t: Table, ctx: Context) -> tuple[str, list]:
    """Rows that name a real patron."""
    if t.patron is None:
        return "1", []
    if t.anonymous and ctx.anonymous is not None:
        return f"({q(t.patron)} IS NOT NULL AND {q(t.patron)} <> %s)", [ctx.anonymous]
    return f"({q(t.patron)} IS NOT NULL)", []


def _date(t: Table) -> str:
    return t.date if t.date and "(" in t.date else q(t.date)


def _span(t: Table, first: datetime.date, last: datetime.date) -> tuple[str, list]:
    """The row's span overlaps first..last (whole days)."""
    end = _date(t)
    start = f"COALESCE({q(t.start)}, {end})" if t.start else end
    return f"({start} < %s AND {end} >= %s)", [last + datetime.timedelta(days=1), first]


def kept_sql(t: Table, ctx: Context) -> tuple[str, list]:
    """Past-retention rows kept anyway: a legal hold covers them, or the patron chose to keep history.

    Each term is COALESCEd to 0, so a row with no patron is never kept back by a NULL."""
    terms, params = [], []
    if t.own_choice and ctx.honour_choice and t.patron:
        terms.append(f"COALESCE({q(t.patron)} IN (SELECT `borrowernumber` FROM `borrowers` WHERE `privacy` = 0), 0)")  # noqa: S608
    for numbers, categories, first, last in ctx.holds:
        if t.category is not None and t.category not in categories:
            continue
        span, span_params = _span(t, first, last)
        marks = ", ".join(["%s"] * len(numbers))
        who = f"{q(t.patron)} IN ({marks})"
        who_params = list(numbers)
        if t.name == "action_logs":  # a HOLDS log names the hold, not the patron
            who = (f"({who} OR (`module` = 'HOLDS' AND `object` IN (SELECT `reserve_id` FROM `old_reserves` WHERE "  # noqa: S608
                   f"`borrowernumber` IN ({marks}) UNION SELECT `reserve_id` FROM `reserves` WHERE `borrowernumber` "
                   f"IN ({marks}))))")
            who_params = list(numbers) * 3
        terms.append(f"COALESCE(({who} AND {span}), 0)")
        params += who_params + span_params
    for categories, first, last in ctx.everyone:
        if t.category is not None and t.category not in categories:
            continue
        span, span_params = _span(t, first, last)
        terms.append(f"COALESCE({span}, 0)")
        params += span_params
    if not terms:
        return "0", []
    return "(" + " OR ".join(terms) + ")", params


def past_sql(t: Table, ctx: Context) -> tuple[str, list]:
    """Rows past the table's rule (before holds and choices), that the rule would change."""
    parts, params = [], []
    if t.scope:
        parts.append(t.scope)
    if t.verb in ("anonymised", "stripped"):
        linked, linked_params = linked_sql(t, ctx)
        parts.append(linked)
        params += linked_params
    parts.append(f"{_date(t)} < %s")
    params.append(ctx.cutoff(t))
    return "(" + " AND ".join(parts) + ")", params


def due_sql(t: Table, ctx: Context) -> tuple[str, list]:
    """Rows the rule changes now: past it, and not kept."""
    past, past_params = past_sql(t, ctx)
    kept, kept_params = kept_sql(t, ctx)
    if kept == "0":
        return past, past_params
    return f"({past} AND NOT {kept})", past_params + kept_params


def change_sql(t: Table, ctx: Context) -> tuple[str, list]:
    """The statement that applies the rule to due rows; the caller appends a batch range."""
    if t.verb == "anonymised":
        # `timestamp` = `timestamp`: Koha's ON UPDATE would otherwise move the row's date to today.
        extra = ", `timestamp` = `timestamp`" if "timestamp" in ctx.columns.get(t.name, ()) else ""
        return f"UPDATE {q(t.name)} SET {q(t.patron)} = %s{extra} WHERE ", [ctx.anonymous]  # noqa: S608 (constants)
    if t.verb == "stripped":
        return f"UPDATE {q(t.name)} SET {q(t.patron)} = NULL WHERE ", []  # noqa: S608 (constants)
    return f"DELETE FROM {q(t.name)} WHERE ", []  # noqa: S608 (constants)


def available(tables, columns: dict[str, set[str]]) -> list[Table]:
    """The tables this Koha has (with the columns quietdesk uses)."""
    out = []
    for t in tables:
        have = columns.get(t.name)
        if have is None:
            continue
        needed = [c for c in (t.patron, t.start, t.key) if c]
        if t.date and "(" not in t.date:
            needed.append(t.date)
        if all(c in have for c in needed):
            out.append(t)
    return out
