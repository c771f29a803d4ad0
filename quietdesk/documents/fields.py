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
    # March 3, 2025 (OCR may drop the space after the comma: "March 3,2025")
    (re.compile(rf"\b{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?(?:, ?| )(\d{{4}})\b"), ("m", "d", "y")),
    # 3rd day of March, 2025 / 3 March 2025 / 3 de marzo de 2025 / 3 dias del mes de marzo de 2025
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:day of |de |dias del mes de |dia del mes de )?"
                rf"{_MONTH}(?:, ?| )(?:de |del )?(\d{{4}})\b"), ("d", "m", "y")),
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
    r"|(appearance|attend)\b[^.]{0,60}$"
)
# A date followed by a time of day is an appointment: a subpoena's return date.
_AT_TIME = re.compile(
    r"^\W*(time\b|hora\b|(at |a las )?\d{1,2}(:\d\d)?\W*(a\.?m\b|p\.?m\b|o'clock))"
)

COURT_CAPTIONS = ("caption_fisc", "caption_federal", "caption_state", "state_caption")
AGENCIES = ("dhs", "ice_agency", "cbp", "fbi", "agency_subpoena_authority", "irs_summons")
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
    r"judge presiding", r"presiding judge", r"magistrate", r"justice of the peace", r"judge",
)  # fmt: skip
CLERK_TITLES = (r"deputy clerk", r"clerk of (the )?court", r"secretari[oa] del tribunal")
ATTORNEY_TITLES = (
    r"(assistant |deputy )?district attorney", r"assistant state's attorney", r"attorney",
)  # fmt: skip
OFFICER_TITLES = (
    r"supervisory detention and deportation officer", r"(supervisory )?deportation officer",
    r"(deputy |assistant )?field office director", r"(assistant |deputy )?special agent in charge",
    r"assistant director in charge", r"supervisory special agent", r"diversion program manager",
    r"inspector general", r"(supervisory )?immigration (enforcement )?(officer|agent)",
    r"port director", r"chief patrol agent", r"director de (la )?oficina de campo",
    r"agente especial (a cargo|encargado)", r"oficial de deportacion( supervisor)?",
    r"funcionario de inmigracion", r"special agent", r"agente especial",
    r"revenue (agent|officer)", r"(supervisory )?cbp officer",
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
        printed = " ".join(n.original[start:end].replace("\u00a7", " ").split())
        for extra in _lines_around(n.original, pos, 0, 2)[1:]:
            if not _CONTINUATION.match(extra) or len(printed) > 90:
                break
            printed = f"{printed} {' '.join(extra.split())}"
        return printed[:200], pos
    return None, None


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
    groups: tuple[tuple[str, ...], ...]
    if kind in mk.JUDICIAL_KINDS:
        groups = (JUDGE_TITLES,)
    elif kind == mk.GJ:
        groups = (CLERK_TITLES,)
    elif kind == mk.CS:
        groups = (CLERK_TITLES, ATTORNEY_TITLES)
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


# The forms each kind is printed on: a detainer cites the I-200 that goes with it, and
# that citation is not the detainer's own form number.
KIND_FORMS = {
    mk.JS: ("AO 93", "AO 93C", "AO 106"), mk.JA: ("AO 442",), mk.GJ: ("AO 110",),
    mk.CS: ("AO 88", "AO 88B", "AO 89"), mk.AS: ("I-138",), mk.ICE: ("I-200", "I-205"),
    mk.DETAINER: ("I-247A", "I-247"), mk.NTA: ("I-862",),
}  # fmt: skip


def form_number(n: Normalized, kind: str = mk.UNKNOWN) -> str | None:
    """The form the document is printed on: the kind's own form if one is printed,
    otherwise the first known form number."""
    known = {"200", "205", "138", "862", "247", "247a"}
    found: list[str] = []
    for m in _FORM_RE.finditer(n.text):
        if m.group(2):
            digits = m.group(2).replace("o", "0")
            if digits in known:
                found.append(f"I-{digits.upper()}")
        elif m.group(3) and m.group(3) in {"93", "93c", "442", "110", "88", "88b", "89", "106"}:
            found.append(f"AO {m.group(3).upper()}")
    own = [f for f in found if f in KIND_FORMS.get(kind, ())]
    return next(iter(own or found), None)


def parse_dates(n: Normalized) -> list[tuple[int, datetime.date]]:
    return [(start, when) for start, _end, when in _date_spans(n)]


def _date_spans(n: Normalized) -> list[tuple[int, int, datetime.date]]:
    found: dict[int, tuple[int, datetime.date]] = {}
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
                found[m.start()] = (m.end(), when)
    return [(start, end, when) for start, (end, when) in sorted(found.items())]


_NOT_ISSUED = re.compile(
    r"(dob|birth|born|nacimiento|nacid[oa]|ingreso|due|executive order [\d,]+)\b[^.]{0,30}$"
    r"|entered (the|into|a|en)\b[^.]{0,55}$"
)
# How the signature's own date is introduced, at the start of its line or sentence:
# "Date and time issued:", "Dated:", "ENTERED:", "SIGNED on", "Given under my hand, and
# dated this", "Issued at 3:15 p.m. on this the", "WITNESS, Honorable ..., this",
# "Expedida en San Juan, el". The first date in the body is often something else (an
# affidavit's date, the period the records cover).
_SIGNED = re.compile(
    r"^\W*(date and time issued|date issued|date of issuance|issued|dated|date|signed|entered|"
    r"given under my hand|witness|so ordered|fecha|expedid[ao]|emitid[ao]|firmad[ao]|dad[ao])\b"
)
# Where a sentence or a labelled line starts: a full stop before a capital, a blank
# line, a line after one ending in . : or ;, or a "Label:" line.
_BOUNDARY = re.compile(
    r"[.!?]\s+(?=[A-Z\u00bf\u00a1])|\n\s*\n|(?<=[.:;])[ \t]*\n|\n(?=[^\n:]{0,40}:)"
)
_DATE_LABEL_BELOW = re.compile(r"^\W*(date|fecha)\W*$")
# Dates of what happened after signing: a warrant's return ("Date and time warrant
# executed"), a certificate of service.
_AFTER_SIGNING = re.compile(r"(executed|served|received|ejecutad[ao]|diligenciad[ao]|notificad[ao])\b[^.]{0,30}$")


def _signature_date(n: Normalized, start: int, end: int) -> bool:
    """Whether the date at normalized [start, end) is introduced as the date of signing."""
    pos = n.index[start]
    original = n.original
    line_start = original.rfind("\n", 0, pos) + 1
    window_start = max(0, pos - 200)
    cut = 0 if window_start == 0 else None  # no sentence start in reach: line prefix only
    for m in _BOUNDARY.finditer(original, window_start, pos):
        cut = m.end()
    prefixes = [original[line_start:pos]] + ([original[cut:pos]] if cut is not None else [])
    if any(_SIGNED.match(normalize(prefix).text) for prefix in prefixes):
        return True
    # A date alone on its line with "Date" printed under it (the line of a signature block).
    after = original[n.index[end - 1] + 1 :].split("\n", 2)
    alone = not original[line_start:pos].strip() and len(after) > 1 and not after[0].strip(" ,.")
    return alone and bool(_DATE_LABEL_BELOW.match(normalize(after[1]).text))


def dates(n: Normalized, kind: str) -> dict[str, str | None]:
    """issued, execute_by and return_date (ISO), read from the words around each date.

    The date of issue is the signature's date (the last one introduced as such, nearest
    the signature), or failing that a date standing alone at the start of a line in the
    letterhead (a letter's date). Never just the first date in the body: that is often
    an affidavit's date or the period the records cover."""
    out: dict[str, str | None] = {"issued": None, "execute_by": None, "return_date": None}
    subpoena_like = kind in {mk.GJ, mk.CS, mk.AS, mk.NTA, mk.NSL}
    signed: list[str] = []
    letterhead: list[str] = []
    for pos, end, when in _date_spans(n):
        before = n.text[max(0, pos - 90) : pos]
        iso = when.isoformat()
        if _NOT_ISSUED.search(before[-70:]):
            continue
        if not subpoena_like and _EXECUTE_BY.search(before[-40:]):
            out["execute_by"] = out["execute_by"] or iso
        elif subpoena_like and (_RETURN.search(before) or _AT_TIME.match(n.text[end : end + 20])):
            out["return_date"] = out["return_date"] or iso
        elif _AFTER_SIGNING.search(before[-45:]):
            continue
        elif _signature_date(n, pos, end):
            signed.append(iso)
        elif pos < n.head_end and _starts_line(n, pos):
            letterhead.append(iso)
    out["issued"] = signed[-1] if signed else next(iter(letterhead), None)
    return out


def _starts_line(n: Normalized, start: int) -> bool:
    pos = n.index[start]
    return not n.original[n.original.rfind("\n", 0, pos) + 1 : pos].strip(" \t-*|")


_PERSON_LABELS = re.compile(
    r"^(?:name|full name(?: of alien)?|name of (?:the )?alien|nombre(?: completo)?(?: del extranjero)?|"
    r"respondent|respondiente|subject|"
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
_STOP = (
    r"(?=\. |\.$|;|, described| case no| for the following| and to seize| subpoena no"
    r"|,? and (?:there|to) |$)"
)
_PREMISES = (
    re.compile(r"in the matter of the search of\W*(.{3,160}?)" + _STOP),
    re.compile(
        r"(?:premises|property|location|place|building|local|residence)[^.:]{0,30}"
        r"(?:located at|known as|ubicad[oa] en|localizad[oa] en)\W+(.{3,120}?)" + _STOP
    ),
    re.compile(r"(?:suspected place|premises|residence),? (?:namely|being|at) (.{3,120}?)" + _STOP),
)
# A form's printed instructions in brackets, such as AO 93's "(Briefly describe the
# property to be searched or identify the person by name and address)": never premises.
_INSTRUCTION = re.compile(
    r"\((?=[^()]{0,200}\b(?:describe|identify|name and address|give its location|if known)\b)"
    r"[^()]{0,200}\)",
    re.IGNORECASE,
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
    blanked = normalize(_INSTRUCTION.sub(lambda m: " " * len(m.group()), text))
    for p in _PREMISES:
        for m in p.finditer(blanked.text):
            add("premises", _value(blanked, m))
    for m in _RECORDS.finditer(whole.text):
        add("records", _value(whole, m))
    return out
