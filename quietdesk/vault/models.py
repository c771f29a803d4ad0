import uuid
from typing import Protocol

from django.db import models


class DataKey(models.Model):
    """One subject's random data key, stored only wrapped by a key-encryption key.

    Deleting this row (and listing the subject in the shred list) is what
    "crypto-shredding" means: every ciphertext of the subject, in the database,
    its write-ahead log and every backup, can no longer be opened.

    No index on ``kek_version``: rotation walks the keys in subject order (rare),
    and every registration would otherwise write one more index page.
    """

    subject_id = models.UUIDField(primary_key=True)
    kind = models.CharField(max_length=20)
    dk_version = models.PositiveSmallIntegerField(default=1)
    kek_version = models.PositiveSmallIntegerField()
    wrapped = models.BinaryField()

    def __str__(self) -> str:
        return f"data key for {self.kind} subject (v{self.dk_version})"


class _OwnSubjectRow(Protocol):
    id: uuid.UUID
    pseudonym: str


class OwnSubject:
    """Mixin for a row that is its own vault subject: its fields are sealed under its
    own data key (``api.new_subject(kind, row.id)``) and the access log names it by its
    ``pseudonym`` column. The reader relies on these two properties."""

    @property
    def vault_subject_id(self: _OwnSubjectRow) -> uuid.UUID:
        return self.id

    @property
    def vault_pseudonym(self: _OwnSubjectRow) -> str:
        return self.pseudonym
