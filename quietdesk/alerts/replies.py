"""Replies to Signal alerts: an answer acknowledges, STOP leaves the network.

signal-cli's HTTP daemon (the one the Signal channel sends through) streams what
arrives as Server-Sent Events on ``/api/v1/events``: ``event:receive`` then
``data:{"envelope": {...}, "account": ...}``. ``quietdesk alerts_listen`` reads
that stream and hands each event to ``handle_event``. Only direct messages from a
member's Signal number count (never a group the library's number is in):

* an answer that quotes one of our alerts, or a reaction to it (a thumbs-up),
  acknowledges that alert, as its one-time link would;
* any other answer acknowledges the newest alert sent to them in the last day
  that asks for acknowledgement (unconfirmed, confirmed or urgent, not expired,
  not marked false) and that they have not acknowledged: an update or an all
  clear does not absorb it;
* a message that is only STOP (or UNSUBSCRIBE, BAJA, DARSE DE BAJA) removes them
  from the network for good, as the director would: their data key is destroyed.
  That is what consent withdrawn means; the access log records it by pseudonym,
  and they can be added again with new consent. Words that might mean "halt"
  (ALTO, PARAR, CANCELAR) are read as answers, not as leaving;
* anything else (receipts, typing, a removed reaction, a number that is not a
  member) is dropped.

The text of a message is never stored or logged, and numbers that are not
members leave no trace. The access log names the member by pseudonym only.
"""

from __future__ import annotations

import http.client
import json
import logging
import time
from datetime import timedelta
from urllib import request

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, count_routine
from quietdesk.vault import reader

from . import conf
from .models import BroadcastKind, Channel, Delivery, DeliveryState, NetworkMember, Stage
from .network import do_remove_member

log = logging.getLogger(__name__)

ACTOR = Actor.system("signal-reply")
ACK_WINDOW = timedelta(days=1)
STOP_WORDS = frozenset({"stop", "unsubscribe", "baja", "darse de baja"})
ASKS_FOR_ACK = (BroadcastKind.UNCONFIRMED, BroadcastKind.CONFIRMED, BroadcastKind.URGENT)
# Sent and accepted by Signal; a delivery still SENDING may not have reached them.
OUTSTANDING = (DeliveryState.SENT, DeliveryState.DELIVERED)
# Never through a proxy: the stream carries members' numbers and words.
_OPENER = request.build_opener(request.ProxyHandler({}))


def events_url(rpc_url: str | None = None) -> str:
    """The daemon's event stream, next to its JSON-RPC endpoint (``.../api/v1/rpc``)."""
    rpc = conf.signal_rpc_url() if rpc_url is None else rpc_url
    if not rpc:
        return ""
    base = rpc.rsplit("/api/v1/", 1)[0] if "/api/v1/" in rpc else rpc.rstrip("/")
    return f"{base}/api/v1/events"


def _member(source: str) -> NetworkMember | None:
    found = reader.find(ACTOR, NetworkMember.objects.filter(channel=Channel.SIGNAL), "address", source,
                        purpose="a Signal reply", log_empty=False)
    return found[0] if found else None


def handle_event(event: object) -> str:
    """One ``receive`` event -> "ack", "stop", "nothing to acknowledge" or "ignored"."""
    envelope = event.get("envelope") if isinstance(event, dict) else None
    data = envelope.get("dataMessage") if isinstance(envelope, dict) else None
    if not isinstance(envelope, dict) or not isinstance(data, dict) or data.get("groupInfo") or data.get("groupV2"):
        return "ignored"
    source = envelope.get("sourceNumber") or envelope.get("source")
    text = data.get("message")
    reaction, quote = data.get("reaction"), data.get("quote")
    target = None  # the send timestamp of the alert they answered (Delivery.tracking_id)
    if isinstance(reaction, dict):
        if reaction.get("isRemove"):
            return "ignored"
        target = reaction.get("targetSentTimestamp")
    elif isinstance(quote, dict):
        target = quote.get("id")
    if not isinstance(source, str) or not source.strip() or (not isinstance(text, str) and target is None):
        return "ignored"
    member = _member(source.strip())
    if member is None:
        return "ignored"
    if target is None and isinstance(text, str) and " ".join(text.casefold().split()).strip(".!¡ ") in STOP_WORDS:
        do_remove_member(ACTOR, member, reason="the member replied STOP on Signal: consent withdrawn")
        return "stop"
    return "ack" if _acknowledge(member, target) else "nothing to acknowledge"


