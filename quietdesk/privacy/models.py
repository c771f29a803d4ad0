"""The privacy officer's records: the vendor register and the saved privacy audits.
Neither holds a patron's value: vendors are companies; an audit holds counts, staff
names, pseudonyms and field names.

Both tables were made by the stats app and keep their names (``stats_vendor``,
``stats_auditrun``): migration privacy 0001 moved only Django's idea of which app
owns them, so no row was copied or lost.
"""

import uuid

from django.db import models


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
        db_table = "stats_vendor"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or "unnamed vendor"

    @property
    def category_list(self) -> list[str]:
        return [c for c in self.categories.split(",") if c]


class AuditRun(models.Model):
    """A privacy audit: asked for from the page, built by a background job, then its data
    (counts, staff names, pseudonyms and field names; never a patron's value) and its HTML
    and PDF files (owner-only, in QUIETDESK_AUDIT_DIR). The latest few are kept."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Running"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)
    # Who asked, as the access log names them: the job scans as this member of staff.
    requester_role = models.CharField(max_length=40, blank=True)
    requester_branch = models.IntegerField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=200, blank=True)  # an exception's class and step, never data
    data = models.JSONField(default=dict)

    class Meta:
        db_table = "stats_auditrun"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"privacy audit #{self.pk}"
