"""Writes to patron records. Each ``do_*`` writes its access-log entry in the
same transaction as the change (Zulip's pattern): no change without its entry.

``touch_active`` is how the routine steps (circulation, holds, the patron's own
sign-in, the desk) mark a patron active this month, for registration expiry
(``patrons.expiry``)."""

from __future__ import annotations

import datetime
import uuid

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from quietdesk import sql
from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.vault import api as vault
from quietdesk.vault import reader

from .models import Patron, PatronNameWord, month_of

MODEL = "patrons.patron"
TABLE = Patron._meta.db_table
WORDS_TABLE = PatronNameWord._meta.db_table
_INSERT_WORDS = f"INSERT INTO {WORDS_TABLE} (patron_id, word_bidx) VALUES "  # noqa: S608
_BULK_COLUMNS = (
    "id", "pseudonym", "home_branch_id", "age_band", "age_band_changes_on", "registered_on", "given_name_ct", "family_name_ct", "email_ct", "phone_ct", "address_ct", "card_number_ct", "notes_ct",
    "card_bidx", "email_bidx", "name_bidx", "active_month", "expiry_notice_on",
)
_CHANGES_FIELD = Patron._meta.get_field("age_band_changes_on")
_SEALED_COLUMNS = tuple(c.removesuffix("_ct") for c in _BULK_COLUMNS if c.endswith("_ct"))
_INSERT_ONE = (
    f"INSERT INTO {TABLE} ({', '.join(_BULK_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_BULK_COLUMNS))})"  # noqa: S608
)


class DuplicateCard(ValueError):
    pass


class UnderLegalHold(ValueError):
    """A served order preserves this patron's records: they cannot be destroyed now."""


class StillInUse(ValueError):
    """The patron still holds something (an item out, a fine, a hold on the shelf): the message says what."""


# Apps that hold rows about a patron say what must be settled before the record can be
# destroyed (``register_shred_check`` in their AppConfig.ready): an item still out would
# otherwise become a loan no one can trace, left beside other people's rows.
_SHRED_CHECKS: list = []
# The same rule in SQL, for the purge's registration expiry (``patrons.retention_rules``):
# each a condition over ``{patron}.id`` that holds while the app still has something to settle.
IN_USE_SQL: list[str] = []


def register_shred_check(check, *, in_use_sql: tuple[str, ...] = ()) -> None:
    """``check(patron) -> str | None``: what must be settled first, in words, or None.
    ``in_use_sql``: the check's mirror in SQL, so the purge never counts such an account due."""
    if check not in _SHRED_CHECKS:
        _SHRED_CHECKS.append(check)
    IN_USE_SQL.extend(sql for sql in in_use_sql if sql not in IN_USE_SQL)


def _legal_hold_on(patron: Patron) -> bool:
    from quietdesk.retention.legal_holds import preserves_record

    return preserves_record(patron.id)


def shred_blockers(patron: Patron) -> str | None:
    """Why this patron's record cannot be destroyed now, in words, or None: a legal hold,
    or what the desk must settle first (the checks apps register). ``do_shred_patron``
    and registration expiry (``patrons.expiry``) both ask this."""
    if _legal_hold_on(patron):
        return ("This record is preserved by a legal hold and cannot be deleted until the director "
                "releases it.")
    problems = [p for p in (check(patron) for check in _SHRED_CHECKS) if p]
    return " ".join(problems) + " Then the record can be destroyed." if problems else None


# One statement, and only on the first step of a month: the row already says this month
# otherwise (the Patron in hand, or the month the caller read with the loan).
_TOUCH = (f"UPDATE {TABLE} SET active_month = %s, expiry_notice_on = NULL "  # noqa: S608
          "WHERE id = %s AND active_month < %s")


def touch_active(patron, today: datetime.date | None = None, *, active_month=None) -> None:
    """Mark the patron active this month, inside the caller's transaction (a checkout, a
    return, a renewal, a hold, a sign-in, the desk). Writes at most one UPDATE, and only when
    the month changed; a notice of expiry already sent no longer counts (a new one goes
    before the next expiry). ``patron`` is a Patron, or its id with ``active_month`` as the
    caller read it (a date or ISO text; None if unknown)."""
    month = month_of(today or timezone.localdate())
    if isinstance(patron, Patron):
        patron_id, known = patron.pk, patron.active_month
    else:
        patron_id, known = patron, active_month
    if isinstance(known, str):
        known = datetime.date.fromisoformat(known[:10])
    if known is not None and known >= month:
        return
    day = month.isoformat() if sql.vendor() == "sqlite" else month
    sql.execute(_TOUCH, (day, sql.uuid_param(patron_id), day))
    if isinstance(patron, Patron):
        patron.active_month, patron.expiry_notice_on = month, None


