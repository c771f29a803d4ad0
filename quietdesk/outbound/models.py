"""One row per message to one recipient over one channel: the unit of the durable send."""

from __future__ import annotations

import uuid

from django.db import models


class MessageState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Accepted by the server"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Message(models.Model):
    """A message to a member of staff (the director's notice, ...). Bodies are content-free by
    design: no patron, no officer, nothing a request asked for; the recipient is a staff
    address or number from the configuration, never a patron's. State transitions:
    ``claims.py``; what happens after each: the hook its ``topic`` registered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    topic = models.CharField(max_length=40)  # e.g. legal.case_notice: whose hook records the outcome
    about = models.CharField(max_length=64)  # the id of what it is about (a case), for that hook
    channel = models.CharField(max_length=8)  # a name in channels.CHANNELS
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=200)
    text = models.TextField()
    state = models.CharField(max_length=12, choices=MessageState.choices, default=MessageState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    not_after = models.DateTimeField(null=True, blank=True)  # never sent after this: failed instead
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    tracking_id = models.CharField(max_length=100, blank=True)
    note = models.CharField(max_length=200, blank=True)  # what happened, in fixed words; never an address
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["topic", "about"]), models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.topic} {self.channel} {self.state}"

    @property
    def finished(self) -> bool:
        return self.state in (MessageState.SENT, MessageState.DELIVERED, MessageState.FAILED)
