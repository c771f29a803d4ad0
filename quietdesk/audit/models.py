from django.db import models


class AccessEntry(models.Model):
    """One view, search, export or disclosure of protected data.

    Entries form a hash chain (see ``chain.py``). Every column is text so that
    the canonical form, and so the hash, is the same on SQLite and PostgreSQL.
    The log names patrons only by pseudonym, never by name.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.CharField(max_length=32)  # ISO 8601 UTC, microseconds, "Z"
    actor = models.CharField(max_length=150)
    role = models.CharField(max_length=32)
    subject = models.CharField(max_length=32, db_index=True)  # pseudonym, or "-"
    categories = models.CharField(max_length=200)
    action = models.CharField(max_length=32)
    basis = models.CharField(max_length=300)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "access entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.subject}"
