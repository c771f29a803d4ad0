"""Rapid response: the consented network, SALUTE reports, broadcasts and per-recipient deliveries.

* A network member's name and addresses are personal data: sealed by the vault
  under the member's own data key (removing a member crypto-shreds it), read
  only through ``quietdesk.vault.reader``. Lookups (duplicates at import) use a
  truncated blind index.
* A report holds what was seen, never who saw it: no reporter, no IP address,
  no device identifier. Its content is purged when it expires.
* A broadcast is one message about a report (UNCONFIRMED to verifiers, CONFIRMED
  or URGENT to everyone, an update, an all clear); a delivery is that message to
  one member over one channel, with its own state machine (see ``delivery.py``).
"""

import uuid

from django.db import models

from quietdesk.vault import api as vault
from quietdesk.vault.models import OwnSubject


class Channel(models.TextChoices):
    SIGNAL = "signal", "Signal"
    EMAIL = "email", "Email"
    WEBHOOK = "webhook", "Webhook"


# Channels that are not end-to-end encrypted get code words (the printed codebook).
NOT_E2EE = frozenset({Channel.EMAIL, Channel.WEBHOOK})


class Language(models.TextChoices):
    EN = "en", "English"
    ES = "es", "Español"


class Tier(models.IntegerChoices):
    VERIFIERS = 1, "1 · Verifiers"
    RESPONDERS = 2, "2 · Rapid responders (lawyers, hotlines)"
    NETWORK = 3, "3 · Wider network"


class NetworkMember(OwnSubject, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pseudonym = models.CharField(max_length=16, unique=True, editable=False)
    consent_on = models.DateField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    language = models.CharField(max_length=4, choices=Language.choices, default=Language.EN)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.NETWORK)
    added_on = models.DateField(auto_now_add=True)

    name_ct = models.BinaryField()
    address_ct = models.BinaryField()  # Signal number or username, email address, or webhook URL
    fallback_email_ct = models.BinaryField(null=True)  # for Signal: email when Signal fails
    address_bidx = models.BigIntegerField(db_index=True)

    SEALED_FIELDS = ("name", "address", "fallback_email")
    BLIND_INDEXES = {"address": ("address_bidx", "exact", ("address",))}

    class Meta:
        ordering = ["tier", "added_on", "pseudonym"]

    def __str__(self) -> str:
        return self.pseudonym


    @staticmethod
    def make_pseudonym(member_id: uuid.UUID) -> str:
        return vault.pseudonym(member_id, "N")


class Certainty(models.TextChoices):
    OBSERVED = "observed", "Observed: I saw it myself"
    LIKELY = "likely", "Likely"
    POSSIBLE = "possible", "Possible: not sure, or someone told me"


class Status(models.TextChoices):
    """CAP 1.2 <status>."""

    ACTUAL = "actual", "Actual: this is really happening"
    EXERCISE = "exercise", "Exercise: a drill"
    TEST = "test", "Test of the system"


class MsgType(models.TextChoices):
    """CAP 1.2 <msgType> (Cancel is shown as "all clear")."""

    ALERT = "alert", "Alert"
    UPDATE = "update", "Update"
    CANCEL = "cancel", "All clear"


class Stage(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "Unconfirmed"
    CONFIRMED = "confirmed", "Confirmed by a verifier"
    URGENT = "urgent", "Sent urgently without verification"
    FALSE = "false", "Marked false"


class Report(models.Model):
    """A SALUTE report. Every field is optional: a report with nothing in it still saves."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ref = models.CharField(max_length=16, unique=True, editable=False)
    size = models.CharField(max_length=200, blank=True)
    activity = models.TextField(max_length=1000, blank=True)
    zone = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=300, blank=True)
    unit = models.CharField(max_length=300, blank=True)
    equipment = models.CharField(max_length=300, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(auto_now_add=True)
    certainty = models.CharField(max_length=10, choices=Certainty.choices, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTUAL)
    msg_type = models.CharField(max_length=8, choices=MsgType.choices, default=MsgType.ALERT)
    follows = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="followups")
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.UNCONFIRMED)
    decided_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    # On the network's own instance (hub): which library sent it, under which of its references.
    source = models.CharField(max_length=64, blank=True)
    source_ref = models.CharField(max_length=16, blank=True)
    source_name = models.CharField(max_length=120, blank=True)  # the library's name, for the message

    CONTENT_FIELDS = ("size", "activity", "zone", "location", "unit", "equipment")

    class Meta:
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return self.ref

    @property
    def origin(self) -> "Report":
        return self.follows or self

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, f) for f in self.CONTENT_FIELDS)


class BroadcastKind(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "UNCONFIRMED, to verifiers"
    CONFIRMED = "confirmed", "CONFIRMED, to everyone"
    URGENT = "urgent", "URGENT without verification, to everyone"
    UPDATE = "update", "Update"
    CANCEL = "cancel", "All clear"
    RETRACT = "retract", "False alarm: disregard"


class Broadcast(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="broadcasts")
    kind = models.CharField(max_length=12, choices=BroadcastKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    current_tier = models.PositiveSmallIntegerField()  # tiers up to this one have been alerted
    max_tier = models.PositiveSmallIntegerField()  # escalation stops here
    escalate_at = models.DateTimeField(null=True, blank=True)
    min_acks = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.report.ref} {self.kind}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"


class Delivery(models.Model):
    """One message to one member over one channel. State transitions: see delivery.py."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries")
    member = models.ForeignKey(NetworkMember, null=True, on_delete=models.SET_NULL, related_name="deliveries")
    member_label = models.CharField(max_length=16)  # the pseudonym, kept after a member is removed
    tier = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    state = models.CharField(max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    tracking_id = models.CharField(max_length=100, blank=True)
    note = models.CharField(max_length=200, blank=True)  # what happened, in words; never an address
    fallback_of = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="fallback")
    ack_token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    acked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tier", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "member", "channel"], name="alerts_one_delivery_per_channel"),
        ]
        indexes = [models.Index(fields=["broadcast", "state"])]

    def __str__(self) -> str:
        return f"{self.member_label} {self.channel} {self.state}"


class ForwardState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Sending"
    SENT = "sent", "Received by the network"
    FAILED = "failed", "Refused by the network"


class Forward(models.Model):
    """A verified report (or its update or all clear) on its way from the library to the
    network's own instance (``QUIETDESK_NETWORK_MODE=remote``; see ``forward.py``).
    Its id is the message id the hub uses to drop a repeat."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="forwards")
    kind = models.CharField(max_length=12, choices=BroadcastKind.choices)
    state = models.CharField(max_length=8, choices=ForwardState.choices, default=ForwardState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)  # what happened, in fixed words

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"forward {self.kind} {self.state}"


class InboundMessage(models.Model):
    """A message id the network's instance has accepted from a library: a repeat is dropped.
    Kept a week (``inbound.KEEP``), longer than any sender retries; no content."""

    sender = models.CharField(max_length=64)
    message_id = models.UUIDField()
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sender", "message_id"], name="alerts_inbound_once"),
        ]

    def __str__(self) -> str:
        return f"inbound {self.sender} {self.message_id}"
