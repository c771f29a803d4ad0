"""Reading the particulars off a document: issuer, signer's title, form number, names,
dates and the issuing state. Pure functions on text; no Django.

Everything returned is as printed (original text, whitespace collapsed), except dates,
which are ISO strings so they can be compared with today's date.
"""

import datetime
import re

from . import markers as mk
from .markers import Normalized, normalize

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
}  # fmt: skip
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = (
    # March 3, 2025
    (re.compile(rf"\b{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})\b"), ("m", "d", "y")),
    # 3rd day of March, 2025 / 3 March 2025 / 3 de marzo de 2025 / 3 dias del mes de marzo de 2025
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:day of |de |dias del mes de |dia del mes de )?"
                rf"{_MONTH},? (?:de |del )?(\d{{4}})\b"), ("d", "m", "y")),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"), ("m", "d", "y")),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("y", "m", "d")),
)  # fmt: skip

# What the words just before a date say it is.
_EXECUTE_BY = re.compile(
    r"(on or before|no later than|expires?( on)?|valid until|must be executed|a mas tardar|"
    r"vence|antes del?|en o antes del?|expira)\W*(el |the )?$"
)
_RETURN = re.compile(
    r"(return date|date and time|to appear|appear (on|at)|comparecer|comparecencia|"
    r"hearing|audiencia|on or before|en o antes del?|a mas tardar)\b[^.]{0,40}$"
)
_ISSUED = re.compile(
    r"(issued|date|dated|given under my hand|this|fecha|expedid[ao]|emitid[ao]|firmad[ao]|"
    r"signed|dad[ao])\b[^.]{0,45}$"
)

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
_STATE_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(s) for s in STATES), key=len, reverse=True)) + r")\b"
)

COURT_CAPTIONS = ("caption_fisc", "caption_federal", "caption_state")
AGENCIES = ("dhs", "ice_agency", "fbi", "agency_subpoena_authority")
_CONTINUATION = re.compile(
    r"^(for the|for|para el|in and for|district of|county of|condado de|sala |washington|"
    r"immigration and customs enforcement|[a-z ]*district of)",
    re.I,
)

JUDGE_TITLES = (
    r"(united states|u\.? ?s\.?) magistrate judge", r"magistrate judge",
    r"(united states|u\.? ?s\.?) district judge", r"district judge",
    r"judge\W{0,3}united states foreign intelligence surveillance court",
    r"judge of the (superior|circuit|district|county) court", r"(superior|circuit|county) court judge",
    r"circuit judge", r"juez(a)? (superior|municipal|de distrito|del tribunal[a-z ]*)",
)  # fmt: skip
CLERK_TITLES = (r"deputy clerk", r"clerk of (the )?court", r"secretari[oa] del tribunal")
OFFICER_TITLES = (
    r"supervisory detention and deportation officer", r"(supervisory )?deportation officer",
    r"(deputy |assistant )?field office director", r"(assistant |deputy )?special agent in charge",
    r"assistant director in charge", r"supervisory special agent", r"diversion program manager",
    r"inspector general", r"(supervisory )?immigration (enforcement )?(officer|agent)",
    r"port director", r"chief patrol agent", r"director de (la )?oficina de campo",
    r"agente especial (a cargo|encargado)", r"oficial de deportacion( supervisor)?",
    r"funcionario de inmigracion", r"special agent", r"agente especial",
)  # fmt: skip
PATRON_TITLES = (r"(library )?patron", r"cardholder", r"usuari[oa]( de la biblioteca)?")


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _lines_around(text: str, pos: int, before: int, after: int) -> list[str]:
    lines = text.split("\n")
    line_no = text.count("\n", 0, pos)
    nonempty = [i for i, ln in enumerate(lines) if ln.strip()]
    here = [i for i in nonempty if i < line_no][-before:] if before else []
    later = [i for i in nonempty if i > line_no][:after]
    return [lines[i].strip() for i in [*here, line_no, *later] if 0 <= i < len(lines)]


def first_match(n: Normalized, marker_id: str) -> re.Match[str] | None:
    found = [m for p in mk.BY_ID[marker_id].compiled() if (m := p.search(n.text))]
    return min(found, key=lambda m: m.start()) if found else None


