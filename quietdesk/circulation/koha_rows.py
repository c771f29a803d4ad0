"""Reading Koha exports: headers, whole-record chunks, and one chunk of borrowers
validated, minimized and sealed (``seal_chunk``, run in worker processes).
See ``koha.py`` for the import as a whole."""

from __future__ import annotations

import collections
import csv
import datetime
import hashlib
import io
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from quietdesk.patrons import services as patron_services
from quietdesk.patrons.models import AgeBand
from quietdesk.patrons.validators import looks_like_ssn_or_itin, validate_card_number

BORROWERS_REQUIRED = ("borrowernumber", "cardnumber", "surname", "firstname")
ISSUES_REQUIRED = ("borrowernumber", "itemnumber", "date_due")
# Columns read (and kept, or minimized); every other column is dropped and counted.
USED = {"borrowernumber", "cardnumber", "surname", "firstname", "email", "phone", "mobile", "dateofbirth",
        "branchcode"}
ADDRESS = ("address", "address2", "city", "state", "zipcode", "country")
MAX_ERRORS_KEPT = 200
_PHONE = re.compile(r"^[0-9+()\-.\s]{7,25}$")


class ImportFailed(Exception):
    def __init__(self, report: Report, message: str):
        super().__init__(message)
        self.report = report


@dataclass
class Report:
    patrons: int = 0
    loans: int = 0
    returned_skipped: int = 0
    items_created: int = 0
    dropped: collections.Counter = field(default_factory=collections.Counter)  # column -> non-empty values
    age_bands: collections.Counter = field(default_factory=collections.Counter)
    no_birth_date: int = 0
    unknown_branches: int = 0
    errors: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, message)
    error_count: int = 0
    seconds: float = 0.0

    def error(self, file: str, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append((file, line, message))


# --- reading the files ----------------------------------------------------------


def open_header(path: Path, encoding: str, delimiter: str, required: tuple[str, ...], what: str) -> list[str]:
    try:
        with open(path, "rb") as fh:
            first = fh.readline()
    except OSError as exc:
        raise ImportFailed(Report(), f"Cannot read the {what} file {path}: {exc.strerror or exc}.") from None
    try:
        text = first.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ImportFailed(Report(), f"The {what} file's first line is not {encoding} text ({exc}). "
                                     "Export as UTF-8, or give --encoding.") from None
    header = [h.strip().lower() for h in next(csv.reader([text.lstrip("\ufeff")], delimiter=delimiter), [])]
    missing = [c for c in required if c not in header]
    if missing:
        found = ", ".join(header[:12]) + (" ..." if len(header) > 12 else "") if header else "nothing"
        raise ImportFailed(Report(), f"The {what} file {path} lacks the column(s) {', '.join(missing)}. "
                                     f"Found: {found}. Is this a Koha {what} export (delimiter {delimiter!r})?")
    if len(set(header)) != len(header):
        raise ImportFailed(Report(), f"The {what} file {path} repeats a column name in its header.")
    return header


def chunks(path: Path, rows: int, digest):
    """(bytes, first line number) for runs of whole CSV records, after the header.

    A record ends at a line break outside quotes: quotes inside a quoted field
    are doubled in CSV, so the parity of the quote count tells."""
    with open(path, "rb") as fh:
        header = fh.readline()
        digest.update(header)
        lines, records, in_quotes, line_no, first = [], 0, False, 1, 2
        for line in fh:
            digest.update(line)
            line_no += 1
            lines.append(line)
            if line.count(b'"') & 1:
                in_quotes = not in_quotes
            if not in_quotes:
                records += 1
                if records >= rows:
                    yield b"".join(lines), first
                    lines, records, first = [], 0, line_no + 1
        if lines:
            yield b"".join(lines), first


# --- one chunk of borrowers (runs in a worker process) ---------------------------


@dataclass
class Setup:
    header: list[str]
    encoding: str
    delimiter: str
    today: datetime.date
    branches: dict[str, int]
    existing_card_indexes: frozenset[int]
    card_key: bytes
    collect_address: bool


SETUP: Setup | None = None  # set before the worker processes fork


def _age(dob: datetime.date, today: datetime.date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def _band(dob: datetime.date, today: datetime.date) -> tuple[str, datetime.date | None]:
    """Age band and the first of the month it next changes: the birth date itself is not kept."""
    age = _age(dob, today)
    for limit, band in ((13, AgeBand.CHILD), (18, AgeBand.TEEN)):
        if age < limit:
            year = dob.year + limit
            return band, datetime.date(year, dob.month, 1)
    return AgeBand.ADULT, None


def parse_date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value.strip()[:10])


def seal_chunk(task):
    data, first_line = task
    s = SETUP
    col = {name: i for i, name in enumerate(s.header)}
    ncols = len(s.header)
    used = USED | (set(ADDRESS) if s.collect_address else set())
    dropped_idx = [(i, name) for i, name in enumerate(s.header) if name not in used]
    text = data.decode(s.encoding, errors="replace")
    rdr = csv.reader(io.StringIO(text), delimiter=s.delimiter)
    records, meta, errors, kept_rows = [], [], [], []
    dropped, bands = collections.Counter(), collections.Counter()
    no_dob = unknown_branch = 0
    previous = 0
    for row in rdr:
        line = first_line + previous
        previous = rdr.line_num
        if not any(row):
            continue
        if len(row) != ncols:
            errors.append((line, f"expected {ncols} fields as in the header, found {len(row)}"))
            continue
        if "\ufffd" in text and any("\ufffd" in v for v in row):
            errors.append((line, f"characters that are not valid {s.encoding} (export as UTF-8, or give --encoding)"))
            continue
        get = row.__getitem__
        number = get(col["borrowernumber"]).strip()
        if not number.isdigit():
            errors.append((line, "borrowernumber must be a whole number"))
            continue
        try:
            card = validate_card_number(get(col["cardnumber"]))
        except ValidationError as exc:
            errors.append((line, f"cardnumber: {exc.messages[0]}"))
            continue
        given, family = get(col["firstname"]).strip(), get(col["surname"]).strip()
        if not given:
            given, family = family, ""
        if not given:
            errors.append((line, "no firstname or surname"))
            continue
        if len(given) > 100 or len(family) > 100:
            errors.append((line, "a name is longer than 100 characters"))
            continue
        if looks_like_ssn_or_itin(given) or looks_like_ssn_or_itin(family):
            errors.append((line, "a name field holds an identity number; fix the export"))
            continue
        email = get(col["email"]).strip() if "email" in col else ""
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append((line, "email is not a valid address"))
                continue
        phone = get(col["phone"]).strip() if "phone" in col else ""
        if not phone and "mobile" in col:
            phone = get(col["mobile"]).strip()
        if phone and (not _PHONE.fullmatch(phone) or sum(map(str.isdigit, phone)) < 7):
            errors.append((line, "phone is not a phone number"))
            continue
        band, changes = AgeBand.ADULT, None
        dob_text = get(col["dateofbirth"]).strip() if "dateofbirth" in col else ""
        if dob_text and not dob_text.startswith("0000"):
            try:
                dob = parse_date(dob_text)
            except ValueError:
                errors.append((line, "dateofbirth is not a date (YYYY-MM-DD)"))
                continue
            if dob > s.today or _age(dob, s.today) > 150:
                errors.append((line, "dateofbirth is in the future or implausibly old"))
                continue
            band, changes = _band(dob, s.today)
        else:
            no_dob += 1
        address = ""
        if s.collect_address:
            address = ", ".join(get(col[c]).strip() for c in ADDRESS if c in col and get(col[c]).strip())[:300]
        branch = get(col["branchcode"]).strip() if "branchcode" in col else ""
        branch_id = s.branches.get(branch.lower()) if branch else None
        if branch and branch_id is None:
            unknown_branch += 1
        kept_rows.append(row)
        bands[band] += 1
        records.append({"given_name": given, "family_name": family, "card_number": card, "email": email,
                        "phone": phone, "address": address, "age_band": band, "age_band_changes_on": changes,
                        "home_branch_id": branch_id})
        digest = int.from_bytes(hashlib.blake2b(card.encode(), key=s.card_key, digest_size=8).digest(), "big",
                                signed=True)
        meta.append((line, int(number), digest))
    for i, name in dropped_idx:  # non-empty values of each column not kept, counted column by column
        n = sum(map(bool, map(operator.itemgetter(i), kept_rows)))
        if n:
            dropped[name] += n
    key_rows, rows = patron_services.seal_patrons(records, registered_on=s.today) if not errors else ([], [])
    recheck = [(m[0], r["card_number"]) for m, r, p in zip(meta, records, rows, strict=False)
               if p[13] in s.existing_card_indexes]
    return key_rows, rows, meta, errors, dropped, bands, no_dob, unknown_branch, recheck


