"""Refuse data quietdesk must never hold.

``TEXT_VALIDATORS`` check any free text: unreadable bytes, and anything shaped like
an SSN or ITIN. ``PERSON_TEXT_VALIDATORS`` extend them for free text about a patron
(notes, names, a follow-up note, a program's title): the privacy audit's high-risk
scanner (``privacy.audit_report.scanner.statements``) refuses identity numbers and any
statement that a person has an immigration status, a national origin or a health
condition. It is the audit's own scanner, so what the desk may write and what the
audit flags afterwards cannot drift apart.

Where the person check does NOT apply, and why:

* a case file (``legal``): what an officer said or did is recorded as said, even
  "they are looking for an undocumented woman from Honduras": staff document the
  officer's actions "in as much detail as possible" and report "the officer's
  statements and actions" (Sonoma policy III.C.2.g and h), the director and counsel
  need the exact words, and the case file is sealed and read only within duties;
* a rapid-response (SALUTE) report (``alerts``): it describes officers and what they
  do, not patrons;
* titles (an interlibrary loan's, an item's): what someone reads is not a statement
  about them, and judging it would be the reading surveillance the library refuses
  ("I Am Undocumented: A Memoir" must be requestable);
* the library's own registers (vendors, guide contacts, legal-hold order numbers).

All of these keep ``TEXT_VALIDATORS``.
"""

import re

from django.core.exceptions import ValidationError

from quietdesk.privacy.audit_report import scanner

# 3-2-4 digits with a consistent separator (or none), not inside a longer number.
_SSN_SHAPE = re.compile(r"(?<![\d-])(\d{3})([- .]?)(\d{2})\2(\d{4})(?![\d-])")

NO_SSN_MESSAGE = (
    "This looks like a Social Security or taxpayer number. The library does not keep "
    "these: please remove it."
)


def looks_like_ssn_or_itin(text: str) -> bool:
    """True for anything shaped like an SSN or ITIN (nnn-nn-nnnn or 9 digits in a row).

    Deliberately broad: a false alarm costs a retyped field, a miss puts a
    patron at risk. Validity rules (area 000/666/9xx...) are for the audit
    scanner, which must not cry wolf; here any 9-digit shape is refused.
    """
    return bool(_SSN_SHAPE.search(text or ""))


def refuse_ssn(value: str) -> None:
    if looks_like_ssn_or_itin(value):
        raise ValidationError(NO_SSN_MESSAGE, code="ssn")


def refuse_unreadable(value: str) -> None:
    """Bytes that were not valid text arrive as U+FFFD: refuse rather than store garbage."""
    if "\ufffd" in (value or ""):
        raise ValidationError(
            "Some characters could not be read. Please type this again.", code="unreadable"
        )


TEXT_VALIDATORS = [refuse_unreadable, refuse_ssn]

# What each finding is, in a refusal: never the value itself.
_WHAT = {
    "ssn": "a Social Security or taxpayer number",
    "itin": "a taxpayer number (ITIN, issued instead of a Social Security number)",
    "a_number": "an alien registration number (A-number)",
    "passport": "a passport number",
    "immigration": "a person's immigration status",
    "national_origin": "where a person is from (national origin)",
    "health": "a person's health",
}


def sensitive_kinds(text: str) -> list[str]:
    """What ``text`` says about a person that must never be written down (``_WHAT`` keys)."""
    findings = scanner.statements(text or "")
    kinds = {f.kind for f in findings}
    # Any other 9-digit shape too (deliberately broad, as ``refuse_ssn``), unless the
    # scanner already named it (an A-number's digits).
    if any(all(m.end() <= f.start or m.start() >= f.end for f in findings)
           for m in _SSN_SHAPE.finditer(text or "")):
        kinds.add("ssn")
    return [k for k in _WHAT if k in kinds]


def refuse_sensitive(value: str) -> None:
    """Refuse identity numbers and statements of a person's immigration status, national
    origin or health, saying what kind of thing was found and why, never the value."""
    kinds = sensitive_kinds(value)
    if not kinds:
        return
    what = [_WHAT[k] for k in kinds]
    listed = what[0] if len(what) == 1 else ", ".join(what[:-1]) + " and " + what[-1]
    raise ValidationError(
        f"This seems to record {listed}. The library never writes these down about anyone: a record of it "
        "can be demanded by immigration or other law enforcement and used against the person (ICE response "
        "protocol for library workers, \"Data minimization institutionally\": stop collecting sensitive "
        "information that may be used to harm patrons). Please remove it and keep only what the service needs. "
        "Topics are fine (\"books on asylum law\").",
        code="sensitive",
    )


# Free text about a patron: everything ``TEXT_VALIDATORS`` refuses, and the statements above.
PERSON_TEXT_VALIDATORS = [refuse_unreadable, refuse_sensitive]

CARD_NUMBER = re.compile(r"^[A-Z0-9]{5,20}$")


def validate_card_number(value: str) -> str:
    normalized = re.sub(r"[\s-]", "", value or "").upper()
    if not CARD_NUMBER.fullmatch(normalized):
        raise ValidationError(
            "A card number is 5 to 20 letters and digits (spaces and dashes are ignored).",
            code="card",
        )
    if looks_like_ssn_or_itin(normalized):
        raise ValidationError(NO_SSN_MESSAGE, code="ssn")
    return normalized
