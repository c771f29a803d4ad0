"""What a document is and what it names, in plain words, from the document reader's
output (``intake.read_kind``): for the desk page, the case page and the scope form.

Pure: no database. ``facts`` are the plain facts kept beside the copy
(``CaseDocument.facts``: kind, signer, dates, counts of what it names); ``names`` (the
people, premises and records it names) come from the sealed reading, and only for
those who may open the case file.
"""

from __future__ import annotations

import datetime

from quietdesk.policy import vocab

from . import words

AUTHORIZES = {
    "search_premises": "a search of the premises it names",
    "records": "records",
    "custody_of_person": "the arrest or custody of a person",
    "appearance": "someone to appear or testify",
    "nothing_immediate": "nothing that must be done now",
}

# Framing tips for a photo the reader could not read (the desk shows them with "retake").
RETAKE_TIPS = (
    "Lay the page flat on the counter, in good light; avoid shadows and glare.",
    "Hold the phone straight above the page, so the whole page fills the photo.",
    "Take one photo per page, including the page with the signature.",
    "Tap the screen to focus, hold still, then check the photo is sharp before sending.",
)


def _day(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def validity(facts: dict | None, *, today: datetime.date) -> dict[str, bool | None]:
    """The policy engine's validity facts (``vocab.VALIDITY_FACTS``) from what the reader
    found: a date that has passed since the reading counts as expired too. Any of them
    true makes a judge-signed document "call the director; do not produce" (Sonoma
    III.C.2.d.i; roundtable scenario 1: check the court, the date and the premises)."""
    facts = facts or {}
    expired = facts.get("expired")
    due = _day(facts.get("execute_by")) or _day(facts.get("return_date"))
    if due is not None and due < today:
        expired = True
    return {"expired": expired if isinstance(expired, bool) else None,
            "out_of_state": facts.get("out_of_state") if isinstance(facts.get("out_of_state"), bool) else None,
            "other_premises": facts.get("names_other_premises")
            if isinstance(facts.get("names_other_premises"), bool) else None}


def signer(facts: dict) -> str:
    title = facts.get("signatory_title")
    if facts.get("signed_by_judge") is True:
        return f"a judge ({title})" if title else "a judge"
    if facts.get("kind") in vocab.JUDICIAL_DOCUMENTS:
        return "not confirmed as a judge"
    if title:
        return f"not a judge: {title}"
    if facts.get("signed_by_judge") is False or facts.get("kind") not in (None, "", "unknown"):
        return "not a judge"
    return "not found on the photo"


def summary(facts: dict, names: dict | None = None, *, today: datetime.date) -> list[tuple[str, str]]:
    """(label, words) rows: kind, who signed it, issued, expired, then what it names."""
    if not facts:
        return []
    kind = facts.get("kind") or "unknown"
    rows = [("What it is", words.DOCUMENT.get(kind, kind) + (f" (form {facts['form_number']})"
                                                                if facts.get("form_number") else ""))]
    if facts.get("issuer"):
        rows.append(("Issued by", facts["issuer"]))
    rows.append(("Signed by", signer(facts)))
    issued = _day(facts.get("issued"))
    rows.append(("Issued on", issued.strftime("%-d %B %Y") if issued else "no date found"))
    due = _day(facts.get("execute_by")) or _day(facts.get("return_date"))
    if facts.get("expired") is True:
        rows.append(("Expired", f"yes{f', on {due:%-d %B %Y}' if due else ''}: it no longer requires anything"))
    elif facts.get("expired") is False:
        rows.append(("Expired", f"no{f', valid until {due:%-d %B %Y}' if due else ''}"))
    elif due and due < today:
        rows.append(("Expired", f"its date ({due:%-d %B %Y}) has passed"))
    else:
        rows.append(("Expired", "no end date found"))
    if facts.get("out_of_state") is True:
        rows.append(("Court", "from another state: counsel must check it"))
    if facts.get("names_other_premises") is True:
        rows.append(("Place", "none of the library's branches: the director must check it before anything is done"))
    asks = [AUTHORIZES[a] for a in facts.get("authorizes") or () if a in AUTHORIZES]
    if asks:
        rows.append(("It asks for", ", ".join(dict.fromkeys(asks))))
    named = facts.get("named") or {}
    for key, label in (("premises", "Premises named"), ("persons", "People named"), ("records", "Records named")):
        if names is not None:
            value = "; ".join(names.get(key) or []) or "none found"
        else:
            n = named.get(key, 0)
            value = f"{n} found (in the case file, for the director)" if n else "none found"
        rows.append((label, value))
    if facts.get("nondisclosure"):
        rows.append(("Secrecy", "it imposes non-disclosure: tell only the library's administration"))
    if facts.get("immigration_wording"):
        rows.append(("Note", "it carries immigration (DHS) wording: it is not a judge's warrant"))
    return rows
