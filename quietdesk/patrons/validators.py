"""Refuse data quietdesk must never hold (SSN or ITIN shaped numbers)."""

import re

from django.core.exceptions import ValidationError

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