def _seal_into(patron: Patron, sealer: vault.Sealer, data: dict) -> None:
    for field in Patron.SEALED_FIELDS:
        if field in data:
            setattr(patron, f"{field}_ct", sealer.seal(MODEL, field, patron.id, data[field] or None))
    if "card_number" in data:
        patron.card_bidx = vault.required_blind_index(TABLE, "card_number", data["card_number"], "exact")
    if "email" in data:
        patron.email_bidx = vault.blind_index(TABLE, "email", data["email"], "email")
    if "given_name" in data or "family_name" in data:
        full = f"{data.get('given_name', '')} {data.get('family_name') or ''}"
        patron.name_bidx = vault.required_blind_index(TABLE, "full_name", full, "name")


def name_word_indexes(given: str, family: str | None) -> list[int]:
    """The blind indexes of the whole words of a name (``PatronNameWord``)."""
    index = vault.blind_indexer(WORDS_TABLE, "name_word", "name")
    return list(dict.fromkeys(index(w) for w in vault.name_words(f"{given or ''} {family or ''}")))


def _write_words(patron: Patron, given: str, family: str | None, *, replace: bool) -> None:
    """The patron's name words, in the caller's transaction (random ids: their order says nothing)."""
    if replace:
        PatronNameWord.objects.filter(patron=patron).delete()
    words = name_word_indexes(given, family)
    if not words:
        return
    # One statement for all the words: each costs a round through the driver.
    patron_id = sql.uuid_param(patron.id)
    values = ", ".join(["(%s, %s)"] * len(words))
    sql.execute(_INSERT_WORDS + values, [p for bidx in words for p in (patron_id, bidx)])


def _card_taken(actor: Actor, card_number: str, except_id: uuid.UUID | None = None) -> bool:
    # Only the id: the candidates' whole rows would be read for nothing.
    matches = reader.find(actor, Patron.objects.only("id"), "card_number", card_number, purpose="check card is free",
                          log_empty=False)
    return any(m.id != except_id for m in matches)


def _insert(patron: Patron) -> None:
    """``save(force_insert=True)`` without the ORM: the desk registers patrons one by
    one and the ORM's per-field conversions and query building were most of the cost.
    The row has the columns of ``_BULK_COLUMNS`` (the model's fields, in order: a test
    checks it), the shape the bulk path inserts too."""
    sqlite = sql.vendor() == "sqlite"
    patron.expiry_notice_on = None
    # The field's own conversion (a datetime or ISO text becomes a date), as save() would.
    changes = patron.age_band_changes_on = _CHANGES_FIELD.to_python(patron.age_band_changes_on)
    row = (
        patron.id.hex if sqlite else patron.id, patron.pseudonym, patron.home_branch_id, patron.age_band,
        (changes.isoformat() if sqlite else changes) if changes else None,
        patron.registered_on.isoformat() if sqlite else patron.registered_on,
        *(getattr(patron, f"{field}_ct") for field in _SEALED_COLUMNS),
        patron.card_bidx, patron.email_bidx, patron.name_bidx,
        patron.active_month.isoformat() if sqlite else patron.active_month, None,
    )
    sql.execute(_INSERT_ONE, row)
    patron._state.adding, patron._state.db = False, DEFAULT_DB_ALIAS


def do_register_patron(actor: Actor, data: dict, *, branch=None) -> Patron:
    with transaction.atomic():
        if _card_taken(actor, data["card_number"]):
            raise DuplicateCard("That card number is already in use.")
        month = month_of(timezone.localdate())  # months: no visit day
        patron = Patron(id=uuid.uuid4(), home_branch=branch, registered_on=month, active_month=month)
        patron.pseudonym = Patron.make_pseudonym(patron.id)
        patron.age_band = data.get("age_band") or "adult"
        patron.age_band_changes_on = data.get("age_band_changes_on")
        sealer = vault.new_subject("patron", patron.id)
        _seal_into(patron, sealer, data)
        _insert(patron)
        _write_words(patron, data.get("given_name", ""), data.get("family_name"), replace=False)
        append(actor, Event.REGISTER, subject=sealer.log_ref(), categories=["registration"],
               basis="new registration at the desk")
    return patron


