"""The durable send for messages to staff: queue inside the caller's transaction, send from the worker.

The app that queues a message (``queue``) commits its rows with its own change (the case
that was opened), and the desk's request returns without waiting on any server. The
worker (``quietdesk outbound_worker``) claims each row, sends it on its channel and
records the outcome through ``claims.py``, the state machine alerts' deliveries use:
exactly once through worker crashes, except the one message in flight at a crash, which
is sent again (at least once: see docs/architecture.md, "One way out").

Retry: a server that does not answer, or says "later", is tried again after a growing
wait (15 s doubling to 10 minutes) until the message's ``not_after``; a refusal for good
fails at once. After every attempt the topic's hook (``register``) runs in the same
transaction as the recorded state, so what staff see (the case's notice, its timeline,
the access log) agrees with the row (a hook that fails is logged and undone; the message
is not sent again for it).
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from . import channels as channels_mod
from . import claims, jobs
from .models import Message, MessageState
from .transport import OutMessage, SendResult, SendStatus

log = logging.getLogger(__name__)

KEEP_FINISHED = timedelta(days=30)  # then a finished row goes: its outcome is on what it was about
_HOOKS: dict[str, Callable[[Message], None]] = {}


def register(topic: str, on_recorded: Callable[[Message], None]) -> None:
    """``on_recorded(message)`` runs after each attempt, inside the transaction that records the
    message's new state (registered in the topic's AppConfig.ready())."""
    _HOOKS[topic] = on_recorded


def queue(topic: str, about: str, to: Iterable[tuple[str, str]], subject: str, text: str, *,
          not_after: datetime | None = None) -> list[Message]:
    """One pending row per (channel, recipient), and a job each; inside the caller's transaction."""
    rows = [Message(id=uuid.uuid4(), topic=topic, about=str(about), channel=channel, recipient=recipient,
                    subject=subject[:200], text=text, not_after=not_after) for channel, recipient in to]
    Message.objects.bulk_create(rows)
    for row in rows:
        kick(row.pk)
    return rows


def kick(message_id: uuid.UUID, run_after: datetime | None = None) -> None:
    jobs.enqueue("outbound.send", str(message_id), run_after=run_after)


def about(topic: str, subject_id) -> list[Message]:
    return list(Message.objects.filter(topic=topic, about=str(subject_id)).order_by("created_at", "channel", "id"))


# --- the worker's side ----------------------------------------------------------------


def _record(message: Message, result: SendResult) -> str:
    S, now = SendStatus, timezone.now()
    status = result.status
    with transaction.atomic():
        if status in (S.SENT, S.DELIVERED):
            changes = {"state": str(status), "tracking_id": result.tracking_id[:100], "sent_at": now, "note": "",
                       "next_attempt_at": None}
        elif status in (S.UNREACHABLE, S.RATE_LIMITED) and (message.not_after is None or now < message.not_after):
            wait = timedelta(seconds=result.retry_after) if result.retry_after else claims.backoff(message.attempts)
            changes = {"state": MessageState.PENDING, "next_attempt_at": now + wait,
                       "note": f"{result.note}; trying again at {timezone.localtime(now + wait):%H:%M}"[:200]}
        else:
            note = result.note if status != S.UNREGISTERED else "not on Signal"
            if status in (S.UNREACHABLE, S.RATE_LIMITED):
                note = f"{result.note}; gave up (too late to be of use)"
            changes = {"state": MessageState.FAILED, "note": note[:200], "next_attempt_at": None}
        if not claims.release(Message, message.pk, **changes):
            return "lost"  # recovered by another worker meanwhile: it sends and records
        _after(Message.objects.get(pk=message.pk))
    return str(changes["state"])


def _after(message: Message) -> None:
    """The topic's hook, in a savepoint: a hook that fails is logged and undone, never a reason
    to send again a message that went out."""
    hook = _HOOKS.get(message.topic)
    if hook is None:
        return
    try:
        with transaction.atomic():
            hook(message)
    except Exception:
        log.exception("recording the outcome of an outbound message failed (topic %s)", message.topic)


def send(message_id: uuid.UUID, *, channels: dict | None = None) -> str:
    """Send one message if it is due; returns its new state (or why not). Never raises."""
    claims.recover(Message.objects.filter(pk=message_id))
    if not claims.claim(Message, message_id):
        return "not due"  # sent, being sent by someone else, waiting for its retry, or gone
    message = Message.objects.get(pk=message_id)
    own = channels is None
    channels = channels if channels is not None else channels_mod.open_channels()
    try:
        if message.not_after is not None and timezone.now() >= message.not_after:
            return _record(message, SendResult(SendStatus.REJECTED, note="not sent: too late to be of use"))
        channel = channels.get(message.channel)
        if channel is None:
            return _record(message, SendResult(SendStatus.REJECTED, note="no such channel"))
        out = OutMessage(subject=message.subject, text=message.text, idempotency_key=str(message.pk),
                         origin="notices")
        return _record(message, channel.send(out, message.recipient))
    except Exception:
        # Our own bug or the database: put it back for later rather than lose it.
        log.exception("outbound message failed unexpectedly")
        with contextlib.suppress(Exception):
            claims.release(Message, message.pk, state=MessageState.PENDING,
                           next_attempt_at=timezone.now() + claims.backoff(message.attempts),
                           note="an internal error stopped this send; trying again")
        return MessageState.PENDING
    finally:
        if own:
            for each in channels.values():
                with contextlib.suppress(Exception):
                    each.close()


def next_attempt(message_id: uuid.UUID) -> datetime | None:
    """When a message waiting to retry is due (None if it waits for nothing)."""
    row = Message.objects.filter(pk=message_id, state=MessageState.PENDING).values_list("next_attempt_at", flat=True)
    if not row:
        return None
    return row[0] or timezone.now()


def recover_all() -> dict[str, int]:
    """At worker start: rows a dead worker claimed go back to pending, every pending row without
    a queued job due by its next attempt gets one (a restart adds no spare jobs), and finished
    rows past ``KEEP_FINISHED`` are deleted."""
    requeued = claims.recover(Message.objects.all())
    pending = [(pk, due) for pk, due in Message.objects.filter(state=MessageState.PENDING)
               .values_list("pk", "next_attempt_at")
               if not jobs.waiting("outbound.send", str(pk), by=due or timezone.now())]
    for pk, due in pending:
        kick(pk, run_after=due)
    old = timezone.now() - KEEP_FINISHED
    pruned, _ = Message.objects.filter(state__in=[MessageState.SENT, MessageState.DELIVERED, MessageState.FAILED],
                                       created_at__lt=old).delete()
    return {"messages requeued": requeued, "messages resumed": len(pending), "old messages deleted": pruned}
