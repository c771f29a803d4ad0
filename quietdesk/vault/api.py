"""What the rest of quietdesk may use from the vault to *write* protected data.

Nothing here decrypts: reading goes through ``quietdesk.vault.reader`` only,
which consults the policy and writes the access log (import-linter enforces it).
"""

from __future__ import annotations

import base64
import os
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import crypto, datakeys, keys
from .crypto import DecryptionError  # noqa: F401  (re-exported for callers)
from .datakeys import SubjectShredded  # noqa: F401

# Which model holds the rows of each kind of subject, so that a restore can
# remove shredded subjects' rows too. Filled by each app's AppConfig.ready().
SUBJECT_MODELS: dict[str, str] = {}


def register_subject_model(kind: str, model_label: str) -> None:
    SUBJECT_MODELS[kind] = model_label


class SealOnly:
    """A subject's data key as other apps get it: it encrypts, and offers no way to decrypt.
    (The cipher object is kept in a name-mangled slot; reaching for it from outside the vault
    is a review failure, like importing ``vault.unseal``.)"""

    __slots__ = ("__aead",)

    def __init__(self, aead: AESGCM) -> None:
        self.__aead = aead

    def encrypt(self, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        return self.__aead.encrypt(nonce, data, aad)

    def __repr__(self) -> str:
        return "<sealing key>"


@dataclass(frozen=True)
class Sealer:
    """Encrypts fields of one subject's rows under that subject's data key; cannot decrypt."""

    subject_id: uuid.UUID
    dk_version: int
    _key: SealOnly

    def seal(self, model: str, field: str, row_id: uuid.UUID, value: str | None) -> bytes | None:
        if value is None or value == "":
            return None
        return crypto.seal(self._key, self.dk_version, model, field, row_id, value)

    def log_ref(self) -> str:
        """``log_ref(self.subject_id)`` from the key in hand (a registration has just made it)."""
        return _ref_under(self._key)


def new_subject(kind: str, subject_id: uuid.UUID | None = None) -> Sealer:
    """Create a subject's random data key (call inside the transaction creating its rows)."""
    subject_id = subject_id or uuid.uuid4()
    version, aead = datakeys.create(subject_id, kind)
    return Sealer(subject_id, version, SealOnly(aead))


def sealer_for(subject_id: uuid.UUID) -> Sealer:
    version, aead = datakeys.get(subject_id)
    return Sealer(subject_id, version, SealOnly(aead))


# --- the access log's references to a person -------------------------------------

_LOG_REF_AAD = b"quietdesk access-log subject reference v1"
LOG_REF_PREFIX = "r1:"


def log_ref(subject_id: uuid.UUID) -> str:
    """How the access log names a subject: a random nonce and an AES-GCM tag over it under the
    subject's own data key. Only that key can match it (``ref_matcher``); two references to one
    subject look unrelated, and once the subject is shredded nobody can match them again."""
    return _ref_under(datakeys.get(subject_id)[1])


def _ref_under(key: AESGCM | SealOnly) -> str:
    nonce = os.urandom(12)
    tag = key.encrypt(nonce, b"", _LOG_REF_AAD)
    return LOG_REF_PREFIX + base64.urlsafe_b64encode(nonce + tag).decode().rstrip("=")


def _ref_parts(ref: str) -> tuple[bytes, bytes] | None:
    if not ref.startswith(LOG_REF_PREFIX):
        return None
    try:
        raw = base64.urlsafe_b64decode(ref[len(LOG_REF_PREFIX):] + "==")
    except ValueError:
        return None
    return (raw[:12], raw[12:]) if len(raw) == 28 else None


def ref_matcher(subject_ids: Iterable[uuid.UUID]) -> Callable[[str], bool]:
    """A test of access-log references against these subjects' keys (shredded ones match
    nothing). Holds no key the caller can use to decrypt anything."""
    aeads = []
    for subject_id in subject_ids:
        try:
            aeads.append(datakeys.get(subject_id)[1])
        except crypto.DecryptionError:
            continue

    def matches(ref: str) -> bool:
        parts = _ref_parts(ref)
        if parts is None:
            return False
        nonce, tag = parts
        return any(aead.encrypt(nonce, b"", _LOG_REF_AAD) == tag for aead in aeads)

    return matches


def blind_index(table: str, field: str, value: str | None, normalizer: str = "exact") -> int | None:
    """Truncated keyed hash for exact lookup (``crypto.blind_index``); ``None`` for an empty value."""
    return blind_indexer(table, field, normalizer)(value)


def required_blind_index(table: str, field: str, value: str | None, normalizer: str = "exact") -> int:
    """``blind_index`` for a column that must have one: a value with nothing to index is refused."""
    index = blind_index(table, field, value, normalizer)
    if index is None:
        raise ValueError(f"{table}.{field} needs a value with letters or digits to index.")
    return index


_WORD_SPLIT = re.compile(r"[^\w]+|_")
MIN_WORD = 2  # single letters (initials) are not indexed: they would match half the library


def name_words(value: str | None) -> list[str]:
    """The whole words of a name, normalized as names are ("José Núñez-García" ->
    jose, nunez, garcia), once each, in order. Words of fewer than two letters are left out."""
    if not value:
        return []
    normalized = crypto.NORMALIZERS["name"](value)
    return list(dict.fromkeys(w for w in _WORD_SPLIT.split(normalized) if len(w) >= MIN_WORD))


def pseudonym(subject_id: uuid.UUID, prefix: str = "P") -> str:
    """``crypto.pseudonym`` under the keyring's pseudonym key."""
    return pseudonymizer(prefix)(subject_id)


def shred(subject_id: uuid.UUID) -> None:
    """Destroy a subject's data key. Call inside the transaction deleting its rows.

    The shred list is written first and durably: if the transaction then fails,
    the subject stays unreadable (the safe direction) and the next restore or
    ``quietdesk keys replay-shreds`` finishes the removal.
    """
    keys.append_to_shred_list(subject_id, timezone.now().isoformat(timespec="seconds"))
    datakeys.destroy(subject_id)
    transaction.on_commit(lambda: datakeys.cache.evict(subject_id))
    _flush_write_ahead_log_on_commit()


def _flush_write_ahead_log_on_commit() -> None:
    """Once per transaction (a purge page shreds thousands of subjects), on SQLite."""
    if connection.vendor != "sqlite":
        return  # pragma: no cover — PostgreSQL only: the PostgreSQL leg of scripts/test runs it
    if any(entry[1] is _flush_write_ahead_log for entry in connection.run_on_commit):
        return
    # robust: a failed flush is logged (it names no one) and never undoes the shred
    # or skips the callbacks registered after it (notices, alerts).
    transaction.on_commit(_flush_write_ahead_log, robust=True)


def _flush_write_ahead_log() -> None:
    """After a shred commits on SQLite, move the write-ahead log into the database
    file and cut it to nothing: the page that held the wrapped key (zeroed by
    secure_delete) is overwritten in the file now, and no older copy of it waits
    in the -wal file for the next automatic checkpoint.

    Without waiting: while a backup, an export or ``audit verify`` holds a read
    snapshot, a TRUNCATE checkpoint would wait the whole busy timeout holding the
    write lock, stalling every desk. It then checkpoints what it can and reports
    busy; the next shred, or SQLite's own checkpoint, finishes the job."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (timeout,) = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout)}")


def is_shredded(subject_id: uuid.UUID) -> bool:
    return keys.is_shredded(subject_id)


# --- signing (the access log's checkpoints) -----------------------------


def _signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(keys.keyring().signing_key)


def sign(message: bytes) -> bytes:
    return _signing_key().sign(message)


def signing_public_key() -> bytes:
    from cryptography.hazmat.primitives import serialization

    return _signing_key().public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


# --- bulk paths (imports, purges) ------------------------------------------


class NewSubject(NamedTuple):
    """A subject whose data key was made in memory (``prepare_subjects``).

    ``BulkSealer`` seals its rows' fields; ``key_row`` is stored by
    ``store_keys``, inside the transaction that inserts the rows.
    """

    key_row: tuple  # (subject_id, kind, dk_version, kek_version, wrapped)
    key: SealOnly

    @property
    def sealer(self) -> Sealer:
        return Sealer(self.key_row[0], self.key_row[2], self.key)


def prepare_subjects(kind: str, subject_ids) -> list[NewSubject]:
    """Random data keys for many subjects, no database access (worker-safe)."""
    return [NewSubject(row, SealOnly(aead)) for row, aead in datakeys.prepare_many(subject_ids, kind)]


def store_keys(key_rows) -> int:
    """Write the wrapped keys (``NewSubject.key_row``) of ``prepare_subjects``, inside
    the transaction that inserts the subjects' rows."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Data keys are stored in the transaction that creates their rows.")
    return datakeys.insert_many(key_rows)


class BulkSealer:
    """Seals fields of many new subjects' rows, drawing nonces in bulk. Same format as
    ``Sealer.seal`` (``crypto.seal``): header | nonce | AES-GCM, bound to model, field and row."""

    def __init__(self, model: str, batch: int = 4096) -> None:
        self._batch = batch
        self._pool = b""
        self._at = 0
        self._header, self._aad = crypto.field_aad_parts(model, 1)  # new subjects' keys are version 1

    def seal(self, subject: NewSubject, field: str, row_id: uuid.UUID, value: str | None) -> bytes | None:
        if not value:
            return None
        at = self._at
        if at + 12 > len(self._pool):
            self._pool, at = os.urandom(12 * self._batch), 0
        self._at = at + 12
        nonce = self._pool[at : at + 12]
        aad = self._aad.get(field) or self._aad.setdefault(field, self._aad[None](field))
        return self._header + nonce + subject.key.encrypt(nonce, value.encode("utf-8"), aad + row_id.bytes)


def blind_indexer(table: str, field: str, normalizer: str = "exact"):
    """``blind_index`` for one column as a function of the value, made once per key,
    column and bit length: HMAC with its pads hashed once (``crypto.hmac_sha256_fn``)."""
    return _indexer(keys.keyring().index_key, table, field, normalizer, settings.BLIND_INDEX_BITS)


@lru_cache(maxsize=64)
def _indexer(root: bytes, table: str, field: str, normalizer: str, bits: int):
    mac = crypto.hmac_sha256_fn(crypto.index_field_key(root, table, field))
    normalize = crypto.NORMALIZERS[normalizer]
    shift = 32 - bits

    def index(value: str | None) -> int | None:
        if not value:
            return None
        normalized = normalize(value)
        if not normalized:
            return None
        return int.from_bytes(mac(normalized.encode("utf-8"))[:4], "big") >> shift

    return index


def pseudonymizer(prefix: str = "P"):
    """``pseudonym`` as a function of the subject id, made once per key and prefix."""
    return _pseudonymizer(keys.keyring().pseudonym_key, prefix)


@lru_cache(maxsize=8)
def _pseudonymizer(key: bytes, prefix: str):
    mac = crypto.hmac_sha256_fn(key)
    alphabet = crypto._PSEUDONYM_ALPHABET
    # Two characters per 10 bits, lowest bits first, as crypto.pseudonym.
    pairs = [alphabet[v & 31] + alphabet[v >> 5] for v in range(1024)]

    def make(subject_id: uuid.UUID) -> str:
        number = int.from_bytes(mac(b"qd-pseudonym|" + subject_id.bytes)[:8], "big")
        return f"{prefix}-{pairs[number & 1023]}{pairs[(number >> 10) & 1023]}-{pairs[(number >> 20) & 1023]}{pairs[(number >> 30) & 1023]}"

    return make


def shred_many(subject_ids) -> int:
    """``shred`` for many subjects: one durable write to the shred list, then the keys go."""
    ids = list(subject_ids)
    if not ids:
        return 0
    keys.append_many_to_shred_list(ids, timezone.now().isoformat(timespec="seconds"))
    removed = datakeys.destroy_many(ids)
    transaction.on_commit(lambda: datakeys.cache.evict_many(ids))
    _flush_write_ahead_log_on_commit()
    return removed
