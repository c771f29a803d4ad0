"""The one interface every channel implements: ``send(message, recipient) -> SendResult``.

Each channel lives in its own module under ``channels/`` (Signal, email, webhook) and is
looked up by name (``channels.open_channels()``). A channel never raises for trouble on
the wire: it answers a ``SendResult`` whose status says what the sender should do next
(record it as sent, retry later, fall back, or give up), and whose note is a fixed phrase:
a server's own error text may contain an address and is never copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

TIMEOUT = 10  # seconds, for every channel's network call


class SendStatus(StrEnum):
    SENT = "sent"  # the channel accepted it
    DELIVERED = "delivered"  # the receiving end confirmed it (webhooks)
    RATE_LIMITED = "rate_limited"  # Signal refused for now: fall back
    UNREGISTERED = "unregistered"  # not on Signal: fall back
    UNREACHABLE = "unreachable"  # daemon or server down, or a transient error: retry (Signal: fall back)
    REJECTED = "rejected"  # refused for good (bad address, untrusted identity)


class SendResult:
    """``status, tracking_id = channel.send(message, recipient)``; more detail as attributes."""

    __slots__ = ("status", "tracking_id", "retry_after", "note")

    def __init__(self, status: SendStatus, tracking_id: str = "", *, retry_after: float | None = None,
                 note: str = ""):
        self.status = status
        self.tracking_id = tracking_id
        self.retry_after = retry_after
        self.note = note

    def __iter__(self):
        return iter((self.status, self.tracking_id))

    def __repr__(self) -> str:
        return f"SendResult({self.status}, {self.tracking_id!r}, retry_after={self.retry_after}, note={self.note!r})"


@dataclass(frozen=True)
class OutMessage:
    """One rendered message: what a channel's ``send(message, recipient)`` receives."""

    subject: str
    text: str
    idempotency_key: str  # stable per delivery: Message-ID, Idempotency-Key header, JSON-RPC id
    ack_url: str = ""
    payload: dict = field(default_factory=dict)  # the webhook's JSON body
    coded: bool = False
    origin: str = "alerts"  # names the sender in the email Message-ID (<key@quietdesk.ORIGIN>)


class Transport(Protocol):
    name: str

    def send(self, message: OutMessage, recipient: str) -> SendResult: ...

    def close(self) -> None: ...
