"""The high-risk data scanner: finds what a library must not hold in free text.

Pure Python (no Django, no I/O): ``scan(text)`` returns ``Finding(kind, start,
end)`` spans and never the matched value, so a caller cannot print what it
found by accident. Kinds:

* ``ssn``: 3-2-4 digits with one consistent separator ("-", "." or " "), valid
  under the SSA rules (area not 000, 666 or 900-999; group not 00; serial not
  0000). Nine digits in a row count only with a context word nearby ("SSN",
  "social security", "seguro social"...).
* ``itin``: 9XX-XX-XXXX whose middle group is 50-65, 70-88, 90-92 or 94-99
  (the IRS ranges); bare nine digits only with a context word.
* ``a_number``: alien registration numbers: "A" then 9 digits (separators
  allowed: A-123-456-789, A#123456789); 7 or 8 digits only with a context word
  ("A-number", "alien", "USCIS", "número A", "extranjero").
* ``passport``: 9 digits, or a letter and 8 digits, only with "passport" or
  "pasaporte" nearby (alone they are indistinguishable from item numbers).
* ``phone``: North American numbers (area and exchange 2-9, neither N11, area
  not N9X), written with separators or parentheses; ten bare digits only with a
  context word ("phone", "cell", "tel", "teléfono", "celular"...).
* ``email``: addresses.
* ``immigration``: immigration-status words in English and Spanish
  (undocumented, asylum, refugee, DACA, TPS, visa, deportation, green card,
  USCIS... indocumentado, asilo, refugiado, deportación, tarjeta verde...).
  Context words cut the false positives: "Visa card", "gift card", book and
  film titles ("novel", "libro", "película"), "Arkham Asylum".
* ``national_origin``: a statement of where a person is from ("from Guatemala",
  "is Honduran", "born in Mexico", "es de El Salvador"); a country named as a
  topic ("Stories from Guatemala", "Mexican cookbook") is not one.
* ``health``: a statement of a person's health ("has HIV", "is pregnant", "her
  cancer", "tiene diabetes"); a topic ("books on diabetes") is not one.

The last two are statements about a person by construction (``person_status``).
``statements(text)`` is the narrower check used where staff type (the desk's
forms, ``patrons.validators``): identity numbers, and immigration status,
national origin and health only where the text says a person has them ("is
undocumented", "her asylum case"), never a topic someone asks about ("books on
asylum law", "Immigration Law Handbook"). The audit keeps the broader
immigration words: it is read by a person who judges each finding.

Decoys that must not match: ZIP+4 codes (95401-1234), ISBNs (10 and 13 digits,
with or without hyphens), 14-digit library card and item barcodes, dates,
times, call numbers and prices. Lookarounds keep a pattern from matching
inside a longer digit run, and bare digit runs need a context word.

Speed: each pattern is one compiled regex run over the whole text (Python's
regex engine does the scanning in C); digit patterns are skipped for text with
no digits, and context is checked only around the few candidates found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import person_status

KINDS = ("ssn", "itin", "a_number", "passport", "phone", "email", "immigration", "national_origin", "health")
# What ``statements`` reports: what may never be written about a person.
STATEMENT_KINDS = ("ssn", "itin", "a_number", "passport", "immigration", "national_origin", "health")
LABELS = {
    "ssn": "Social Security number",
    "itin": "Taxpayer number (ITIN)",
    "a_number": "Alien registration number (A-number)",
    "passport": "Passport number",
    "phone": "Phone number",
    "email": "Email address",
    "immigration": "Immigration-status words",
    "national_origin": "National origin of a person",
    "health": "Health of a person",
}
WINDOW = 40  # characters before (and for words, after) a candidate searched for context


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    start: int
    end: int


def _words(*words: str) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)


_SSN_CONTEXT = _words(r"ssn", r"ss\s?#", r"soc\.?\s?sec\.?", r"social\s+security", r"seguro\s+social",
                      r"n[uú]mero\s+de\s+seguro")
_ITIN_CONTEXT = _words(r"itin", r"taxpayer", r"tax\s+id", r"tin", r"contribuyente", r"n[uú]mero\s+de\s+impuestos")
_A_CONTEXT = _words(r"a-?\s?number", r"a\s?#", r"alien", r"uscis", r"registration\s+number",
                    r"n[uú]mero\s+a", r"n[uú]mero\s+de\s+extranjero", r"extranjero", r"registro\s+de\s+extranjero")
_PASSPORT_CONTEXT = _words(r"passport", r"pasaporte", r"pass\.?\s?no")
_PHONE_CONTEXT = _words(r"phone", r"cell", r"mobile", r"tel", r"call", r"text", r"ph", r"tel[eé]fono", r"celular",
                        r"m[oó]vil", r"llamar", r"ll[aá]mele", r"n[uú]mero\s+de\s+tel[eé]fono", r"whatsapp")

# 3-2-4 with one consistent separator; the first group's 9 decides SSN or ITIN.
_NOT_PHONE = _words(r"isbn", r"call\s+(?:number|no\.?)", r"barcode", r"item", r"c[oó]digo\s+de\s+barras")

_SSN_FMT = re.compile(r"(?<![\d\w.-])(\d{3})([-. ])(\d{2})\2(\d{4})(?![\d-]|\.\d|\w)")
_NINE = re.compile(r"(?<![\w.-])(\d{9})(?![\w-]|\.\d)")
_A_NUMBER = re.compile(
    r"(?<![\w-])A(?:-|#|\s?#\s?|\s)?(\d{3}[- ]?\d{3}[- ]?\d{3}|\d{7,8})(?![\w-])", re.IGNORECASE
)
_PASSPORT = re.compile(r"(?<![\w-])([A-Z]?\d{8,9})(?![\w-])")
_PHONE_FMT = re.compile(
    r"(?<![\w+.-])(?:\+?1[-. ]?)?(?:\((\d{3})\)\s?|(\d{3})[-. ])(\d{3})[-. ](\d{4})(?![\w-]|\.\d)"
)
_TEN = re.compile(r"(?<![\w.-])(?:\+?1)?(\d{10})(?![\w-]|\.\d)")
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?!\w)")
_DIGIT = re.compile(r"\d")

_IMMIGRATION = _words(
    # English
    r"undocumented", r"illegal\s+(?:alien|immigrant)s?", r"illegals", r"asylum(?:\s+seekers?)?", r"asylee",
    r"refugees?", r"daca", r"dreamers?\s+(?:status|program)", r"tps", r"temporary\s+protected\s+status",
    r"visas?", r"overstay(?:ed)?", r"deport(?:ation|ed|ing)?", r"removal\s+proceedings", r"green\s*-?cards?",
    r"permanent\s+residen(?:t|cy|ce)", r"uscis", r"immigration\s+status", r"work\s+permit", r"no\s+papers",
    r"naturali[sz]ation", r"i-94",
    # Spanish
    r"indocumentad[oa]s?", r"sin\s+papeles", r"asilo(?:\s+pol[ií]tico)?", r"solicitantes?\s+de\s+asilo",
    r"asilad[oa]s?", r"refugiad[oa]s?", r"estatus\s+migratorio", r"situaci[oó]n\s+migratoria",
    r"estado\s+migratorio", r"visado", r"deportaci[oó]n", r"deportad[oa]s?", r"deportar(?:lo|la|los|las)?",
    r"tarjeta\s+verde", r"residente\s+permanente", r"permiso\s+de\s+trabajo", r"inmigraci[oó]n",
    r"migra", r"orden\s+de\s+deportaci[oó]n", r"protecci[oó]n\s+temporal",
)
# Context that makes an immigration word something other than a person's status.
_NOT_STATUS = _words(
    r"book", r"books", r"novel", r"title", r"titled", r"film", r"movie", r"documentary", r"dvd", r"author",
    r"libro", r"libros", r"novela", r"t[ií]tulo", r"pel[ií]cula", r"documental", r"autora?",
    r"arkham", r"insane", r"lunatic", r"manicomio",
)
_VISA_CARD = _words(r"card", r"cards", r"debit", r"credit", r"gift", r"mastercard", r"payment", r"paid", r"pay",
                    r"tarjeta", r"cr[eé]dito", r"d[eé]bito", r"pago", r"pag[oó]")


_BOUNDARY = re.compile(r"[.!?;]\s+(?=[A-ZÁÉÍÓÚÑ¿¡\"'(])|\n")


def _near(pattern: re.Pattern, text: str, start: int, end: int, after: int = 0) -> bool:
    """Whether ``pattern`` occurs in the same sentence, up to WINDOW characters before the
    candidate (and ``after`` characters after it)."""
    lo = max(0, start - WINDOW)
    for b in _BOUNDARY.finditer(text, lo, start):
        lo = b.end()
    hi = min(len(text), end + after)
    if after:
        stop = _BOUNDARY.search(text, end, hi)
        if stop is not None:
            hi = stop.start() + 1
    return pattern.search(text, lo, hi) is not None


def _valid_ssn(area: str, group: str, serial: str) -> bool:
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def _valid_itin(area: str, group: str) -> bool:
    g = int(group)
    return area[0] == "9" and (50 <= g <= 65 or 70 <= g <= 88 or 90 <= g <= 92 or 94 <= g <= 99)


def _valid_nanp(area: str, exchange: str) -> bool:
    return (area[0] in "23456789" and area[1] != "9" and area[1:] != "11"
            and exchange[0] in "23456789" and exchange[1:] != "11")


def _ssn_or_itin(digits: str) -> str | None:
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if _valid_itin(area, group) and serial != "0000":
        return "itin"
    if _valid_ssn(area, group, serial):
        return "ssn"
    return None


def _scan_digits(text: str, out: list[Finding]) -> None:
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        out.append(Finding(kind, start, end))
        taken.append((start, end))

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for m in _SSN_FMT.finditer(text):
        kind = _ssn_or_itin(m.group(1) + m.group(3) + m.group(4))
        if kind is not None and (m.group(2) != " " or _near(_SSN_CONTEXT, text, m.start(), m.end())
                                 or _near(_ITIN_CONTEXT, text, m.start(), m.end())):
            add(kind, m.start(), m.end())
    for m in _A_NUMBER.finditer(text):
        if _near(_A_CONTEXT, text, m.start(), m.end()) or (
                len(m.group(1)) >= 9 and not _near(_PASSPORT_CONTEXT, text, m.start(), m.end())):
            add("a_number", m.start(), m.end())
    for m in _PASSPORT.finditer(text):
        if free(m.start(), m.end()) and _near(_PASSPORT_CONTEXT, text, m.start(), m.end()):
            add("passport", m.start(), m.end())
    for m in _NINE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        digits = m.group(1)
        if _near(_ITIN_CONTEXT, text, m.start(), m.end()) and _valid_itin(digits[:3], digits[3:5]):
            add("itin", m.start(), m.end())
        elif _near(_SSN_CONTEXT, text, m.start(), m.end()) and _valid_ssn(digits[:3], digits[3:5], digits[5:]):
            add("ssn", m.start(), m.end())
    for m in _PHONE_FMT.finditer(text):
        area = m.group(1) or m.group(2)
        if free(m.start(), m.end()) and _valid_nanp(area, m.group(3)):
            add("phone", m.start(), m.end())
    for m in _TEN.finditer(text):
        digits = m.group(1)
        if free(m.start(), m.end()) and _valid_nanp(digits[:3], digits[3:6]) \
                and _near(_PHONE_CONTEXT, text, m.start(), m.end()) \
                and not _near(_NOT_PHONE, text, m.start(), m.end()):
            add("phone", m.start(), m.end())


def scan(text: str) -> list[Finding]:
    """Every high-risk span in ``text``, in order. Never returns the text itself."""
    if not text:
        return []
    out: list[Finding] = []
    if _DIGIT.search(text):
        _scan_digits(text, out)
    if "@" in text:
        out.extend(Finding("email", m.start(), m.end()) for m in _EMAIL.finditer(text))
    for m in _IMMIGRATION.finditer(text):
        word = m.group(0).lower()
        if word.startswith("visa") and _near(_VISA_CARD, text, m.start(), m.end(), after=WINDOW // 2):
            continue
        if _near(_NOT_STATUS, text, m.start(), m.end(), after=WINDOW // 2):
            continue
        out.append(Finding("immigration", m.start(), m.end()))
    _scan_person(text, out, immigration=False)
    out.sort(key=lambda f: (f.start, f.kind))
    return out


def _scan_person(text: str, out: list[Finding], *, immigration: bool) -> None:
    families = person_status.FAMILIES if immigration else ("national_origin", "health")
    for kind, spans in person_status.find(text, families).items():
        out.extend(Finding(kind, start, end) for start, end in spans)


def statements(text: str) -> list[Finding]:
    """What ``text`` says about a person that must never be written down: identity numbers
    (SSN, ITIN, A-number, passport) and a person's immigration status, national origin or
    health, told apart from topics ("books on asylum law" is not a finding). In order;
    never the text itself."""
    if not text:
        return []
    out: list[Finding] = []
    if _DIGIT.search(text):
        _scan_digits(text, out)
        out = [f for f in out if f.kind in STATEMENT_KINDS]
    _scan_person(text, out, immigration=True)
    out.sort(key=lambda f: (f.start, f.kind))
    return out


def kinds_in(text: str) -> dict[str, int]:
    """How many findings of each kind ``text`` holds (no positions, no values)."""
    counts: dict[str, int] = {}
    for finding in scan(text):
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    return counts
