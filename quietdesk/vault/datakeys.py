"""Data keys: create, unwrap (with a small per-process cache), destroy.

The cache holds AES-GCM objects for recently used subjects in this process only;
it is never shared (no Redis, no memcached) and a shred evicts the subject.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import connection

from quietdesk import sql

from . import crypto, keys
from .models import DataKey

CACHE_SIZE = 4096
_INSERT = (
    f"INSERT INTO {DataKey._meta.db_table} (subject_id, kind, dk_version, kek_version, wrapped) "  # noqa: S608
    "VALUES (%s, %s, %s, %s, %s)"
)
TABLE = DataKey._meta.db_table
_SELECT = f"SELECT subject_id, dk_version, kek_version, wrapped FROM {TABLE} WHERE subject_id IN "  # noqa: S608
_CHUNK = 500  # well under SQLite's limit on bound parameters


class SubjectShredded(crypto.DecryptionError):
    """The subject's data key was destroyed: their data is gone for good."""


class _Cache:
    def __init__(self) -> None:
        self._items: OrderedDict[uuid.UUID, tuple[int, AESGCM]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, subject_id):
        with self._lock:
            item = self._items.get(subject_id)
            if item is not None:
                self._items.move_to_end(subject_id)
            return item

    def put(self, subject_id, item) -> None:
        with self._lock:
            self._items[subject_id] = item
            self._items.move_to_end(subject_id)
            while len(self._items) > CACHE_SIZE:
                self._items.popitem(last=False)

    def evict(self, subject_id) -> None:
        with self._lock:
            self._items.pop(subject_id, None)

    def evict_many(self, subject_ids) -> None:
        with self._lock:
            for subject_id in subject_ids:
                self._items.pop(subject_id, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


cache = _Cache()


def create(subject_id: uuid.UUID, kind: str) -> tuple[int, AESGCM]:
    ring = keys.keyring()
    dk = crypto.new_data_key()
    wrapped = crypto.wrap(ring.kek(ring.current_kek), ring.current_kek, subject_id, 1, dk)
    # Plain SQL: one insert per registration, on the hot path.
    sql.execute(_INSERT, (sql.uuid_param(subject_id), kind, 1, ring.current_kek, wrapped))
    item = (1, AESGCM(dk))
    cache.put(subject_id, item)
    return item


def _unwrap_row(row_subject, dk_version, kek_version, wrapped) -> tuple[int, AESGCM]:
    ring = keys.keyring()
    dk = crypto.unwrap(ring.kek(kek_version), row_subject, dk_version, bytes(wrapped))
    return dk_version, AESGCM(dk)


def get(subject_id: uuid.UUID) -> tuple[int, AESGCM]:
    if keys.is_shredded(subject_id):
        cache.evict(subject_id)
        raise SubjectShredded("This record was permanently deleted (crypto-shredded).")
    item = cache.get(subject_id)
    if item is not None:
        return item
    rows = _wrapped_rows([subject_id])
    if not rows:
        raise SubjectShredded("This record's key no longer exists: its data cannot be read.")
    item = _unwrap_row(*rows[0])
    cache.put(subject_id, item)
    return item


def _wrapped_rows(subject_ids: list[uuid.UUID]) -> list[tuple]:
    """(subject UUID, dk_version, kek_version, wrapped) rows, for keys missing from
    the cache. Plain SQL: each view of a record not seen lately comes here, and the
    ORM's query building cost more than the query."""
    out: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(subject_ids), _CHUNK):
            chunk = subject_ids[start : start + _CHUNK]
            by_param = {sql.uuid_param(s): s for s in chunk}
            cursor.execute(_SELECT + "(" + ", ".join(["%s"] * len(by_param)) + ")", list(by_param))
            out.extend((by_param[row[0]], *row[1:]) for row in cursor.fetchall())
    return out


def prefetch(subject_ids: Iterable[uuid.UUID | str | None]) -> None:
    """Unwrap many keys with one query per 500 (lists and exports). Rows with no
    subject (a loan whose patron link was cut) are skipped."""
    shredded = keys.shredded_ids()
    wanted = (s if isinstance(s, uuid.UUID) else uuid.UUID(str(s)) for s in subject_ids if s is not None)
    missing = [s for s in wanted if s not in shredded and cache.get(s) is None]
    if not missing:
        return
    for row in _wrapped_rows(missing):
        cache.put(row[0], _unwrap_row(*row))


def prime(subject_id: uuid.UUID, dk_version: int, kek_version: int, wrapped) -> None:
    """Cache a key whose wrapped row the caller already fetched (joined to its rows)."""
    if cache.get(subject_id) is None and not keys.is_shredded(subject_id):
        cache.put(subject_id, _unwrap_row(subject_id, dk_version, kek_version, wrapped))


def destroy(subject_id: uuid.UUID) -> None:
    cache.evict(subject_id)
    DataKey.objects.filter(subject_id=subject_id).delete()


# --- bulk paths (imports) -------------------------------------------------

_DK_BYTES = 32  # AES-256, as crypto.new_data_key


def prepare_many(subject_ids: Iterable[uuid.UUID], kind: str) -> list[tuple[tuple, AESGCM]]:
    """New random data keys for many subjects, without touching the database.

    Safe in a worker process. Returns, per subject, the row for ``insert_many``
    and the AES-GCM object that seals its fields. Nothing is cached: the keys
    exist only once ``insert_many`` ran in a transaction that commits.
    """
    ring = keys.keyring()
    wrap = crypto.key_wrapper(ring.kek(ring.current_kek), ring.current_kek)
    ids = list(subject_ids)
    step = _DK_BYTES + crypto.NONCE_BYTES
    raw = os.urandom(step * len(ids))
    out = []
    for i, subject_id in enumerate(ids):
        dk = raw[i * step : i * step + _DK_BYTES]
        nonce = raw[i * step + _DK_BYTES : (i + 1) * step]
        row = (subject_id, kind, 1, ring.current_kek, wrap(subject_id, 1, dk, nonce))
        out.append((row, AESGCM(dk)))
    return out


def insert_many(rows: Iterable[tuple]) -> int:
    """Store wrapped keys made by ``prepare_many`` (one statement for all). A subject id
    may be given as its 32 hex digits, which both databases accept for a uuid column."""
    params = [(r[0] if isinstance(r[0], str) else sql.uuid_param(r[0]), *r[1:]) for r in rows]
    if params:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # COPY: one round trip, not one per row  # pragma: no cover — PostgreSQL only: the PostgreSQL leg of scripts/test runs it
                cols = "subject_id, kind, dk_version, kek_version, wrapped"
                with cursor.cursor.copy(f"COPY {DataKey._meta.db_table} ({cols}) FROM STDIN") as copy:
                    for row in params:
                        copy.write_row(row)
            else:
                cursor.executemany(_INSERT, params)
    return len(params)


def destroy_many(subject_ids: Iterable[uuid.UUID]) -> int:
    ids = list(subject_ids)
    for subject_id in ids:
        cache.evict(subject_id)
    deleted = 0
    for start in range(0, len(ids), 500):
        deleted += DataKey.objects.filter(subject_id__in=ids[start : start + 500]).delete()[0]
    return deleted
