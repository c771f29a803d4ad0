"""Reading Koha exports: the files line by line with bounded memory (``Export``),
whole-record chunks parsed with their line numbers (``parse``), and one chunk of
borrowers validated, minimized and sealed (``seal_chunk``, run in worker processes).
See ``koha.py`` for the import as a whole."""

from __future__ import annotations

import codecs
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

    def error(self, file: str, line: int, message: str, keep: bool = False) -> None:
        """``keep``: shown even past MAX_ERRORS_KEPT (the problem that stopped a file's reading)."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT or keep:
            self.errors.append((file, line, message))


# --- reading the files ----------------------------------------------------------
# Bytes in blocks, never a whole line without a limit: a line (or a record whose
# quoted field runs over several lines) longer than MAX_RECORD_BYTES stops the read
# with its line number, so memory stays bounded whatever the file holds. \n, \r\n
# and a lone \r all end a line, in any mix (old Mac and Excel exports end lines with
# \r); line numbers count them the same way as csv does, so every report says
# file:line for the line where the record starts.

MAX_FIELD_CHARS = 128 * 1024  # csv's own default limit, restated: no column read is near it
MAX_RECORD_BYTES = 1024 * 1024
CHUNK_BYTES = 4 * 1024 * 1024  # records handed to a worker at once, at most
_BLOCK = 256 * 1024
_NUMBER = re.compile(r"[0-9]{1,18}")  # ASCII digits only: int("²") fails, int("١") is 1
_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"), (codecs.BOM_UTF16_LE, "UTF-16"),
         (codecs.BOM_UTF16_BE, "UTF-16"))
_SUSPECT = ("\ufffd", "\x00", "\ufeff")


class Malformed(Exception):
    """What stops reading a file, and where."""

    def __init__(self, file: str, line: int, message: str):
        super().__init__(message)
        self.file, self.line = file, line


def reading_codec(encoding: str) -> str:
    """The codec each line is decoded with; ImportFailed for one that can't be read by lines."""
    try:
        name = codecs.lookup(encoding).name
        "x".encode(name)
    except LookupError:
        raise ImportFailed(Report(), f"Unknown encoding {encoding!r}.") from None
    name = "utf-8" if name == "utf-8-sig" else name  # a byte-order mark is handled by Export
    if any(ch.encode(name, errors="replace") != ch.encode("ascii") for ch in '\r\n"'):
        raise ImportFailed(Report(), f"quietdesk reads exports in an encoding where line breaks and quotes are "
                                     f"single ASCII bytes; {encoding!r} is not one. Export as UTF-8.")
    return name


class Export:
    """One export file, read line by line from bytes with bounded memory (see above)."""

    def __init__(self, path: Path, encoding: str, delimiter: str, what: str):
        self.path, self.name, self.what = path, path.name, what
        self.codec, self.delimiter = reading_codec(encoding), delimiter
        self.digest = hashlib.sha256()
        self.line = 0  # lines read so far
        try:
            self._fh = open(path, "rb")  # noqa: SIM115 (closed by close())
        except OSError as exc:
            raise ImportFailed(Report(), f"Cannot read the {what} file {path}: {exc.strerror or exc}.") from None
        self._lines = self._read_lines()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self._fh.close()

    @property
    def _too_long(self) -> str:
        return (f"this line is longer than {MAX_RECORD_BYTES // 1024} KiB; no Koha {self.what} export has "
                "such lines (is this the right file?)")

    def _refuse(self, line: int, message: str):
        return Malformed(self.name, line, message)

    def _start(self, block: bytes) -> bytes:
        """The first block without its byte-order mark; a mark that contradicts the encoding stops."""
        for bom, name in _BOMS:
            if block.startswith(bom):
                raise self._refuse(1, f"the file is {name} text (it starts with a {name} byte-order mark): "
                                      "export it as UTF-8 (in a spreadsheet: \"CSV UTF-8\").")
        if block.startswith(codecs.BOM_UTF8):
            if self.codec != "utf-8":
                raise self._refuse(1, f"the file starts with a UTF-8 byte-order mark, but --encoding is "
                                      f"{self.codec}: give --encoding utf-8.")
            return block[len(codecs.BOM_UTF8):]
        return block

    def _read_lines(self):
        carry, first = b"", True
        while True:
            try:
                block = self._fh.read(_BLOCK)
            except OSError as exc:
                raise self._refuse(self.line + 1, f"cannot read on: {exc.strerror or exc}") from None
            self.digest.update(block)
            if first:
                block, first = self._start(block), False
            if not block:
                break
            parts = (carry + block).splitlines(keepends=True)  # \n, \r\n and \r (bytes: nothing else)
            carry = parts.pop()
            if carry.endswith(b"\n"):
                parts.append(carry)
                carry = b""
            # A final \r stays in carry: the next block may start with its \n.
            for part in parts:
                self.line += 1
                yield part
            if len(carry) > MAX_RECORD_BYTES:
                raise self._refuse(self.line + 1, self._too_long)
        if carry:
            self.line += 1
            yield carry

    def header(self, required: tuple[str, ...]) -> list[str]:
        text = next(self._lines, b"").decode(self.codec, errors="replace")
        if "\ufffd" in text or "\x00" in text:
            raise self._refuse(1, f"the header is not {self.codec} text. Export as UTF-8, or give --encoding.")
        try:
            header = [h.strip().lower() for h in next(csv.reader([text], delimiter=self.delimiter, strict=True), [])]
        except csv.Error as exc:
            raise self._refuse(1, f"the header is not a CSV line ({exc}).") from None
        missing = [c for c in required if c not in header]
        if missing:
            found = ", ".join(header[:12]) + (" ..." if len(header) > 12 else "") if header else "nothing"
            raise self._refuse(1, f"the {self.what} file lacks the column(s) {', '.join(missing)}. Found: {found}. "
                                  f"Is this a Koha {self.what} export (delimiter {self.delimiter!r})?")
        if len(set(header)) != len(header):
            raise self._refuse(1, f"the {self.what} file repeats a column name in its header.")
        return header

    def chunks(self, rows: int):
        """(bytes, number of its first line) for runs of whole records, after the header: at
        most ``rows`` records or CHUNK_BYTES. A record ends at a line break outside quotes;
        quotes inside a quoted field are doubled in CSV, so the parity of the count tells."""
        lines, done, size, count, first = [], 0, 0, 0, self.line + 1
        record, start, quoted = 0, self.line + 1, False
        try:
            for line in self._lines:
                lines.append(line)
                record += len(line)
                if line.count(b'"') & 1:
                    quoted = not quoted
                if record > MAX_RECORD_BYTES:
                    raise self._refuse(start, self._too_long if start == self.line else
                                       f"a quoted field that starts on this line runs on for more than "
                                       f"{MAX_RECORD_BYTES // 1024} KiB (a quote without its pair?)")
                if quoted:
                    continue
                done, size, count, record, start = len(lines), size + record, count + 1, 0, self.line + 1
                if count >= rows or size >= CHUNK_BYTES:
                    yield b"".join(lines), first
                    lines, done, size, count, first = [], 0, 0, 0, self.line + 1
            if quoted:
                raise self._refuse(start, "a quoted field that starts on this line is never closed")
        except Malformed:
            if done:  # the whole records before the bad one are still checked and reported
                yield b"".join(lines[:done]), first
            raise
        if lines:
            yield b"".join(lines), first


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field limit" in text:
        return (f"a field is longer than {MAX_FIELD_CHARS:,} characters (128 KiB); no column quietdesk reads "
                "is anywhere near that (is this the right file?)")
    if "expected after" in text:
        return 'a quoted field goes on after its closing quote (a quote inside a field is written "")'
    if "end of data" in text:
        return "a quoted field is not closed"
    return f"this record is not valid CSV ({text})"


