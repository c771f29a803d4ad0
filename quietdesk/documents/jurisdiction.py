"""Which state a court sits in, read from the court's own words. Pure; no Django.

The state comes from jurisdiction phrases ("Northern District of California", "Superior
Court of California", "Circuit Court of Cook County, Illinois", "The State of Texas",
"People of the State of New York"), searched in the whole normalized text rather than in
the lines around a caption. Lines are what OCR gets wrong most often: a photo and a
clean scan of the same page split and join them differently, and the answer must not
change with them. State names tolerate OCR's usual confusions (m for rn and back, 1 or
l for i, 0 for o), so "Califomia" and "Ca1ifornia" still count.
"""

from __future__ import annotations

import re

STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
    "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
    "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI",
    "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
    "nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ",
    "new mexico": "NM", "new york": "NY", "north carolina": "NC", "north dakota": "ND",
    "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN",
    "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
    "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY", "puerto rico": "PR",
    "guam": "GU", "virgin islands": "VI",
}  # fmt: skip

_OCR = {"m": "(?:m|rn)", "i": "[il1]", "l": "[il1]", "o": "[o0]", " ": r"[\W_]*"}


def _tolerant(name: str) -> str:
    out, i = [], 0
    while i < len(name):
        if name.startswith("rn", i):  # "California" read as "Califomia"
            out.append("(?:rn|m)")
            i += 2
            continue
        out.append(_OCR.get(name[i], re.escape(name[i])))
        i += 1
    return "".join(out)


# Longest names first, so "west virginia" wins over "virginia".
_NAMES = sorted(STATES, key=len, reverse=True)
STATE_ALTERNATION = "(" + "|".join(_tolerant(s) for s in _NAMES) + r")(?![a-z])"
_COMPILED_NAMES = [(re.compile(_tolerant(s) + r"(?![a-z])"), STATES[s]) for s in _NAMES]

_WORD = r"[\W_]*"
# Phrases that name a court's state; each has one group, the name. A caption stands at
# the top of the page, so the earliest phrase is the court's.
_JURISDICTION = re.compile(
    "|".join(
        "(?:" + p.replace(" ", _WORD).replace("STATE", STATE_ALTERNATION) + ")"
        for p in (
            r"\bpueblo de STATE",
            r"\bestado libre asociado de STATE",
            r"\bstate of STATE",
            r"\bcommonwealth of STATE",
            r"\bdistrict of STATE",
            r"\b(?:superior|circuit|district|county|supreme|municipal|justice|common pleas) court"
            r"(?: of| for| in and for)?(?: the)?(?: state of)? STATE",
            r"\b(?:superior|circuit|district|county|municipal) court of [a-z]+(?: [a-z]+)? county, STATE",
            r"\bcounty of [a-z]+(?: [a-z]+)?, STATE",
            r"\b[a-z]+ county, STATE",
        )
    )
)


def state_code(name: str) -> str | None:
    """The two-letter code of a (possibly OCR-mangled) state name."""
    for pattern, code in _COMPILED_NAMES:
        if pattern.match(name):
            return code
    return None


def issuing_state(normalized_text: str) -> str | None:
    """The state of the issuing court, from the earliest jurisdiction phrase in the
    text as ``markers.normalize`` prepares it; None when the document names no state."""
    m = _JURISDICTION.search(normalized_text)
    if not m:
        return None
    name = next(g for g in m.groups() if g is not None)
    return state_code(name)
