"""Statistics releases, the privacy-budget ledger, circulation tallies, the vendor
register and saved privacy audits. None of these holds a patron's data: releases
hold noisy counts, tallies hold per-item-group totals, vendors are companies."""

import uuid

from django.db import models


class Release(models.Model):
    """One differentially private statistics query, as published (noisy counts only).

    Showing or downloading a release again spends nothing: it is post-processing
    of numbers already released.
    """

    kind = models.CharField(max_length=20)
    first_month = models.CharField(max_length=7)  # YYYY-MM
    last_month = models.CharField(max_length=7)
    epsilon_micro = models.PositiveBigIntegerField()  # epsilon x 1e6, exact sums in the ledger
    bound = models.PositiveIntegerField()  # contribution bound (per patron per month), the L1 sensitivity
    scale = models.FloatField()  # discrete Laplace scale
    accuracy95 = models.FloatField()  # 95% of counts are within +/- this of the true count
    rows = models.JSONField(default=list)  # [[key, ..., noisy count], ...]
    columns = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"release #{self.pk} {self.kind}"

    @property
    def epsilon(self) -> float:
        return self.epsilon_micro / 1e6


class BudgetSpend(models.Model):
    """The ledger: epsilon spent on one month of data by one release."""

    month = models.CharField(max_length=7, db_index=True)  # YYYY-MM of the data
    epsilon_micro = models.PositiveBigIntegerField()
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="spends")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["month", "at"]

    def __str__(self) -> str:
        return f"{self.month}: {self.epsilon_micro / 1e6}"


class CirculationTally(models.Model):
    """Items' lifetime loan counts summed per branch and collection on a day (no patron, no item)."""

    day = models.DateField()
    branch_code = models.CharField(max_length=20, blank=True)
    collection = models.CharField(max_length=40)
    loans_total = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "branch_code", "collection"], name="stats_tally_key"),
        ]

    def __str__(self) -> str:
        return f"tally {self.day}"


class Vendor(models.Model):
    """A company that holds patron data for the library. Every field may be left empty:
    an incomplete entry is saved as it is and flagged until someone completes it."""

    class Service(models.TextChoices):
        ILS = "ils", "Library system host (ILS)"
        EBOOKS = "ebooks", "E-book and audiobook platform"
        PRINTING = "printing", "Printing and copying"
        WIFI = "wifi", "Wi-Fi and network"
        DATABASES = "databases", "Online databases"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120, blank=True)
    service = models.CharField(max_length=12, choices=Service.choices, blank=True)
    holds = models.CharField("what they hold", max_length=300, blank=True)
    categories = models.CharField(max_length=200, blank=True)  # comma-separated policy categories
    clauses = models.JSONField(default=dict, blank=True)  # clause key -> True when the contract has it
    contract_ends_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    privacy_policy_url = models.URLField(blank=True)
    contact = models.CharField("vendor contact (role or office)", max_length=200, blank=True)
    notes = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or "unnamed vendor"

    @property
    def category_list(self) -> list[str]:
        return [c for c in self.categories.split(",") if c]


class AuditRun(models.Model):
    """A privacy audit as generated: its data (counts, staff names, pseudonyms and
    field names; never a patron's value). The latest few are kept."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"privacy audit #{self.pk}"
