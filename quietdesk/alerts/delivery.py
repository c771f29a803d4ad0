"""Sending a broadcast: every recipient exactly once, through worker crashes.

Design notes
------------
A ``Delivery`` row is the unit of work and the source of truth; django-tasks jobs
(``tasks.run_broadcast``) are only "kicks" that make a worker look at a broadcast.
The state machine below is ``outbound/claims.py``, shared with every other message
quietdesk sends (the director's notice, reminders, the network's forwards), and the
channels are ``outbound/channels/``.
A kick that is lost or run twice changes nothing: whoever runs finds the rows
still to send and claims them one by one.

State transitions, each one a single conditional UPDATE committed on its own::

    pending --claim--> sending --record--> sent | delivered | failed | pending (retry later)
                          \\--recover (claimant dead or lease over)--> pending
    sent | delivered --acknowledge--> acknowledged

1. **claim**: ``UPDATE ... SET state='sending', claimed_by=<host:pid>, claimed_until=now+lease
   WHERE id=? AND state='pending'``. One row, committed before anything leaves the
   machine. Two workers can never both claim a row: on PostgreSQL the second
   UPDATE waits for the first and then re-checks ``state='pending'``; SQLite runs
   writes one at a time.
2. **send**: the channel call, outside any transaction, carrying an idempotency key
   derived from the delivery id (email ``Message-ID``, webhook ``Idempotency-Key``,
   JSON-RPC ``id`` for Signal, though signal-cli does not deduplicate on it).
3. **record**: ``UPDATE ... SET state='sent' ... WHERE id=? AND state='sending' AND
   claimed_by=<me>``, with any fallback row (Signal -> email) in the same transaction.
4. **recover**: at worker start (``quietdesk outbound_worker``) and at the start of
   every kick, rows left in ``sending`` by a process that is gone (same host, pid
   not alive) or whose lease ran out go back to ``pending``.

Rows are claimed one at a time, just before their send, so a lease only has to
outlast one channel call (channel timeouts are 10 s; the lease is 120 s). A worker
killed at any point leaves at most one row in ``sending`` (this loop sends one
message at a time): every row before it is recorded, every row after it is still
``pending``.

Residual risk window
--------------------
Between the moment a channel *accepts* a message (the SMTP server's 250 after
DATA, signal-cli's JSON-RPC answer, the webhook's 2xx) and the commit of step 3,
a crash (SIGKILL, power loss) leaves the row in ``sending`` although the message
went out. Recovery then sends it again: **at most one duplicate per crash**, for
the single message that was in flight. We resend rather than drop because a
missed alert can cost someone their freedom and a repeated one costs a glance.
The window lasts as long as one answer takes to come back plus one commit (about
a millisecond on loopback). Email collapses the repeat for clients that thread
by Message-ID; a webhook receiver drops it by Idempotency-Key; Signal has no such
key (signal-cli's ``send`` takes none), so a Signal recipient may see it twice.
A crash *before* the channel accepted (while connecting, before DATA's 354,
before the HTTP request is written) is not in the window: the row is resent
and arrives once.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor
from quietdesk.outbound import channels as channels_mod
from quietdesk.outbound import claims
from quietdesk.outbound.transport import SendResult, SendStatus
from quietdesk.vault import reader

from . import conf, messages
from .models import Broadcast, Channel, Delivery, DeliveryState, NetworkMember

log = logging.getLogger(__name__)

READ_BATCH = 50
ACTOR = Actor.system("alerts-worker")
worker_id = claims.worker_id


def ack_token(delivery_id: uuid.UUID) -> str:
    """The one-time link's secret: derived (so a resend carries the same link), stored only hashed."""
    return salted_hmac("quietdesk.alerts.ack", str(delivery_id), algorithm="sha256").hexdigest()[:43]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_delivery(broadcast: Broadcast, member: NetworkMember, channel: str, **extra) -> Delivery:
    delivery_id = uuid.uuid4()
    return Delivery(id=delivery_id, broadcast=broadcast, member=member, member_label=member.pseudonym,
                    tier=member.tier, channel=channel, ack_token_hash=hash_token(ack_token(delivery_id)), **extra)


def create_deliveries(broadcast: Broadcast, members) -> int:
    """One pending row per member (idempotent: a member already on this broadcast is skipped)."""
    have = set(broadcast.deliveries.values_list("member_id", flat=True))
    rows = [new_delivery(broadcast, m, m.channel) for m in members if m.id not in have]
    Delivery.objects.bulk_create(rows)
    return len(rows)


# --- the state machine ------------------------------------------------------------


def claim(delivery_id: uuid.UUID, now=None) -> bool:
    return claims.claim(Delivery, delivery_id, now)


def _release(delivery: Delivery, **changes) -> bool:
    return claims.release(Delivery, delivery.pk, **changes)