def issuer(n: Normalized, prefer_court: bool) -> tuple[str | None, int | None]:
    """The court or agency as printed, and where it stands in the original text."""
    order = [*COURT_CAPTIONS, *AGENCIES] if prefer_court else [*AGENCIES, *COURT_CAPTIONS]
    for marker_id in order:
        m = first_match(n, marker_id)
        if not m:
            continue
        pos = n.index[m.start()]
        start, end = _line_bounds(n.original, pos)
        printed = " ".join(n.original[start:end].split())
        for extra in _lines_around(n.original, pos, 0, 2)[1:]:
            if not _CONTINUATION.match(extra) or len(printed) > 90:
                break
            printed = f"{printed} {' '.join(extra.split())}"
        return printed[:200], pos
    return None, None


def issuing_state(n: Normalized, caption_pos: int | None) -> str | None:
    """Two-letter code of the state the issuing court sits in, if printed."""
    people = re.search(r"people of the state of ([a-z ]+)", n.text)
    if people and (s := _STATE_RE.match(people.group(1))):
        return STATES[s.group(1)]
    if caption_pos is None:
        return None
    block = " ".join(_lines_around(n.original, caption_pos, 1, 2))
    found = _STATE_RE.search(normalize(block).text)
    return STATES[found.group(1)] if found else None


def _best_title(n: Normalized, patterns: tuple[str, ...], masked: str) -> str | None:
    """The most specific title printed (patterns run from specific to generic); where it
    is printed more than once, the last one, nearest the signature."""
    for p in patterns:
        found = list(re.finditer(r"\b" + p + r"\b", masked))
        if found:
            return n.source(found[-1].start(), found[-1].end())
    return None


def signatory_title(n: Normalized, kind: str) -> str | None:
    masked = mk.NOT_A_JUDGE.sub(lambda m: "#" * len(m.group()), n.text)
    if kind in mk.JUDICIAL_KINDS:
        groups = (JUDGE_TITLES,)
    elif kind == mk.GJ:
        groups = (CLERK_TITLES,)
    elif kind == mk.WA:
        groups = (PATRON_TITLES,)
    elif kind == mk.UNKNOWN:
        groups = (OFFICER_TITLES, JUDGE_TITLES, CLERK_TITLES)
    else:
        groups = (OFFICER_TITLES,)
    for titles in groups:
        if found := _best_title(n, titles, masked):
            return found
    if kind == mk.UNKNOWN and "immigration judge" in n.text:
        return "Immigration Judge"
    return None


_FORM_RE = re.compile(
    r"(?<![\w-])(?:form )?([il1|])[\s.]?-?[\s.]?(\d[\do]{2}a?)(?!\d)|\bao[\s-]?(\d{2,3}[a-z]?)\b"
)


def form_number(n: Normalized) -> str | None:
    known = {"200", "205", "138", "862", "247", "247a"}
    for m in _FORM_RE.finditer(n.text):
        if m.group(2):
            digits = m.group(2).replace("o", "0")
            if digits in known:
                return f"I-{digits.upper()}"
        elif m.group(3) and m.group(3) in {"93", "93c", "442", "110", "88b", "106"}:
            return f"AO {m.group(3).upper()}"
    return None


def parse_dates(n: Normalized) -> list[tuple[int, datetime.date]]:
    found: dict[int, datetime.date] = {}
    for pattern, order in _DATE_PATTERNS:
        for m in pattern.finditer(n.text):
            parts = dict(zip(order, m.groups(), strict=True))
            month = parts["m"]
            month = MONTHS.get(month.rstrip("."), None) if not month.isdigit() else int(month)
            try:
                when = datetime.date(int(parts["y"]), month or 0, int(parts["d"]))
            except ValueError:
                continue
            if m.start() not in found and 1900 < when.year < 2200:
                found[m.start()] = when
    return sorted(found.items())


_NOT_ISSUED = re.compile(
    r"(dob|birth|born|nacimiento|nacid[oa]|entered|ingreso|due|executive order [\d,]+)\b[^.]{0,30}$"
)


