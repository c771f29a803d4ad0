"""Requests for patron information: cases, their documents and timeline, scoped
productions, and what the other requesters need (a patron's PIN, a third party's
written authorization).

* A case is a vault subject of kind "case": everything a person wrote or said
  (officer name, badge, agency, purpose, statements, notes, document copies, the
  director's reasons, produced packages) is sealed under the case's own data key.
  Plain columns hold only vocabulary words, dates, states and staff references.
* A written authorization belongs to the patron: sealed under the patron's key, so
  deleting the patron destroys it too.
* A PIN is stored only as a password hash (Argon2 in production).
"""

from __future__ import annotations

import uuid
from typing import Protocol

from django.conf import settings
from django.db import models

from quietdesk.policy import vocab
from quietdesk.vault import api as vault
from quietdesk.vault.models import OwnSubject

from . import words


class State(models.TextChoices):
    OPEN = "open", "Open"
    WITH_DIRECTOR = "with_director", "With the director"
    WITH_COUNSEL = "with_counsel", "With counsel"
    DECIDED = "decided", "Decided"
    PRODUCED = "produced", "Records produced"
    REFUSED = "refused", "Refused"
    CLOSED = "closed", "Closed"


class Verdict(models.TextChoices):
    DISCLOSE = "disclose", "Disclose what the order names"
    REFUSE = "refuse", "Refuse (nothing is disclosed)"


def _choices(words_: tuple[str, ...], labels: dict[str, str]) -> list[tuple[str, str]]:
    return [(w, labels.get(w, w)) for w in words_]


class _CaseRow(Protocol):
    case_id: uuid.UUID
    case: Case


class SealedUnderCase:
    """Rows sealed under their case's data key, logged under the case's pseudonym."""

    @property
    def vault_subject_id(self: _CaseRow) -> uuid.UUID:
        return self.case_id

    @property
    def vault_pseudonym(self: _CaseRow) -> str:
        return self.case.pseudonym

    @property
    def vault_case(self: _CaseRow) -> Case:
        return self.case


class Case(OwnSubject, models.Model):
    """One request for patron information (or for a non-public area).

    A case is not a person: the access log names it in plain (``case_ref``), so that
    its entries can be kept while it is open and shown on its page; reads of its
    file are marked when it is under non-disclosure (``vault_case``, read by the reader).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pseudonym = models.CharField(max_length=16, unique=True, editable=False)
    branch = models.ForeignKey("core.Branch", null=True, blank=True, on_delete=models.SET_NULL)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    arrived_at = models.DateTimeField()
    opened_at = models.DateTimeField(auto_now_add=True)

    # What was asked, in the policy's words ("" = the desk did not say).
    requester = models.CharField(
        max_length=32, blank=True, choices=_choices(vocab.REQUESTERS, words.REQUESTER)
    )
    category = models.CharField(
        max_length=32, blank=True, choices=_choices(vocab.ASKABLE, words.CATEGORY)
    )
    document = models.CharField(
        max_length=32, default="none", choices=_choices(vocab.DOCUMENTS, words.DOCUMENT)
    )
    # none | hand | reader | conflict (chosen by hand as judge-signed, the reader did not confirm it)
    document_source = models.CharField(max_length=8, default="none")

    # The policy engine's decision at the desk (vocabulary words only).
    outcome = models.CharField(max_length=8)
    scope = models.CharField(max_length=20)
    actions = models.JSONField(default=list)
    basis = models.JSONField(default=list)

    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    nondisclosure = models.BooleanField(default=False)
    concerns_staff = models.BooleanField(default=False)
    staff_informed_on = models.DateField(null=True, blank=True)
    # The copy of the request given to the staff member it concerns (ICE protocol, Collective
    # bargaining): the day; who handed it over is sealed (staff_copy_by_ct).
    staff_copy_on = models.DateField(null=True, blank=True)
    return_date = models.DateField(null=True, blank=True)

    verdict = models.CharField(max_length=8, blank=True, choices=Verdict.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    notice = models.CharField(max_length=16, default="pending")  # pending | sent | failed | no_address

    officer_name_ct = models.BinaryField(null=True)
    badge_ct = models.BinaryField(null=True)
    agency_ct = models.BinaryField(null=True)
    purpose_ct = models.BinaryField(null=True)
    respond_to_ct = models.BinaryField(null=True)
    decision_support_ct = models.BinaryField(null=True)  # III.C.2.i: what supported disclosure
    staff_copy_by_ct = models.BinaryField(null=True)  # who gave the staff member their copy

    SEALED_FIELDS = ("officer_name", "badge", "agency", "purpose", "respond_to", "decision_support",
                     "staff_copy_by")

    class Meta:
        ordering = ["-arrived_at"]

    def __str__(self) -> str:
        return self.pseudonym


    @staticmethod
    def make_pseudonym(case_id: uuid.UUID) -> str:
        return vault.pseudonym(case_id, "C")

    @property
    def vault_case(self) -> Case:
        return self

    @property
    def staff_inform_by(self):
        """The protocol's bargaining clause: tell the staff member within three calendar days."""
        if not self.concerns_staff:
            return None
        from datetime import timedelta

        from django.utils import timezone

        return timezone.localtime(self.arrived_at).date() + timedelta(days=3)

    @property
    def is_open(self) -> bool:
        return self.state != State.CLOSED