def record(delivery: Delivery, result: SendResult, fallback_email: str | None) -> str:
    """Store what the channel said; returns the new state (for counting)."""
    S, now = SendStatus, timezone.now()
    status = result.status
    with transaction.atomic():
        if status in (S.SENT, S.DELIVERED):
            _release(delivery, state=str(status), tracking_id=result.tracking_id[:100], sent_at=now, note="",
                     next_attempt_at=None)
            return str(status)
        signal_trouble = delivery.channel == Channel.SIGNAL and status in (S.RATE_LIMITED, S.UNREGISTERED, S.UNREACHABLE)
        if signal_trouble and fallback_email and delivery.fallback_of_id is None and delivery.member is not None:
            if _release(delivery, state=DeliveryState.FAILED, note=f"{result.note}: sent by email instead"[:200]):
                fallback = new_delivery(delivery.broadcast, delivery.member, Channel.EMAIL, fallback_of=delivery,
                                        note="fallback from Signal")
                fallback.tier = delivery.tier
                Delivery.objects.bulk_create([fallback], ignore_conflicts=True)
            return DeliveryState.FAILED
        if status == S.RATE_LIMITED or status == S.UNREACHABLE:
            wait = timedelta(seconds=result.retry_after) if result.retry_after else claims.backoff(delivery.attempts)
            _release(delivery, state=DeliveryState.PENDING, next_attempt_at=now + wait,
                     note=f"{result.note}; retrying at {timezone.localtime(now + wait):%H:%M:%S}"[:200])
            return DeliveryState.PENDING
        note = result.note if status != S.UNREGISTERED else "not on Signal and no fallback email"
        _release(delivery, state=DeliveryState.FAILED, note=note[:200])
        return DeliveryState.FAILED


def recover(broadcast_id: uuid.UUID | None = None) -> int:
    """Put back rows whose claimant died (same host) or whose lease ran out."""
    rows = Delivery.objects.all()
    if broadcast_id is not None:
        rows = rows.filter(broadcast_id=broadcast_id)
    return claims.recover(rows)


# --- the loop a kick runs -----------------------------------------------------------


def _due(broadcast_id, now):
    return Delivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), broadcast_id=broadcast_id,
        state=DeliveryState.PENDING,
    )


def _addresses(rows: list[Delivery]) -> dict[uuid.UUID, dict[str, str]]:
    members = {d.member.pk: d.member for d in rows if d.member is not None}
    if not members:
        return {}
    values = reader.read_many(ACTOR, list(members.values()), ["address", "fallback_email"],
                              category="network_member", purpose="broadcast", event=Event.BROADCAST_READ)
    return dict(zip(members.keys(), values, strict=True))


def run_broadcast(broadcast_id: uuid.UUID, *, channels: dict | None = None) -> dict[str, int]:
    """Send every due delivery of one broadcast; returns counts. Safe to run concurrently and repeatedly."""
    recover(broadcast_id)
    own_channels = channels is None
    channels = channels if channels is not None else channels_mod.open_channels()
    counts: dict[str, int] = {}
    try:
        while True:
            now = timezone.now()
            rows = list(_due(broadcast_id, now).select_related("member", "broadcast__report__follows")
                        .order_by("tier", "created_at", "id")[:READ_BATCH])
            if not rows:
                break
            addresses = _addresses(rows)
            for delivery in rows:
                state = _send_one(delivery, addresses.get(delivery.member_id), channels)
                if state:
                    counts[state] = counts.get(state, 0) + 1
    finally:
        if own_channels:
            for channel in channels.values():
                with contextlib.suppress(Exception):
                    channel.close()
    return counts


def _send_one(delivery: Delivery, address: dict | None, channels: dict) -> str | None:
    if not claim(delivery.pk):
        return None  # someone else has it, or it is not due yet
    report = delivery.broadcast.report
    try:
        if report.origin.purged_at is not None or report.origin.expires_at <= timezone.now():
            _release(delivery, state=DeliveryState.FAILED, note="not sent: the report expired first")
            return DeliveryState.FAILED
        if delivery.member is None or address is None:
            _release(delivery, state=DeliveryState.FAILED, note="not sent: the member was removed")
            return DeliveryState.FAILED
        target = address["fallback_email"] if delivery.fallback_of_id else address["address"]
        if not target:
            _release(delivery, state=DeliveryState.FAILED, note="no address for this channel")
            return DeliveryState.FAILED
        message = messages.render(
            report=report, kind=delivery.broadcast.kind, language=delivery.member.language, channel=delivery.channel,
            ack_url=conf.ack_url(ack_token(delivery.pk)), idempotency_key=str(delivery.pk),
        )
        result = channels[delivery.channel].send(message, target)
        return record(delivery, result, address.get("fallback_email"))
    except Exception:
        # Our own bug or the database: put it back for the next kick rather than lose it.
        log.exception("alert delivery failed unexpectedly")
        with contextlib.suppress(Exception):
            _release(delivery, state=DeliveryState.PENDING, next_attempt_at=timezone.now() + claims.backoff(delivery.attempts),
                     note="an internal error stopped this send; retrying")
        return DeliveryState.PENDING


def next_due(broadcast_id: uuid.UUID):
    """When the earliest delivery waiting to retry is due (None if nothing waits)."""
    row = (Delivery.objects.filter(broadcast_id=broadcast_id, state=DeliveryState.PENDING)
           .order_by(F("next_attempt_at").asc(nulls_first=True)).values_list("next_attempt_at", flat=True).first())
    if row is None and not Delivery.objects.filter(broadcast_id=broadcast_id, state=DeliveryState.PENDING).exists():
        return None
    return row or timezone.now()
