"""Decryption of sealed fields: the only module that opens ciphertext. Protected module:
only ``quietdesk.vault.reader`` (patron, member and case data, always checked and
logged) and ``quietdesk.vault.staff_secrets`` (staff second-factor seeds) may import it.
``crypto`` can seal but not open.
"""

from __future__ import annotations

import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import crypto, datakeys


def open_sealed(aead: AESGCM, model: str, field: str, row_id: uuid.UUID, blob: bytes) -> str:
    """Open a value sealed by ``crypto.seal``; any failure is a ``DecryptionError``."""
    crypto.sealed_dk_version(blob)
    size = crypto.header_size()
    header = bytes(blob[:size])
    nonce = bytes(blob[size : size + crypto.NONCE_BYTES])
    try:
        plain = aead.decrypt(nonce, bytes(blob[size + crypto.NONCE_BYTES :]),
                             crypto.field_aad(header, model, field, row_id))
    except InvalidTag:
        raise crypto.DecryptionError(f"{model}.{field} failed to decrypt for this row.") from None
    return plain.decode("utf-8")


def open_field(subject_id: uuid.UUID, model: str, field: str, row_id: uuid.UUID, blob) -> str:
    if blob is None:
        return ""
    version, aead = datakeys.get(subject_id)
    blob = bytes(blob)
    if crypto.sealed_dk_version(blob) != version:
        raise crypto.DecryptionError(f"{model}.{field} was sealed under another key version.")
    return open_sealed(aead, model, field, row_id, blob)