class CaseEvent(SealedUnderCase, models.Model):
    """The case's timeline: what happened, when, by whom; any text sealed."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Request received"
        NOTICE = "notice", "Director notified"
        STATEMENT = "statement", "Officer's statement or action"
        NOTE = "note", "Note"
        DOCUMENT = "document", "Document copied"
        STATE = "state", "State changed"
        DECISION = "decision", "Decision"
        UPDATE = "update", "Details changed"
        SCOPE = "scope", "Production scope set"
        PRODUCED = "produced", "Records produced"
        HOLD = "hold", "Legal hold placed"
        STAFF = "staff", "Staff member informed"
        REMINDER = "reminder", "Reminder"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.CharField(max_length=150)  # staff username or system job
    kind = models.CharField(max_length=16, choices=Kind.choices)
    summary = models.CharField(max_length=200, blank=True)  # fixed phrases, never personal data
    text_ct = models.BinaryField(null=True)

    SEALED_FIELDS = ("text",)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class CaseDocument(SealedUnderCase, models.Model):
    """A copy of a document: what the officer presented, or the order to produce."""

    class Role(models.TextChoices):
        PRESENTED = "presented", "Presented at the desk"
        ORDER = "order", "Copy of the order"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.PRESENTED)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.CharField(max_length=150)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    kind = models.CharField(max_length=32, blank=True)  # what the reader or staff said it is
    filename_ct = models.BinaryField(null=True)
    content_ct = models.BinaryField()  # base64 of the bytes, sealed
    reading_ct = models.BinaryField(null=True)  # the document reader's guidance (JSON), sealed
    # What the reader said the document is, without the people, premises or records it names
    # (``intake.public_facts``): the desk page shows it to the member of staff who took the request.
    facts = models.JSONField(default=dict, blank=True)

    SEALED_FIELDS = ("filename", "content", "reading")

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"document {self.id}"


class Production(SealedUnderCase, models.Model):
    """What a judge-signed order names, and (once produced) the sealed package."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="productions")
    document = models.CharField(max_length=32, choices=_choices(vocab.DOCUMENTS, words.DOCUMENT))
    order = models.ForeignKey(CaseDocument, null=True, on_delete=models.SET_NULL, related_name="+")
    patron = models.ForeignKey("patrons.Patron", null=True, on_delete=models.SET_NULL, related_name="+")
    patron_pseudonym = models.CharField(max_length=16)
    categories = models.JSONField(default=list)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    scoped_by = models.CharField(max_length=150)
    scoped_at = models.DateTimeField(auto_now_add=True)
    # The director's decision to disclose that covers this scope: each scope needs its own.
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    produced_by = models.CharField(max_length=150, blank=True)
    produced_at = models.DateTimeField(null=True, blank=True)
    package_sha256 = models.CharField(max_length=64, blank=True)
    inventory = models.JSONField(default=list)  # [{"path", "bytes", "sha256"}]: no personal data
    hold_ref = models.CharField(max_length=64, blank=True)
    package_ct = models.BinaryField(null=True)

    SEALED_FIELDS = ("package",)

    class Meta:
        ordering = ["scoped_at", "id"]

    def __str__(self) -> str:
        return f"production {self.id}"


class SubpoenaOutcome(models.TextChoices):
    """What the director and counsel decide about a subpoena (roundtable scenario 1; ALA Q&A 26)."""

    COMPELLED = "compelled", "Compelled by law: produce what it names, and only that"
    QUASH = "quash", "Move to quash"
    PROTECTIVE_ORDER = "protective_order", "Protective order sought"
    DECLINE = "decline", "Decline"