def _acknowledge(member: NetworkMember, target) -> bool:
    now = timezone.now()
    with transaction.atomic():
        waiting = (Delivery.objects.select_for_update()
                   .filter(member=member, channel=Channel.SIGNAL, acked_at__isnull=True, state__in=OUTSTANDING))
        if target is not None:
            waiting = waiting.filter(tracking_id=str(target))
        else:
            waiting = (waiting.filter(created_at__gte=now - ACK_WINDOW, broadcast__kind__in=ASKS_FOR_ACK,
                                      broadcast__report__expires_at__gt=now,
                                      broadcast__report__purged_at__isnull=True)
                       .exclude(broadcast__report__stage=Stage.FALSE))
        latest = waiting.select_related("broadcast__report").order_by("-created_at").first()
        if latest is None:
            return False
        Delivery.objects.filter(pk=latest.pk).update(state=DeliveryState.ACKNOWLEDGED, acked_at=now)
        count_routine(ACTOR, Event.ALERT_ACK)
    return True


def _events(url: str, timeout: float, deadline: float | None):
    """Parse one Server-Sent Events stream into its ``receive`` events' data, until
    the stream ends or the deadline passes (checked on every line: keep-alive
    comments arrive on a quiet stream)."""
    with _OPENER.open(url, timeout=timeout) as stream:
        name, data = "", list[str]()
        for raw in stream:
            if deadline is not None and time.monotonic() >= deadline:
                return
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if not line:
                if data and name in ("", "receive"):
                    try:
                        yield json.loads("\n".join(data))
                    except ValueError:
                        log.warning("signal events: an event that is not JSON was skipped")
                name, data = "", list[str]()
            elif line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip())


def _handle_safely(event) -> str:
    """A database hiccup (locked, restarted) must not end the listener or lose the
    event: one retry on a fresh connection; then it is counted as failed and
    logged by exception type only (the event holds a number and words)."""
    for attempt in (1, 2):
        try:
            return handle_event(event)
        except Exception as exc:  # noqa: BLE001 (anything: the stream must go on)
            if not connection.in_atomic_block:  # drop a connection the database server closed
                close_old_connections()
            if attempt == 2:
                log.error("signal events: an event could not be handled (%s)", type(exc).__name__)
    return "failed"


def listen(*, seconds: float | None = None, url: str | None = None, on_result=None) -> dict[str, int]:
    """Read the stream until ``seconds`` have passed (forever if None), reconnecting
    with a growing pause when the daemon is away. Returns counts by outcome."""
    url = url or events_url()
    if not url:
        raise RuntimeError("Signal is off (QUIETDESK_SIGNAL_RPC_URL is empty): there is nothing to listen to.")
    counts: dict[str, int] = {}
    deadline = None if seconds is None else time.monotonic() + seconds
    pause = 0.5
    while deadline is None or time.monotonic() < deadline:
        # The socket timeout bounds each wait for data, so a silent stream still ends on time.
        left = 30.0 if deadline is None else max(0.05, min(30.0, deadline - time.monotonic()))
        try:
            for event in _events(url, left, deadline):
                outcome = _handle_safely(event)
                counts[outcome] = counts.get(outcome, 0) + 1
                if on_result:
                    on_result(outcome)
                pause = 0.5
            gone = False  # the stream ended (the daemon restarted, or the deadline): connect again
        except TimeoutError:  # nothing at all arrived within the timeout
            continue
        except (OSError, http.client.HTTPException) as exc:  # the daemon is down, restarting, or cut off
            gone = "timed out" not in str(exc)
            if gone:
                log.warning("signal events: %s; retrying in %.1f s", type(exc).__name__, pause)
        if deadline is not None and time.monotonic() >= deadline:
            break
        time.sleep(pause if deadline is None else min(pause, max(0.0, deadline - time.monotonic())))
        if gone:
            pause = min(pause * 2, 30.0)
    return counts
