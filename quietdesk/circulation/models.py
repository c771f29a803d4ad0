"""Circulation records, minimized.

* A loan exists only while the item is out or a fine on it is owed (or a legal
  hold keeps it). Returning the item deletes it in the same transaction; the
  item keeps a count. Its id is random, and its dates are days.
* Reading history exists only if the patron turns it on, in its own table,
  sealed under the patron's key, shown to the patron alone.
* Holds wait on the shelf under a random shelf code, never a name, and are
  deleted when filled or cancelled.
* An interlibrary loan is deleted when it completes.

Why delete rather than cut the link: an anonymous row stays next to the patron's
other rows (SQLite's row order, PostgreSQL's heap order), so its place could say
whose it was.
"""

import uuid

from django.db import models
from django.db.models import Q

from quietdesk.vault import api as vault


class Item(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", "On the shelf"
        OUT = "out", "Checked out"
        HELD = "held", "On the hold shelf"
        MISSING = "missing", "Missing"

    barcode = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=300)
    branch = models.ForeignKey("core.Branch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AVAILABLE)
    loan_count = models.PositiveIntegerField(default=0)  # the item keeps a count; no one is named
    ils_number = models.BigIntegerField(null=True, blank=True, unique=True)  # the old system's item number

    def __str__(self) -> str:
        return self.barcode


class Loan(models.Model):
    """A checkout, while the item is out or a fine is owed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No plain index on item: the partial unique index below serves every lookup of an
    # item's open loan, and one index fewer is one page fewer written per checkout.
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", db_index=False)
    patron = models.ForeignKey("patrons.Patron", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    out_on = models.DateField(null=True, blank=True)  # cleared with the link
    due_on = models.DateField(null=True, blank=True)  # cleared with the link
    returned_on = models.DateField(null=True, blank=True)
    renewals = models.PositiveSmallIntegerField(default=0)
    fine_cents = models.PositiveIntegerField(default=0)  # what is still owed

    class Meta:
        constraints = [
            # The database itself refuses a second open loan of one item.
            models.UniqueConstraint(fields=["item"], condition=Q(returned_on__isnull=True), name="circ_one_open_loan"),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=False) | (Q(out_on__isnull=False) & Q(due_on__isnull=False)),
                name="circ_open_loan_has_dates",
            ),
        ]
        indexes = [
            # Returned loans only (inventory, purge): a checkout writes nothing here.
            models.Index(fields=["returned_on"], name="circ_loan_returned", condition=Q(returned_on__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"loan {self.id.hex[:8]}"

    @property
    def is_out(self) -> bool:
        return self.returned_on is None


class Hold(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the item"
        READY = "ready", "On the hold shelf"
        FILLED = "filled", "Picked up"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE = (Status.WAITING, Status.READY)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    patron = models.ForeignKey("patrons.Patron", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    shelf_code = models.CharField(max_length=12, blank=True, default="")  # random, set while on the shelf
    self_pickup = models.BooleanField(default=True)  # False: kept behind the desk
    placed_on = models.DateField()
    ready_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shelf_code"], condition=Q(status="ready"), name="circ_unique_shelf_code"),
        ]
        indexes = [models.Index(fields=["status", "placed_on"], name="circ_hold_status")]

    def __str__(self) -> str:
        return f"hold {self.shelf_code or self.id.hex[:8]}"


class CirculationPreference(models.Model):
    """The patron's own choices. Reading history is off unless they turn it on."""

    patron = models.OneToOneField("patrons.Patron", primary_key=True, on_delete=models.CASCADE, related_name="+")
    keep_reading_history = models.BooleanField(default=False)
    self_pickup = models.BooleanField(default=True)

    def __str__(self) -> str:
        return "circulation preferences"


class ReadingHistoryEntry(models.Model):
    """One returned title, for a patron who asked to keep a history. Patron-only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patron = models.ForeignKey("patrons.Patron", on_delete=models.CASCADE, related_name="+")
    title_ct = models.BinaryField()
    returned_on = models.DateField()
    erased_on = models.DateField(null=True, blank=True)  # erased by the patron, kept only under a legal hold

    class Meta:
        indexes = [models.Index(fields=["patron", "returned_on"], name="circ_history_patron")]
        verbose_name_plural = "reading history entries"

    def __str__(self) -> str:
        return "reading history entry"

    @property
    def vault_subject_id(self) -> uuid.UUID:
        return self.patron_id

    @property
    def vault_pseudonym(self) -> str:
        return vault.pseudonym(self.patron_id, "P")


class InterlibraryLoan(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        ARRIVED = "arrived", "Arrived, waiting for the patron"
        COMPLETED = "completed", "Returned to the lender"
        CANCELLED = "cancelled", "Cancelled"

    OPEN = (Status.REQUESTED, Status.ARRIVED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patron = models.ForeignKey("patrons.Patron", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title_ct = models.BinaryField(null=True)  # sealed under the patron's key; removed at completion
    lender = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"interlibrary loan {self.id.hex[:8]}"

    @property
    def vault_subject_id(self) -> uuid.UUID | None:  # None once closed: nothing sealed is left
        return self.patron_id

    @property
    def vault_pseudonym(self) -> str:
        return vault.pseudonym(self.patron_id, "P") if self.patron_id else ""


class SelfCheckMachine(models.Model):
    """A self-check machine or integration allowed to use the JSON API."""

    label = models.SlugField(max_length=40, unique=True)
    branch = models.ForeignKey("core.Branch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the token; the token is shown once
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.label
