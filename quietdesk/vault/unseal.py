"""Decryption of sealed fields. Protected module: only ``quietdesk.vault.reader``
(patron and member data, always policy-checked and logged) and
``quietdesk.vault.staff_secrets`` (staff second-factor seeds) may import it.
"""

from __future__ import annotations

import uuid

from . import crypto, datakeys


def open_field(subject_id: uuid.UUID, model: str, field: str, row_id: uuid.UUID, blob) -> str:
    if blob is None:
        return ""
    version, aead = datakeys.get(subject_id)
    blob = bytes(blob)
    if crypto.sealed_dk_version(blob) != version:
        raise crypto.DecryptionError(f"{model}.{field} was sealed under another key version.")
    return crypto.open_sealed(aead, model, field, row_id, blob)