def do_update_patron(actor: Actor, patron: Patron, data: dict) -> Patron:
    with transaction.atomic():
        patron = Patron.objects.select_for_update().get(pk=patron.pk)
        if "card_number" in data and _card_taken(actor, data["card_number"], except_id=patron.id):
            raise DuplicateCard("That card number is already in use.")
        patron.age_band = data.get("age_band") or patron.age_band
        patron.age_band_changes_on = data.get("age_band_changes_on")
        _seal_into(patron, vault.sealer_for(patron.id), data)
        patron.active_month, patron.expiry_notice_on = month_of(timezone.localdate()), None  # at the desk: active
        patron.save()
        if "given_name" in data or "family_name" in data:
            _write_words(patron, data.get("given_name", ""), data.get("family_name"), replace=True)
        append(actor, Event.EDIT, subject=vault.log_ref(patron.id), categories=["registration"],
               basis="record corrected at the desk")
    return patron


def do_shred_patron(actor: Actor, patron: Patron, *, reason: str) -> None:
    """Delete a patron for good: rows gone, data key destroyed, listed for restores."""
    with transaction.atomic():
        if _legal_hold_on(patron):
            raise UnderLegalHold(shred_blockers(patron))
        problems = shred_blockers(patron)
        if problems:
            raise StillInUse(problems)
        # Recorded under the patron's key before it is destroyed: from then on no one can match it.
        append(actor, Event.SHRED, subject=vault.log_ref(patron.id), categories=["registration"], basis=reason)
        vault.shred(patron.id)
        Patron.objects.filter(pk=patron.pk).delete()


def view_patron(actor: Actor, patron: Patron, *, purpose: str) -> dict[str, str]:
    return reader.read(actor, patron, Patron.SEALED_FIELDS, category="registration", purpose=purpose)


def access_history(actor: Actor, patron: Patron, *, user) -> list:
    """The access-log entries about this patron, newest first, without those about requests
    under non-disclosure unless ``user`` may see them."""
    from quietdesk.audit.views import visible_to

    entries = reader.access_history(actor, patron, purpose="who viewed this record")
    hidden = set(visible_to(user, type(entries[0]).objects.filter(seq__in=[e.seq for e in entries]), hidden=True)
                 .values_list("seq", flat=True)) if entries else set()
    return [e for e in entries if e.seq not in hidden]


# --- bulk registration (imports) ------------------------------------------
#
# do_register_patron costs a duplicate-card lookup, an ORM save and a log entry
# per patron. An import of a whole library's borrowers needs the same rows
# (sealed fields, blind indexes, a random data key each) made in bulk: sealing
# is pure CPU and may run in worker processes (``seal_patrons``); the rows go in
# with one statement per table (``bulk_register_patrons``), inside the caller's
# transaction, and the caller writes the access-log entry for the batch.

class PseudonymCollision(Exception):
    """Two new patrons' pseudonyms coincide (about 1 in 10^12 per pair): seal the batch again."""


