"""Does a document name one of the library's buildings? Pure: the caller passes the
branch addresses (``core.Branch.address``); nothing here touches the database.

Street addresses are compared by house number, street name and street type (with the
usual abbreviations: Avenue = Ave.), and by city when both sides print one. A document
whose premises carry no street address we can read, or a library with no branch
address on record, gives ``None``: the reader cannot tell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .markers import normalize

STREET_TYPES = {
    "street": "st", "st": "st", "avenue": "ave", "ave": "ave", "av": "ave", "road": "rd",
    "rd": "rd", "boulevard": "blvd", "blvd": "blvd", "lane": "ln", "ln": "ln", "drive": "dr",
    "dr": "dr", "way": "way", "court": "ct", "ct": "ct", "place": "pl", "pl": "pl",
    "plaza": "plz", "plz": "plz", "parkway": "pkwy", "pkwy": "pkwy", "highway": "hwy",
    "hwy": "hwy", "circle": "cir", "cir": "cir", "terrace": "ter", "ter": "ter",
    "square": "sq", "sq": "sq", "trail": "trl", "trl": "trl",
}  # fmt: skip
# Spanish street types come before the name: "45 Calle Ficticia", "Avenida Sol 12".
LEADING_TYPES = {"calle": "calle", "avenida": "ave", "camino": "camino", "paseo": "paseo"}

_TYPES = "|".join(sorted(STREET_TYPES, key=len, reverse=True))
_LEADING = "|".join(LEADING_TYPES)
_NAME = r"((?:[a-z0-9][a-z0-9'-]*\.? ){0,3}?[a-z0-9][a-z0-9'-]*)"
_CITY = r"(?:,? ([a-z][a-z .'-]{1,40}?)(?=,| \d{5}|\.|$))?"
_ENGLISH = re.compile(r"\b(\d{1,6}[a-z]?) " + _NAME + r" (" + _TYPES + r")\b\.?" + _CITY)
_SPANISH = re.compile(
    r"(?:\b(\d{1,6}) )?\b(" + _LEADING + r") " + _NAME + r"(?: (\d{1,6})\b)?" + _CITY
)


@dataclass(frozen=True)
class StreetAddress:
    number: str
    street: str  # the name, lower case, single spaces
    kind: str  # the street type, abbreviated
    city: str | None

    def same_place(self, other: StreetAddress) -> bool:
        if (self.number, self.street, self.kind) != (other.number, other.street, other.kind):
            return False
        return self.city is None or other.city is None or self.city == other.city


def street_addresses(text: str) -> list[StreetAddress]:
    """The street addresses printed in ``text`` (a line of premises, a branch address)."""
    flat = normalize(text).text
    found = []
    for m in _ENGLISH.finditer(flat):
        city = _city(m.group(4))
        found.append(
            StreetAddress(m.group(1), m.group(2).replace(".", ""), STREET_TYPES[m.group(3)], city)
        )
    for m in _SPANISH.finditer(flat):
        number = m.group(1) or m.group(4)
        if number:
            found.append(
                StreetAddress(number, m.group(3), LEADING_TYPES[m.group(2)], _city(m.group(5)))
            )
    return found


def _city(raw: str | None) -> str | None:
    if not raw:
        return None
    city = raw.strip(" .,")
    return city or None


def names_other_premises(premises: Sequence[str], branch_addresses: Sequence[str]) -> bool | None:
    """True when none of the street addresses in ``premises`` is one of the branches',
    False when one is, None when either side has no street address to compare."""
    branches = [a for text in branch_addresses for a in street_addresses(text)]
    named = [a for text in premises for a in street_addresses(text)]
    if not branches or not named:
        return None
    return not any(a.same_place(b) for a in named for b in branches)
