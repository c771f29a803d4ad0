"""Koha's privacy-relevant system preferences and patron-category settings, with what quietdesk recommends.

Each preference has the value quietdesk recommends, how much a wrong value exposes,
why, and the checklist item it maps to: the ALA Library Privacy Checklists and the
ALA "Library Privacy Guidelines for Library Management Systems" (ala.org/advocacy/
privacy), the ALA Privacy and Confidentiality Q&A (shared/seeds), the NISO Consensus
Principles on Users' Digital Privacy. Names and defaults are those of Koha 24.05's
installer/data/mysql/mandatory/sysprefs.sql (shared/koha). A preference this Koha
lacks is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .connector import Finding

LMS = "ALA Library Privacy Guidelines for Library Management Systems"
QA10 = "ALA Q&A 10 (the least PII for the shortest time)"


@dataclass(frozen=True)
class Pref:
    name: str
    recommended: str  # the value, or a description when ``ok`` decides
    severity: str
    why: str
    checklist: str
    ok: Callable[[str, dict], bool] | None = None  # (value, context) -> fine?


def _is(value: str, *wanted: str) -> bool:
    return value.strip().lower() in {w.lower() for w in wanted}


def _set_number(value: str, ctx: dict) -> bool:
    return value.strip().isdigit() and int(value) > 0


def _empty(value: str, ctx: dict) -> bool:
    return not value.strip()


def _anonymous(value: str, ctx: dict) -> bool:
    return bool(ctx.get("anonymous"))


def _opac_privacy(value: str, ctx: dict) -> bool:
    return _is(value, "1") if ctx.get("may_keep") else _is(value, "0")


def _unwanted(value: str, ctx: dict) -> bool:
    fields = {f.strip().lower() for f in value.replace(",", "|").split("|") if f.strip()}
    return {"dateofbirth", "sex"} <= fields


PREFS = (
    Pref("AnonymousPatron", "the borrowernumber of a patron kept for anonymised history", "high",
         "Without it neither Koha nor quietdesk can anonymise past loans and holds.", f"{LMS}; {QA10}", _anonymous),
    Pref("OPACPrivacy", "1 if patrons may choose to keep their history, else 0", "medium",
         "Lets each patron choose whether their checkout history is kept; quietdesk honours that choice "
         "only when it is on ([koha] patron_may_keep_history).", f"{LMS}: history is the patron's choice; NISO 6",
         _opac_privacy),
    Pref("opacreadinghistory", "0 (1 only where patrons opt in to keep history)", "medium",
         "Shows patrons their whole checkout history, so Koha keeps it.", f"{LMS}: opt-in, not on by default"),
    Pref("intranetreadinghistory", "0", "high",
         "Lets every staff member browse patrons' checkout history.", "ALA Privacy Checklist (overview): "
         "limit who can see PII; Sonoma policy III.A"),
    Pref("IntranetReadingHistoryHolds", "0", "medium", "Lets staff browse patrons' past holds.",
         "ALA Privacy Checklist (overview): limit who can see PII"),
    Pref("OPACHoldsHistory", "0", "low", "Shows patrons their past holds, so Koha keeps them.", LMS),
    Pref("StoreLastBorrower", "0", "high",
         "Keeps the last borrower of every item even after the loan is anonymised.", f"{LMS}; {QA10}"),
    Pref("CheckPrevCheckout", "hardno", "medium",
         "Warning that a patron borrowed an item before requires keeping their history.", QA10),
    Pref("BorrowersLog", "0", "medium",
         "Logs every change to a patron record, with the old and new values, in action_logs.", QA10),
    Pref("IssueLog", "0", "high",
         "Logs every checkout (patron and item): a reading history that survives anonymisation.", f"{LMS}; {QA10}"),
    Pref("ReturnLog", "0", "high", "Logs every return (patron and item).", f"{LMS}; {QA10}"),
    Pref("RenewalLog", "0", "medium", "Logs every renewal (patron and item).", QA10),
    Pref("HoldsLog", "0", "medium", "Logs every hold placed or cancelled.", QA10),
    Pref("FinesLog", "0", "low", "Logs fines with the item they were for.", QA10),
    Pref("AuthSuccessLog", "0", "medium", "Logs every sign-in: a record of when each patron used the catalogue.",
         "ALA Q&A 10; Sonoma policy II (records of library use)"),
    Pref("Pseudonymization", "0 (unless the statistics need it)", "low",
         "Copies every transaction with a keyed hash of the patron; whoever holds Koha's key can link them.",
         "NISO 5 Anonymization"),
    Pref("PseudonymizationPatronFields", "empty (no patron fields)", "medium",
         "Patron fields copied beside each pseudonymised transaction (zip code, sex, dates) re-identify people.",
         "NISO 5 Anonymization", _empty),
    Pref("PseudonymizationTransactionFields", "only the fields the statistics use", "low",
         "Transaction fields copied beside each pseudonymised transaction.", "NISO 5 Anonymization",
         lambda v, c: True),
    Pref("EnableOpacSearchHistory", "0", "medium", "Keeps signed-in patrons' catalogue searches.",
         "Sonoma policy II (database search records); NISO 9"),
    Pref("EnableSearchHistory", "0", "low", "Keeps staff searches (which may be made for a patron).",
         "NISO 9 Supporting Anonymous Use"),
    Pref("LoadSearchHistoryToTheFirstLoggedUser", "0", "medium",
         "Gives the searches made before signing in to the next patron who signs in on that computer.",
         "ALA Privacy Checklist (public access computers)"),
    Pref("OPACShowCheckoutName", "0", "high", "Shows in the public catalogue who has an item out.",
         "Sonoma policy III.A; ALA Q&A 1"),
    Pref("HidePatronName", "1", "low", "Shows card numbers instead of names on holds and catalogue screens.",
         "ALA Privacy Checklist (overview): limit who can see PII"),
    Pref("TrackLastPatronActivityTriggers", "empty", "medium",
         "Records when each patron last used the library (borrowers.lastseen): a record of visits.", QA10, _empty),
    Pref("BorrowerUnwantedField", "includes dateofbirth|sex (and other fields lending does not need)", "medium",
         "Fields left on the patron form get filled in.", "ALA Privacy Checklist (overview): collect no more "
         "than needed; ALA Q&A 11", _unwanted),
    Pref("PatronAnonymizeDelay", "a number of days", "low",
         "Koha anonymises the records of patrons locked for this many days.", QA10,
         _set_number),
    Pref("PatronRemovalDelay", "a number of days", "low", "Koha removes anonymised patrons after this long.", QA10,
         _set_number),
    Pref("PurgeSuggestionsOlderThan", "a number of days", "low", "Purchase suggestions name the patron.", QA10,
         _set_number),
    Pref("PrivacyPolicyURL", "the address of the library's privacy notice", "low",
         "Koha links patrons to the library's privacy policy.", "ALA Privacy Checklist (overview), priority 1: "
         "post the privacy policy", lambda v, c: bool(v.strip())),
)


def findings(prefs: dict[str, str], ctx: dict) -> list[Finding]:
    """One finding per preference this Koha has. ``ctx``: anonymous (borrowernumber or None), may_keep."""
    lower = {k.lower(): (k, v) for k, v in prefs.items()}
    out = []
    for pref in PREFS:
        if pref.name.lower() not in lower:
            continue
        _, value = lower[pref.name.lower()]
        fine = pref.ok(value, ctx) if pref.ok else _is(value, pref.recommended.split(" ")[0])
        out.append(Finding(kind="preference", table="systempreferences", preference=pref.name, label=pref.name,
                           value=value, recommended=pref.recommended, severity="ok" if fine else pref.severity,
                           recommendation="" if fine else f"Set {pref.name} to {pref.recommended}. {pref.why}",
                           checklist=pref.checklist))
    return out


CATEGORY_CHECKLIST = f"{LMS}: history is kept only by the patron's choice"


def category_findings(rows: list[tuple]) -> list[Finding]:
    """rows: (categorycode, description, default_privacy, checkprevcheckout, patrons)."""
    out = []
    for code, description, privacy, prev, patrons in rows:
        privacy = (privacy or "default").lower()
        prev = (prev or "inherit").lower()
        problems, severity = [], "ok"
        if privacy == "forever":
            problems.append("its default privacy is 'forever': new patrons keep their whole history without "
                            "choosing it. Set it to 'default' or 'never'.")
            severity = "high"
        if prev in ("hardyes", "softyes"):
            problems.append(f"checkprevcheckout is '{prev}', which needs every patron's history: set 'inherit' "
                            "(with CheckPrevCheckout 'hardno') or 'hardno'.")
            severity = "high" if severity == "high" else "medium"
        out.append(Finding(kind="category", table="categories", column="default_privacy",
                           label=f"Patron category {code} ({description or code})", rows=int(patrons or 0),
                           value=f"default_privacy={privacy}, checkprevcheckout={prev}",
                           recommended="default_privacy=default or never, checkprevcheckout=inherit or hardno",
                           severity=severity, recommendation=("This category: " + " ".join(problems)) if problems else "",
                           checklist=CATEGORY_CHECKLIST))
    return out
