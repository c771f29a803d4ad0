"""Staff secrets sealed by the vault (second-factor seeds). Not patron data:
staff reading their own seed at sign-in is not logged as an access."""

from __future__ import annotations

import uuid

from . import api, unseal


def seal_secret(subject_id: uuid.UUID, model: str, field: str, value: str, *, new: bool) -> bytes:
    sealer = api.new_subject("staff-secret", subject_id) if new else api.sealer_for(subject_id)
    return sealer.seal(model, field, subject_id, value)


def open_secret(subject_id: uuid.UUID, model: str, field: str, blob) -> str:
    return unseal.open_field(subject_id, model, field, subject_id, blob)
