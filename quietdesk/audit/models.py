from django.db import models


class SeqField(models.BigIntegerField):
    """The entry's number as the table's own key: SQLite's row id (declared
    ``integer``, 64-bit there, with no AUTOINCREMENT bookkeeping), ``bigint``
    elsewhere. Appends write no separate key index: one page less per read logged."""

    def db_type(self, connection):
        return "integer" if connection.vendor == "sqlite" else super().db_type(connection)


class AccessEntry(models.Model):
    """One view, search, export or disclosure of protected data.

    Entries form a hash chain (see ``chain.py``). Every column is text so that
    the canonical form, and so the hash, is the same on SQLite and PostgreSQL.
    The log names patrons only by pseudonym, never by name.
    """

    seq = SeqField(primary_key=True)  # 1, 2, 3... given by ``service.append``, never by the database
    at = models.CharField(max_length=32)  # ISO 8601 UTC, microseconds, "Z"
    actor = models.CharField(max_length=150)
    role = models.CharField(max_length=32)
    subject = models.CharField(max_length=32)  # pseudonym, or "-"; indexed in Meta
    categories = models.CharField(max_length=200)
    action = models.CharField(max_length=32)
    basis = models.CharField(max_length=300)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        # In Meta rather than db_index=True, which on PostgreSQL adds a second,
        # LIKE-pattern index that nothing here uses and every append would write.
        indexes = [models.Index(fields=["subject"], name="audit_entry_subject")]
        verbose_name_plural = "access entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.subject}"