def dates(n: Normalized, kind: str) -> dict[str, str | None]:
    """issued, execute_by and return_date (ISO), read from the words before each date."""
    out: dict[str, str | None] = {"issued": None, "execute_by": None, "return_date": None}
    subpoena_like = kind in {mk.GJ, mk.AS, mk.NTA, mk.NSL}
    undecided: list[tuple[int, str]] = []
    for pos, when in parse_dates(n):
        before = n.text[max(0, pos - 90) : pos]
        iso = when.isoformat()
        if _NOT_ISSUED.search(before[-45:]):
            continue
        if not subpoena_like and _EXECUTE_BY.search(before[-40:]):
            out["execute_by"] = out["execute_by"] or iso
        elif subpoena_like and _RETURN.search(before):
            out["return_date"] = out["return_date"] or iso
        elif _ISSUED.search(before[-60:]):
            out["issued"] = out["issued"] or iso
        else:
            undecided.append((pos, iso))
    if out["issued"] is None:
        # A bare date in the letterhead is the date of issue (letters, I-200's "Date:").
        out["issued"] = next((iso for pos, iso in undecided if pos < n.head_end), None)
    return out


_PERSON_LABELS = re.compile(
    r"^(?:name|full name(?: of alien)?|nombre(?: completo)?|respondent|respondiente|subject|"
    r"defendant|acusad[oa]|patron(?: name)?|cardholder|nombre del usuario|"
    r"\(?name of person to be arrested\)?|persona a arrestar)\s*[:)]\s*(.+)$"
)
_PERSON_INLINE = (
    re.compile(r"probable cause to believe that ([^,.]{3,60}?) is removable"),
    re.compile(r"causa probable para creer que ([^,.]{3,60}?) es deportable"),
    re.compile(r"(?:^|: |\. )([a-z][a-z .'-]{2,50}?),? who entered the united states"),
    re.compile(r"(?:^|: |\. )([a-z][a-z .'-]{2,50}?),? quien ingreso a los estados unidos"),
    re.compile(r"name of person to be arrested\)?:? ([a-z][a-z .'-]{2,50}?)(?:,| who| \(|$)"),
    re.compile(r"(?<![\w,])[i1l], ([a-z][a-z .'-]{2,50}?),[^.]{0,120}?\bauthori[sz]e\b"),
    re.compile(r"\byo, ([a-z][a-z .'-]{2,50}?),[^.]{0,120}?\bautorizo\b"),
)
_STOP = r"(?=\. |\.$|;|, described| case no| for the following| and to seize| subpoena no|$)"
_PREMISES = (
    re.compile(r"in the matter of the search of\W*(.{3,160}?)" + _STOP),
    re.compile(
        r"(?:premises|property|location|place|building|local)[^.:]{0,30}"
        r"(?:located at|known as|ubicad[oa] en|localizad[oa] en)\W+(.{3,120}?)" + _STOP
    ),
)
_RECORDS = re.compile(
    r"(?:items? to be seized|property to be seized|records to be produced|records requested|"
    r"the following (?:records|documents|information|tangible things|property)|"
    r"bring with you the following[^:]*|registros solicitados|los siguientes (?:registros|documentos))"
    r"\s*:\s*(.{3,200}?)" + _STOP
)


def _value(n_line: Normalized, m: re.Match[str], group: int = 1) -> str:
    return n_line.source(m.start(group), m.end(group)).strip(" :;,.")


def names(text: str) -> dict[str, list[str]]:
    """The person, premises and records the document names, as printed."""
    out: dict[str, list[str]] = {"persons": [], "premises": [], "records": []}
    lines = [ln for ln in text.split("\n")]

    def add(key: str, value: str) -> None:
        value = value.strip(" :;,.\t")[:200]
        if len(value) >= 3 and value not in out[key] and len(out[key]) < 5:
            out[key].append(value)

    def next_text(i: int) -> str:
        for ln in lines[i + 1 : i + 3]:
            if ln.strip():
                return " ".join(ln.split())
        return ""

    for i, line in enumerate(lines):
        nl = normalize(line)
        if m := _PERSON_LABELS.match(nl.text.strip()):
            add("persons", _value(nl, m) or next_text(i))
    whole = normalize(text)
    for p in _PERSON_INLINE:
        for m in p.finditer(whole.text):
            add("persons", _value(whole, m))
    for p in _PREMISES:
        for m in p.finditer(whole.text):
            add("premises", _value(whole, m))
    for m in _RECORDS.finditer(whole.text):
        add("records", _value(whole, m))
    return out
