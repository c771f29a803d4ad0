"""Envelope encryption, blind indexes and pseudonyms: pure functions over bytes.

Formats (all integers big-endian):

* sealed field  = b"Q" | format(1) | dk_version(2) | nonce(12) | AES-256-GCM(ciphertext+tag)
  associated data = header | b"|" | model label | b"|" | field | b"|" | row UUID
  so a ciphertext copied to another row, field or table fails to open.
* wrapped data key = kek_version(2) | nonce(12) | AES-256-GCM(data key)
  associated data = b"qd-dk|" | subject UUID | b"|" | dk_version
* blind index = first ``bits`` bits of HMAC-SHA256(field key, normalized value),
  the field key being HMAC-SHA256(index root key, b"qd-bidx|" table b"|" field).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import struct
import unicodedata
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"Q"
FORMAT_VERSION = 1
_HEADER = struct.Struct(">cBH")
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A ciphertext could not be opened: wrong row, wrong key, altered, or shredded."""


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def _dk_aad(subject_id: uuid.UUID, dk_version: int) -> bytes:
    return b"qd-dk|" + subject_id.bytes + b"|" + str(dk_version).encode()


def wrap(kek: bytes, kek_version: int, subject_id: uuid.UUID, dk_version: int, dk: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(kek).encrypt(nonce, dk, _dk_aad(subject_id, dk_version))
    return struct.pack(">H", kek_version) + nonce + sealed


def wrapped_kek_version(wrapped: bytes) -> int:
    return struct.unpack(">H", wrapped[:2])[0]


def unwrap(kek: bytes, subject_id: uuid.UUID, dk_version: int, wrapped: bytes) -> bytes:
    nonce, sealed = wrapped[2 : 2 + NONCE_BYTES], wrapped[2 + NONCE_BYTES :]
    try:
        return AESGCM(kek).decrypt(nonce, sealed, _dk_aad(subject_id, dk_version))
    except InvalidTag:
        raise DecryptionError("A data key failed to unwrap.") from None


def field_aad(header: bytes, model: str, field: str, row_id: uuid.UUID) -> bytes:
    return b"|".join((header, model.encode(), field.encode(), row_id.bytes))


def seal(aead, dk_version: int, model: str, field: str, row_id: uuid.UUID, text: str) -> bytes:
    header = _HEADER.pack(MAGIC, FORMAT_VERSION, dk_version)
    nonce = secrets.token_bytes(NONCE_BYTES)
    return header + nonce + aead.encrypt(nonce, text.encode("utf-8"), field_aad(header, model, field, row_id))


def header_size() -> int:
    return _HEADER.size


def sealed_dk_version(blob: bytes) -> int:
    if len(blob) < _HEADER.size + NONCE_BYTES + 16:
        raise DecryptionError("Ciphertext is truncated.")
    magic, fmt, dk_version = _HEADER.unpack_from(blob)
    if magic != MAGIC or fmt != FORMAT_VERSION:
        raise DecryptionError("Unknown ciphertext format.")
    return dk_version


# --- blind indexes --------------------------------------------------------


# Plain ASCII text takes a shortcut in the normalizers below: the same answer
# (tests/vault/test_crypto.py checks every ASCII character) at a tenth of the cost,
# on every lookup, registration and imported row.
_NOT_ASCII_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def normalize_exact(value: str) -> str:
    """Card numbers: case and separators do not matter."""
    if value.isascii():
        return _NOT_ASCII_ALNUM.sub("", value).upper()
    return "".join(ch for ch in unicodedata.normalize("NFKC", value).upper() if ch.isalnum())


def normalize_email(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().casefold()


def normalize_name(value: str) -> str:
    """Names: case, accents and spacing do not matter ("José  Núñez" == "jose nunez")."""
    if value.isascii():
        return " ".join(value.casefold().split())
    decomposed = unicodedata.normalize("NFKD", value)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


NORMALIZERS = {"exact": normalize_exact, "email": normalize_email, "name": normalize_name}


def index_field_key(root: bytes, table: str, field: str) -> bytes:
    return hmac.new(root, b"qd-bidx|" + table.encode() + b"|" + field.encode(), hashlib.sha256).digest()


def blind_index(field_key: bytes, normalized: str, bits: int) -> int:
    digest = hmac.new(field_key, normalized.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") >> (32 - bits)


# --- pseudonyms -----------------------------------------------------------

_PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud safely


def pseudonym(key: bytes, subject_id: uuid.UUID, prefix: str = "P") -> str:
    """A stable, non-reversible label for logs and reports, e.g. ``P-7F3K-92QD``."""
    digest = hmac.new(key, b"qd-pseudonym|" + subject_id.bytes, hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(8):
        number, rem = divmod(number, 32)
        chars.append(_PSEUDONYM_ALPHABET[rem])
    code = "".join(chars)
    return f"{prefix}-{code[:4]}-{code[4:]}"


# --- bulk paths (imports): same formats, less per-call overhead ------------


def key_wrapper(kek: bytes, kek_version: int):
    """``wrap`` with one AES-GCM object for many data keys (same output format)."""
    aead = AESGCM(kek)
    prefix = struct.pack(">H", kek_version)

    def wrap_one(subject_id: uuid.UUID, dk_version: int, dk: bytes, nonce: bytes) -> bytes:
        return prefix + nonce + aead.encrypt(nonce, dk, _dk_aad(subject_id, dk_version))

    return wrap_one


def hmac_sha256_fn(key: bytes):
    """HMAC-SHA256 under one fixed key, with the key's pads hashed once (RFC 2104).

    Same output as ``hmac.digest(key, msg, "sha256")`` at about a third of the
    cost per call: bulk paths compute millions of blind indexes and pseudonyms.
    """
    block = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def digest(message: bytes) -> bytes:
        i = inner.copy()
        i.update(message)
        o = outer.copy()
        o.update(i.digest())
        return o.digest()

    return digest


def field_aad_parts(model: str, dk_version: int) -> tuple[bytes, dict]:
    """For bulk sealing: the header, and per field the associated data before the row id
    (``field_aad`` = prefix + row UUID). The dict's ``None`` entry makes a field's prefix."""
    header = _HEADER.pack(MAGIC, FORMAT_VERSION, dk_version)

    def prefix(field: str) -> bytes:
        return field_aad(header, model, field, uuid.UUID(int=0))[:-16]

    return header, {None: prefix}
