"""Staff second-factor seeds sealed by the vault. Not patron data: a member of
staff's own seed, read at their sign-in, is not logged as an access.

Deliberately narrow: one model, one field, and only subjects whose data key was
created for a staff secret, so this can never become a second, unlogged way to
decrypt patron data. import-linter lets only ``quietdesk.staff.models`` import it.
"""

from __future__ import annotations

import uuid

from . import api, unseal
from .models import DataKey

KIND = "staff-secret"
MODEL = "staff.sealedtotpdevice"
FIELD = "seed"


def seal_seed(subject_id: uuid.UUID, value: str, *, new: bool) -> bytes:
    sealer = api.new_subject(KIND, subject_id) if new else api.sealer_for(subject_id)
    sealed = sealer.seal(MODEL, FIELD, subject_id, value)
    if sealed is None:
        raise ValueError("A second-factor seed cannot be empty.")
    return sealed


def open_seed(subject_id: uuid.UUID, blob) -> str:
    if not DataKey.objects.filter(subject_id=subject_id, kind=KIND).exists():
        raise api.DecryptionError("Not a staff secret.")
    return unseal.open_field(subject_id, MODEL, FIELD, subject_id, blob)
