"""Programs, computer sessions, the camera register and reference follow-up notes.

* A program's registrations hold a first name or nothing, sealed under a key of
  the program's own (its "roster"), with the optional code word. The purge
  destroys the roster key and the rows a few days after the program; the
  program keeps its attendance as a count.
* A computer session is deleted when it ends; only daily counts remain.
* The camera register says which cameras exist, where, and how long their
  footage is kept; the purge deletes older footage files and notes it here.
* A reference follow-up note is its own vault subject and expires.
Database searches are never stored; there is no model for them.
"""

import uuid

from django.db import models

from quietdesk.vault import api as vault


class Program(models.Model):
    class Registration(models.TextChoices):
        NONE = "none", "No registration (walk in)"
        FIRST_NAME = "first_name", "First name only (optional)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=120)
    branch = models.ForeignKey("core.Branch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    ends_on = models.DateField()  # local date of ends_at: what retention and legal holds count from
    registration = models.CharField(max_length=12, choices=Registration.choices, default=Registration.NONE)
    roster_subject = models.UUIDField(null=True, blank=True)  # the vault key sealing registrations + code word
    code_word_ct = models.BinaryField(null=True)
    attendance = models.PositiveIntegerField(null=True, blank=True)  # a count, never a list
    registrations_destroyed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["ends_on"], name="records_program_ends")]

    def __str__(self) -> str:
        return self.title

    @property
    def vault_subject_id(self):
        return self.roster_subject

    @property
    def vault_pseudonym(self) -> str:
        return vault.pseudonym(self.id, "G")


class ProgramRegistration(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="registrations")
    roster_subject = models.UUIDField()  # = program.roster_subject (the key that seals this row)
    first_name_ct = models.BinaryField(null=True)  # None: a seat, no name
    registered_at = models.DateTimeField()

    def __str__(self) -> str:
        return "program registration"

    @property
    def vault_subject_id(self):
        return self.roster_subject

    @property
    def vault_pseudonym(self) -> str:
        return vault.pseudonym(self.id, "R")


class ComputerSession(models.Model):
    """A booked or running session: by card (patron) or by guest pass. Deleted at its end."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    branch = models.ForeignKey("core.Branch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    station = models.CharField(max_length=20)
    patron = models.ForeignKey("patrons.Patron", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    guest_pass = models.CharField(max_length=12, blank=True)  # random, printed on the slip
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    day = models.DateField()  # local date of starts_at, for the daily count and legal holds
    minutes = models.PositiveSmallIntegerField()  # booked length
    ended_at = models.DateTimeField(null=True, blank=True)  # set only when a legal hold keeps the row

    class Meta:
        indexes = [models.Index(fields=["ends_at"], name="records_session_ends")]

    def __str__(self) -> str:
        return f"session on {self.station}"


class ComputerUseDay(models.Model):
    """How many sessions (and minutes) a branch had on a day: all that is kept."""

    branch_code = models.CharField(max_length=20, blank=True)
    day = models.DateField()
    sessions = models.PositiveIntegerField(default=0)
    minutes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["branch_code", "day"], name="records_use_day")]

    def __str__(self) -> str:
        return f"computer use {self.day}"


class Camera(models.Model):
    name = models.CharField(max_length=80)
    location = models.CharField(max_length=120)
    branch = models.ForeignKey("core.Branch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    footage_subdir = models.SlugField(max_length=60, unique=True)  # under the configured footage directory
    retention_days = models.PositiveSmallIntegerField()
    active = models.BooleanField(default=True)
    last_purge_at = models.DateTimeField(null=True, blank=True)
    last_purge_files = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReferenceNote(models.Model):
    """A follow-up note from a reference question: its own vault subject, and it expires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    branch = models.ForeignKey("core.Branch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_on = models.DateField()
    expires_on = models.DateField(db_index=True)
    question_ct = models.BinaryField()
    contact_ct = models.BinaryField(null=True)

    class Meta:
        ordering = ["expires_on"]

    def __str__(self) -> str:
        return "reference follow-up note"

    @property
    def vault_subject_id(self):
        return self.id

    @property
    def vault_pseudonym(self) -> str:
        return vault.pseudonym(self.id, "N")
