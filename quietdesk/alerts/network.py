"""Writes for the consented network: add, import and export (CSV), remove by crypto-shredding.

A member is a vault subject of kind ``network_member``: their name and addresses
are sealed under their own data key, and removing them destroys that key.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.patrons.validators import TEXT_VALIDATORS
from quietdesk.vault import api as vault
from quietdesk.vault import reader

from .models import Channel, Language, NetworkMember, Tier
from .validators import normalize_address, normalize_email

MODEL = "alerts.networkmember"
TABLE = NetworkMember._meta.db_table
CSV_COLUMNS = ["name", "channel", "address", "fallback_email", "language", "tier", "consent_date"]
REQUIRED_COLUMNS = {"name", "channel", "address", "consent_date"}
TIER_WORDS = {"1": 1, "verifier": 1, "verifiers": 1, "2": 2, "responder": 2, "responders": 2,
              "3": 3, "network": 3, "wider": 3}
MAX_IMPORT_ROWS = 5000


class DuplicateAddress(ValueError):
    pass


class NetworkElsewhere(ValueError):
    """The network lives at the organizing group's own instance: no member is kept here."""

    def __init__(self):
        super().__init__("This library's rapid-response network is run by the organizing group on its own "
                         "server (QUIETDESK_NETWORK_MODE=remote): members are added there, not here.")


def _members_here() -> None:
    from . import conf

    if not conf.members_here():
        raise NetworkElsewhere()


def clean_member(raw: dict) -> tuple[dict, dict[str, str]]:
    """Validate one member's fields (a form's or a CSV row's). Returns (data, errors by field)."""
    errors: dict[str, str] = {}
    data: dict = {}
    name = (raw.get("name") or "").strip()
    if not name:
        errors["name"] = "A name (a person's or an organisation's) is needed."
    elif len(name) > 120:
        errors["name"] = "At most 120 characters."
    else:
        try:
            for check in TEXT_VALIDATORS:
                check(name)
            data["name"] = name
        except ValidationError as exc:
            errors["name"] = exc.messages[0]
    channel = (raw.get("channel") or "").strip().lower()
    if channel not in Channel.values:
        errors["channel"] = "Use signal, email or webhook."
    else:
        data["channel"] = channel
        try:
            data["address"] = normalize_address(channel, raw.get("address") or "")
        except ValidationError as exc:
            errors["address"] = exc.messages[0]
    fallback = (raw.get("fallback_email") or "").strip()
    if fallback:
        try:
            data["fallback_email"] = normalize_email(fallback)
        except ValidationError:
            errors["fallback_email"] = "This is not a valid email address."
    else:
        data["fallback_email"] = ""
    language = (raw.get("language") or "en").strip().lower()
    if language not in Language.values:
        errors["language"] = f"Use one of: {', '.join(Language.values)}."
    else:
        data["language"] = language
    tier = str(raw.get("tier") or "3").strip().lower()
    if tier not in TIER_WORDS:
        errors["tier"] = "Use 1 (verifiers), 2 (rapid responders) or 3 (wider network)."
    else:
        data["tier"] = TIER_WORDS[tier]
    consent = raw.get("consent_date") or raw.get("consent_on")
    if isinstance(consent, dt.date):
        data["consent_on"] = consent
    else:
        try:
            data["consent_on"] = dt.date.fromisoformat((consent or "").strip())
        except ValueError:
            errors["consent_date"] = "The date they consented is needed, as YYYY-MM-DD."
    if "consent_on" in data and data["consent_on"] > timezone.localdate():
        errors["consent_date"] = "Consent cannot be dated in the future."
    return data, errors


def address_taken(actor: Actor, address: str) -> bool:
    return bool(reader.find(actor, NetworkMember.objects.all(), "address", address,
                            purpose="check the network for a duplicate", log_empty=False))


def do_add_member(actor: Actor, data: dict, *, check_duplicate: bool = True) -> NetworkMember:
    _members_here()
    with transaction.atomic():
        if check_duplicate and address_taken(actor, data["address"]):
            raise DuplicateAddress("This address is already in the network.")
        member = NetworkMember(
            id=uuid.uuid4(), consent_on=data["consent_on"], channel=data["channel"],
            language=data.get("language") or "en", tier=data.get("tier") or Tier.NETWORK,
        )
        member.pseudonym = NetworkMember.make_pseudonym(member.id)
        sealer = vault.new_subject("network_member", member.id)
        member.name_ct = sealer.seal(MODEL, "name", member.id, data["name"])
        member.address_ct = sealer.seal(MODEL, "address", member.id, data["address"])
        member.fallback_email_ct = sealer.seal(MODEL, "fallback_email", member.id, data.get("fallback_email") or None)
        member.address_bidx = vault.required_blind_index(TABLE, "address", data["address"], "exact")
        member.save(force_insert=True)
        append(actor, Event.NETWORK_CHANGE, subject=vault.log_ref(member.id), categories=["network_member"],
               basis=f"consented {member.consent_on.isoformat()}")
    return member