def seal_patrons(records, *, registered_on) -> tuple[list, list]:
    """Seal many patrons in memory, touching no database (safe in a worker process).

    ``records`` are dicts with the keys of ``PatronForm`` (given_name, family_name,
    card_number, email, phone, address, age_band, age_band_changes_on) plus
    ``home_branch_id``; values already validated. Returns (wrapped data-key rows,
    patron rows) for ``bulk_register_patrons``: plain tuples, ready for the
    database (ids as 32 hex digits, dates as ISO text, which SQLite stores and
    PostgreSQL casts), cheap to send back from a worker process.
    """
    import os

    records = list(records)
    raw = os.urandom(16 * len(records))
    ids = [uuid.UUID(bytes=raw[i * 16 : i * 16 + 16], version=4) for i in range(len(records))]
    subjects = vault.prepare_subjects("patron", ids)
    sealer = vault.BulkSealer(MODEL)
    card_index = vault.blind_indexer(TABLE, "card_number", "exact")
    email_index = vault.blind_indexer(TABLE, "email", "email")
    name_index = vault.blind_indexer(TABLE, "full_name", "name")
    word_index = vault.blind_indexer(WORDS_TABLE, "name_word", "name")
    pseudonym = vault.pseudonymizer("P")
    seal = sealer.seal
    registered = month_of(registered_on).isoformat()  # the month: a registration day is a visit day
    rows, key_rows = [], []
    for pid, s, data in zip(ids, subjects, records, strict=True):
        given, family, card = data["given_name"], data.get("family_name") or "", data["card_number"]
        email = data.get("email") or ""
        changes = data.get("age_band_changes_on")
        hex_id = pid.hex
        rows.append((
            hex_id, pseudonym(pid), data.get("home_branch_id"), data.get("age_band") or "adult",
            changes.isoformat() if changes else None, registered,
            seal(s, "given_name", pid, given), seal(s, "family_name", pid, family),
            seal(s, "email", pid, email), seal(s, "phone", pid, data.get("phone")),
            seal(s, "address", pid, data.get("address")), seal(s, "card_number", pid, card),
            seal(s, "notes", pid, data.get("notes")),
            card_index(card), email_index(email), name_index(f"{given} {family}"), registered, None,
            # Not a column: the name's word indexes, inserted into PatronNameWord by bulk_register_patrons.
            tuple(dict.fromkeys(word_index(w) for w in vault.name_words(f"{given} {family}"))),
        ))
        key_rows.append((hex_id, *s.key_row[1:]))
    return key_rows, rows


def bulk_register_patrons(key_rows, rows) -> int:
    """Insert patrons made by ``seal_patrons``. The caller holds the transaction and
    writes the access-log entry; nothing is written if a pseudonym collides."""
    from django.db import connection

    if not connection.in_atomic_block:
        raise RuntimeError("Bulk registration runs inside the caller's transaction.")
    names = [r[1] for r in rows]
    if len(set(names)) != len(names):
        raise PseudonymCollision("Two patrons drew the same pseudonym; seal this batch again.")
    with connection.cursor() as cursor:
        for start in range(0, len(names), 5000):
            part = names[start : start + 5000]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(f"SELECT 1 FROM {TABLE} WHERE pseudonym IN ({marks}) LIMIT 1", part)  # noqa: S608
            if cursor.fetchone():
                raise PseudonymCollision("A new patron drew an existing pseudonym; seal this batch again.")
        vault.store_keys(key_rows)
        cols = ", ".join(_BULK_COLUMNS)
        width = len(_BULK_COLUMNS)
        words = [(r[0], bidx) for r in rows for bidx in (r[width:width + 1] or ((),))[0]]
        rows = [r[:width] for r in rows]
        if connection.vendor == "postgresql":  # COPY: one round trip, not one per row
            with cursor.cursor.copy(f"COPY {TABLE} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            with cursor.cursor.copy(f"COPY {WORDS_TABLE} (patron_id, word_bidx) FROM STDIN") as copy:
                for row in words:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(_BULK_COLUMNS))
            cursor.executemany(f"INSERT INTO {TABLE} ({cols}) VALUES ({marks})", rows)  # noqa: S608
            cursor.executemany(f"INSERT INTO {WORDS_TABLE} (patron_id, word_bidx) VALUES (%s, %s)",  # noqa: S608
                               words)
    return len(rows)


def index_names(actor: Actor, *, batch: int = 500) -> int:
    """Index the words of the names of patrons registered before words were indexed
    (idempotent: patrons that already have words are skipped). Returns how many."""
    from django.db.models import Exists, OuterRef

    done = 0
    while True:
        todo = list(Patron.objects.filter(~Exists(PatronNameWord.objects.filter(patron=OuterRef("pk"))))
                    .order_by("pk")[:batch])
        if not todo:
            return done
        with transaction.atomic():
            rows = reader.index_words(actor, todo, PatronNameWord)
            # A name may repeat a word, or two words share a truncated index: one row each.
            PatronNameWord.objects.bulk_create(PatronNameWord(patron_id=pid, word_bidx=bidx)
                                               for pid, bidx in dict.fromkeys(rows))
        # A patron whose name has no word of two letters gets none, and is not asked again this run.
        done += len(todo)
        if len(todo) < batch or not rows:
            return done

