"""What the rest of quietdesk may use from the vault to *write* protected data.

Nothing here decrypts: reading goes through ``quietdesk.vault.reader`` only,
which consults the policy and writes the access log (import-linter enforces it).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import crypto, datakeys, keys
from .crypto import DecryptionError  # noqa: F401  (re-exported for callers)
from .datakeys import SubjectShredded  # noqa: F401

# Which model holds the rows of each kind of subject, so that a restore can
# remove shredded subjects' rows too. Filled by each app's AppConfig.ready().
SUBJECT_MODELS: dict[str, str] = {}


def register_subject_model(kind: str, model_label: str) -> None:
    SUBJECT_MODELS[kind] = model_label


@dataclass(frozen=True)
class Sealer:
    """Encrypts fields of one subject's rows under that subject's data key."""

    subject_id: uuid.UUID
    dk_version: int
    _aead: AESGCM

    def seal(self, model: str, field: str, row_id: uuid.UUID, value: str | None) -> bytes | None:
        if value is None or value == "":
            return None
        return crypto.seal(self._aead, self.dk_version, model, field, row_id, value)


def new_subject(kind: str, subject_id: uuid.UUID | None = None) -> Sealer:
    """Create a subject's random data key (call inside the transaction creating its rows)."""
    subject_id = subject_id or uuid.uuid4()
    version, aead = datakeys.create(subject_id, kind)
    return Sealer(subject_id, version, aead)


def sealer_for(subject_id: uuid.UUID) -> Sealer:
    version, aead = datakeys.get(subject_id)
    return Sealer(subject_id, version, aead)


@lru_cache(maxsize=64)
def _field_key(root: bytes, table: str, field: str) -> bytes:
    return crypto.index_field_key(root, table, field)


def blind_index(table: str, field: str, value: str | None, normalizer: str = "exact") -> int | None:
    """Truncated keyed hash for exact lookup; ``None`` for an empty value."""
    if not value:
        return None
    normalized = crypto.NORMALIZERS[normalizer](value)
    if not normalized:
        return None
    key = _field_key(keys.keyring().index_key, table, field)
    return crypto.blind_index(key, normalized, settings.BLIND_INDEX_BITS)


def pseudonym(subject_id: uuid.UUID, prefix: str = "P") -> str:
    return crypto.pseudonym(keys.keyring().pseudonym_key, subject_id, prefix)


def shred(subject_id: uuid.UUID) -> None:
    """Destroy a subject's data key. Call inside the transaction deleting its rows.

    The shred list is written first and durably: if the transaction then fails,
    the subject stays unreadable (the safe direction) and the next restore or
    ``quietdesk keys replay-shreds`` finishes the removal.
    """
    keys.append_to_shred_list(subject_id, timezone.now().isoformat(timespec="seconds"))
    datakeys.destroy(subject_id)
    transaction.on_commit(lambda: datakeys.cache.evict(subject_id))


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
