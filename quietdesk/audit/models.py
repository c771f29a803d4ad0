from django.db import models


class SeqField(models.BigIntegerField):
    """The entry's number as the table's own key: SQLite's row id (declared
    ``integer``, 64-bit there, with no AUTOINCREMENT bookkeeping), ``bigint``
    elsewhere. Appends write no separate key index: one page less per read logged."""

    def db_type(self, connection):
        return "integer" if connection.vendor == "sqlite" else super().db_type(connection)


class AccessEntry(models.Model):
    """One view, search, change, export or disclosure of protected data, or one
    administrative event. Never a routine desk step (see ``events.py``).

    Entries form a hash chain (``chain.py``). Every column is text so that the
    canonical form, and so the hash, is the same on SQLite and PostgreSQL.

    * ``subject`` names a person only by a sealed reference (``r1:...``) that only
      the holder of that person's data key can match; two entries about one person
      look unrelated to anyone else, and after a crypto-shred to everyone.
    * ``case_ref`` is the plain pseudonym of the request (case) the entry belongs
      to: cases are kept while open, and their entries with them.
    * Pruning (``prune.py``) blanks an expired entry's body and keeps its digest
      (``body_digest``), so the chain still verifies; the run that did it is
      ``pruned_by``, an entry of its own.
    """

    seq = SeqField(primary_key=True)  # 1, 2, 3... given by ``service.append``, never by the database
    at = models.CharField(max_length=32)  # ISO 8601 UTC to the second, "Z"; the day alone once pruned
    actor = models.CharField(max_length=150)
    role = models.CharField(max_length=32)
    subject = models.CharField(max_length=64)  # sealed reference, or ""
    case_ref = models.CharField(max_length=16)  # a case's pseudonym, or ""
    categories = models.CharField(max_length=200)
    action = models.CharField(max_length=32)  # an events.Event
    basis = models.CharField(max_length=300)
    restricted = models.CharField(max_length=2)  # "nd": about a request under non-disclosure
    entry_hash = models.CharField(max_length=64)
    # NULL: not pruned (an empty digest would be a value). Set when the body is blanked.
    body_digest = models.CharField(max_length=64, null=True)  # noqa: DJ001
    pruned_by = models.BigIntegerField(null=True)  # the log_prune entry that blanked this one

    class Meta:
        ordering = ["seq"]
        # In Meta rather than db_index=True, which on PostgreSQL adds a second,
        # LIKE-pattern index that nothing here uses and every append would write.
        # Partial: most entries belong to no case, and an entry the index leaves out is
        # one page fewer written per append. Queries say ``case_ref__gt=""`` too, the
        # condition SQLite needs to see before it uses a partial index.
        indexes = [models.Index(fields=["case_ref"], name="audit_entry_case", condition=models.Q(case_ref__gt=""))]
        verbose_name_plural = "access entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def pruned(self) -> bool:
        return self.body_digest is not None


class RoutineTally(models.Model):
    """Today's routine steps, counted per member of staff (or machine) and event.

    Never names a patron. Finished days are rolled into the access log as one
    ``routine_summary`` entry per actor and day, and their rows deleted
    (``service.roll_up_routine``)."""

    day = models.DateField()
    actor = models.CharField(max_length=150)
    role = models.CharField(max_length=32)
    action = models.CharField(max_length=32)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "actor", "role", "action"], name="audit_tally_key"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.actor} {self.action} x{self.count}"


class LogAnchor(models.Model):
    """Where verification starts after the oldest entries were pruned: a signed
    checkpoint of the entries before ``first_kept`` (C2SP signed note), and what was
    removed. The newest anchor is the one verification uses; older ones are the
    history of pruning."""

    first_kept = models.BigIntegerField()  # the first entry still in the log
    head_hash = models.CharField(max_length=64)  # entry_hash of first_kept - 1
    note = models.TextField()  # the signed checkpoint of size first_kept - 1
    removed = models.BigIntegerField()  # entries removed by this run
    made_at = models.DateTimeField()
    rules = models.CharField(max_length=300)  # what the run applied, in words

    class Meta:
        ordering = ["-first_kept"]

    def __str__(self) -> str:
        return f"anchor before #{self.first_kept}"