class SubpoenaDecision(SealedUnderCase, models.Model):
    """A decision on a subpoena: recorded by one account that may decide cases, with the
    legal basis and counsel's sign-off, and in force only once a second, different such
    account confirms it (the rule is written out in ``subpoena.py``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subpoena_decisions")
    document = models.CharField(max_length=32)  # the subpoena decided on (the case's document then)
    outcome = models.CharField(max_length=16, choices=SubpoenaOutcome.choices)
    proposed_by = models.CharField(max_length=150)
    proposed_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                         related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    counsel_advised_on = models.DateField()
    scope_ids = models.JSONField(default=list)  # the scopes (Production ids) the two people decided on
    confirmed_by = models.CharField(max_length=150, blank=True)
    confirmed_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                          related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    basis_ct = models.BinaryField(null=True)  # the legal basis (privileged: never in a package)
    counsel_ct = models.BinaryField(null=True)  # who advised (counsel's name or office)

    SEALED_FIELDS = ("basis", "counsel")

    class Meta:
        ordering = ["proposed_at", "id"]

    def __str__(self) -> str:
        return f"subpoena decision {self.id}"

    @property
    def in_force(self) -> bool:
        return self.confirmed_at is not None and self.superseded_at is None

    @property
    def pending(self) -> bool:
        return self.confirmed_at is None and self.superseded_at is None


class Reminder(models.Model):
    """One deadline reminder emailed to the director, at most once (``reminders.py``).

    Holds no personal data: which case, which deadline, how many days before it."""

    class Kind(models.TextChoices):
        RETURN_DATE = "return_date", "Return date"
        STAFF_COPY = "staff_copy", "Staff member's copy"

    class State(models.TextChoices):
        SENDING = "sending", "Queued: the worker is sending it"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (tried again at the next run)"
        SKIPPED = "skipped", "Skipped (a nearer reminder went instead)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    deadline = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.SENDING)
    attempts = models.PositiveSmallIntegerField(default=0)  # times queued (a failed one is queued again)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "-days_before"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "deadline", "days_before"], name="legal_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"reminder {self.kind} {self.deadline} -{self.days_before}d"


class PatronCredential(models.Model):
    """A patron's PIN for self-access, set at the desk. Only its hash is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patron = models.OneToOneField("patrons.Patron", on_delete=models.CASCADE, related_name="+")
    pin_hash = models.CharField(max_length=255)
    set_at = models.DateTimeField(auto_now=True)
    set_by = models.CharField(max_length=150)

    def __str__(self) -> str:
        return f"credential {self.id}"


class SignInThrottle(models.Model):
    """Failed patron sign-ins per card blind index (truncated: a few cards share a bucket).

    ``failures`` counts towards a short lock; ``day_failures`` towards a hold that
    only the desk lifts (``held``)."""

    card_bidx = models.BigIntegerField(unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True)
    locked_until = models.DateTimeField(null=True)
    day_failures = models.PositiveIntegerField(default=0)
    day_started_at = models.DateTimeField(null=True)
    held = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"throttle {self.pk}"


class SignInLimit(models.Model):
    """Patron sign-in attempts per window: one row per client (a keyed hash of its
    network address, never the address) and one for everyone together."""

    key = models.CharField(max_length=80, unique=True)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    logged = models.BooleanField(default=False)  # the limit was reached in this window and logged once

    def __str__(self) -> str:
        return f"sign-in limit {self.pk}"


class ThirdPartyAuthorization(models.Model):
    """A patron's written, signed authorization for someone else to see some records."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patron = models.ForeignKey("patrons.Patron", on_delete=models.CASCADE, related_name="+")
    categories = models.JSONField(default=list)
    expires_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.CharField(max_length=150)
    content_type = models.CharField(max_length=40)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Who presented it when it was recorded (a requester word), and the second member
    # of staff (the person in charge) who approved it: nothing is shown before that.
    presented_by = models.CharField(max_length=32, blank=True)
    approved_by = models.CharField(max_length=150, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    holder_name_ct = models.BinaryField(null=True)
    content_ct = models.BinaryField()  # the signed authorization (base64), sealed

    SEALED_FIELDS = ("holder_name", "content")

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"authorization {self.id}"

    @property
    def vault_subject_id(self) -> uuid.UUID:
        return self.patron_id

    @property
    def vault_pseudonym(self) -> str:
        return self.patron.pseudonym
