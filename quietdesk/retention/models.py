"""Legal holds and the record of every purge run. Neither holds personal data:
a legal hold points at a patron by key (and loses it at release); a purge run
keeps counts only."""

import uuid

from django.db import models

from quietdesk.policy import labels

# Categories a legal hold can preserve: the ones the purge deletes or anonymizes.
HOLDABLE = (
    # Not purged by the schedule, but a hold on it stops the patron's record being destroyed.
    ("registration", "Registration (the patron's record itself)"),
    ("circulation", "Circulation (loans, fines, reading history)"),
    ("holds", "Holds"),
    ("ill", "Interlibrary loans"),
    ("programs", "Program registrations"),
    ("computer_use", "Computer sessions"),
    ("camera", "Camera footage"),
    ("reference", "Reference follow-up notes"),
)


class LegalHold(models.Model):
    """A served order's preservation scope: which records the purge must skip."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=80)  # docket or order number: no names
    served_on = models.DateField()
    all_patrons = models.BooleanField(default=False)
    patron = models.ForeignKey("patrons.Patron", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    categories = models.CharField(max_length=200)  # comma-separated HOLDABLE keys
    date_from = models.DateField()
    date_to = models.DateField()
    placed_by = models.CharField(max_length=150)
    placed_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.CharField(max_length=150, blank=True)
    release_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        indexes = [models.Index(fields=["released_at"], name="retention_hold_active")]

    def __str__(self) -> str:
        return f"legal hold {self.label}"

    @property
    def label(self) -> str:
        return f"LH-{self.id.hex[:8].upper()}"

    @property
    def category_list(self) -> list[str]:
        return [c for c in self.categories.split(",") if c]

    @property
    def categories_text(self) -> str:
        """The categories in words, as the legal holds page and the audit print them."""
        return labels.categories(self.category_list)

    @property
    def active(self) -> bool:
        return self.released_at is None


class PurgeRun(models.Model):
    """What one `quietdesk purge` did: counts per rule, never a record's content."""

    class Status(models.TextChoices):
        RUNNING = "running"
        DONE = "done"
        INTERRUPTED = "interrupted"
        FAILED = "failed"

    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    as_of = models.DateTimeField()
    triggered_by = models.CharField(max_length=150)
    host = models.CharField(max_length=100, blank=True)  # with pid: tells a killed run from a running one
    pid = models.PositiveIntegerField(null=True, blank=True)
    counts = models.JSONField(default=dict)  # rule -> rows deleted or anonymized (files for footage)
    held = models.JSONField(default=dict)  # rule -> rows kept back by a legal hold
    batches = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"purge run #{self.pk} ({self.status})"

    @property
    def total(self) -> int:
        """Records removed or anonymized (not notices sent: ``rules.NOT_REMOVALS``)."""
        from .purge_rules import NOT_REMOVALS

        return sum(n for key, n in self.counts.items() if key not in NOT_REMOVALS)