def parse(data: bytes, first_line: int, codec: str, delimiter: str, ncols: int):
    """(line, row, problem) for each non-blank record of a chunk; ``problem`` (a message)
    or ``row`` is None. A record csv cannot read ends the chunk."""
    csv.field_size_limit(MAX_FIELD_CHARS)  # the default, stated: the bound is this module's
    text = data.decode(codec, errors="replace")
    suspect = any(ch in text for ch in _SUSPECT)
    rdr = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 0
    while True:
        try:
            row = next(rdr)
        except StopIteration:
            return
        except csv.Error as exc:
            yield first_line + start, None, _csv_problem(exc)
            return
        line, start = first_line + start, rdr.line_num
        if not any(row):
            continue
        if len(row) != ncols:
            yield line, None, f"expected {ncols} fields as in the header, found {len(row)}"
        elif suspect and any("\ufffd" in v for v in row):
            yield line, None, f"characters that are not valid {codec} (export as UTF-8, or give --encoding)"
        elif suspect and any("\x00" in v for v in row):
            yield line, None, "a NUL byte (a binary file, or UTF-16 saved without its byte-order mark?)"
        elif suspect and any("\ufeff" in v for v in row):
            yield line, None, "a byte-order mark inside the file (were two exports joined?)"
        else:
            yield line, row, None


def whole_number(value: str) -> int | None:
    value = value.strip()
    return int(value) if _NUMBER.fullmatch(value) else None


# --- one chunk of borrowers (runs in a worker process) ---------------------------


@dataclass
class Setup:
    header: list[str]
    codec: str
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
    records, meta, errors, kept_rows = [], [], [], []
    dropped, bands = collections.Counter(), collections.Counter()
    no_dob = unknown_branch = 0
    for line, row, problem in parse(data, first_line, s.codec, s.delimiter, ncols):
        if problem is not None:
            errors.append((line, problem))
            continue
        get = row.__getitem__
        number = whole_number(get(col["borrowernumber"]))
        if number is None:
            errors.append((line, "borrowernumber must be a whole number (digits 0-9, at most 18)"))
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
        meta.append((line, number, digest))
    for i, name in dropped_idx:  # non-empty values of each column not kept, counted column by column
        n = sum(map(bool, map(operator.itemgetter(i), kept_rows)))
        if n:
            dropped[name] += n
    key_rows, rows = patron_services.seal_patrons(records, registered_on=s.today) if not errors else ([], [])
    recheck = [(m[0], r["card_number"]) for m, r, p in zip(meta, records, rows, strict=False)
               if p[13] in s.existing_card_indexes]
    return key_rows, rows, meta, errors, dropped, bands, no_dob, unknown_branch, recheck