@dataclass
class ImportResult:
    added: int
    errors: list[str]


def do_import_members(actor: Actor, text: str) -> ImportResult:
    """All or nothing: any error (listed with its line number) and nothing is written."""
    try:
        _members_here()
    except NetworkElsewhere as exc:
        return ImportResult(0, [str(exc)])
    lines = _CountedLines(text)
    rows = csv.DictReader(lines)
    try:
        fieldnames = rows.fieldnames or []
    except csv.Error:
        return ImportResult(0, [_unreadable(lines.count)])
    header = {(h or "").strip().lower() for h in fieldnames}
    missing = REQUIRED_COLUMNS - header
    if missing:
        return ImportResult(0, [f"Line 1: the header must name the columns {', '.join(CSV_COLUMNS)} "
                                f"(missing: {', '.join(sorted(missing))})."])
    errors: list[str] = []
    cleaned: list[tuple[int, dict]] = []
    try:
        _check_rows(rows, errors, cleaned)
    except csv.Error:  # a field over csv.field_size_limit() (128 KB), for one
        errors.append(_unreadable(lines.count))  # the lines before it are reported too
    if errors:
        return ImportResult(0, errors)
    with transaction.atomic():
        for line, data in cleaned:
            if address_taken(actor, data["address"]):
                errors.append(f"Line {line}, address: already in the network.")
        if errors:
            return ImportResult(0, errors)
        for _, data in cleaned:
            do_add_member(actor, data, check_duplicate=False)
    return ImportResult(len(cleaned), [])


class _CountedLines:
    """The file's lines, counted as the CSV reader takes them: when it fails, ``count``
    is the line it failed on (its own line_num is not, for some errors)."""

    def __init__(self, text: str):
        self._lines = iter(io.StringIO(text))
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        return line


def _unreadable(line: int) -> str:
    return (f"Line {line}: this line could not be read as CSV (a field longer than 128 KB, "
            "or a quote that is never closed?).")


def _check_rows(rows: csv.DictReader, errors: list[str], cleaned: list[tuple[int, dict]]) -> None:
    """Check every row: good ones go to ``cleaned``, problems to ``errors`` (with the line).
    Raises csv.Error at a line the reader cannot parse."""
    seen: dict[str, int] = {}
    for raw in rows:
        line = rows.line_num
        if len(cleaned) + len(errors) >= MAX_IMPORT_ROWS:
            errors.append(f"Line {line}: more than {MAX_IMPORT_ROWS} rows; split the file.")
            break
        values = {(k or "").strip().lower(): (v or "") for k, v in raw.items() if k is not None}
        if not any(v.strip() for v in values.values()):
            continue  # blank line
        data, problems = clean_member(values)
        for column, problem in problems.items():
            errors.append(f"Line {line}, {column}: {problem}")
        if problems:
            continue
        if data["address"] in seen:
            errors.append(f"Line {line}, address: the same address is on line {seen[data['address']]}.")
            continue
        seen[data["address"]] = line
        cleaned.append((line, data))


def read_members(actor: Actor, members, *, purpose: str, event: Event = Event.VIEW) -> list[dict[str, str]]:
    members = list(members)
    if not members:
        return []
    return reader.read_many(actor, members, NetworkMember.SEALED_FIELDS, category="network_member",
                            purpose=purpose, event=event)


def export_csv(actor: Actor) -> str:
    members = list(NetworkMember.objects.all())
    values = read_members(actor, members, purpose="network export (CSV)", event=Event.EXPORT)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for member, v in zip(members, values, strict=True):
        # Every cell is escaped, not only the ones that look risky: the fallback email
        # "=1+cmd|'/Ccalc'!A0@example.org" is a valid address.
        writer.writerow([_csv_safe(cell) for cell in (
            v["name"], member.channel, v["address"], v["fallback_email"], member.language, member.tier,
            member.consent_on.isoformat(),
        )])
    return out.getvalue()


def _csv_safe(value) -> str:
    """No spreadsheet formulas: a leading = + - @ tab or CR is quoted with an apostrophe
    (not '+' phone numbers). None becomes an empty cell."""
    value = "" if value is None else str(value)
    if value and value[0] in "=-@\t\r" or (value.startswith("+") and not value[1:].isdigit()):
        return "'" + value
    return value


def do_remove_member(actor: Actor, member: NetworkMember, *, reason: str) -> None:
    """Remove a member for good: the data key is destroyed (crypto-shred), the row deleted."""
    with transaction.atomic():
        append(actor, Event.SHRED, subject=vault.log_ref(member.id), categories=["network_member"], basis=reason)
        vault.shred(member.id)
        NetworkMember.objects.filter(pk=member.pk).delete()
