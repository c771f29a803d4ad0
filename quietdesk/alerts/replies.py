"""Replies to Signal alerts: an answer acknowledges, STOP leaves the network.

signal-cli's HTTP daemon (the one the Signal channel sends through) streams what
arrives as Server-Sent Events on ``/api/v1/events``: ``event:receive`` then
``data:{"envelope": {...}, "account": ...}``. ``quietdesk alerts_listen`` reads
that stream and hands each event to ``handle_event``:

* a message from a member's Signal number acknowledges the newest alert sent to
  them in the last day that they have not acknowledged yet: any words count
  ("ok", "recibido", a thumbs-up), as the one-time link does;
* a message that is only a stop word (STOP, ALTO, BAJA...) removes them from the
  network for good, as the director would: their data key is destroyed. That is
  what consent withdrawn means here; they can be added again with new consent;
* anything else (receipts, typing, a number that is not a member) is dropped.

The text of a message is never stored or logged, and numbers that are not
members leave no trace. The access log names the member by pseudonym only.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta
from urllib import request

from django.db import transaction
from django.utils import timezone

from quietdesk.audit.service import Actor, append
from quietdesk.vault import reader

from . import conf
from .models import Channel, Delivery, DeliveryState, NetworkMember
from .network import do_remove_member

log = logging.getLogger(__name__)

ACTOR = Actor.system("signal-reply")
ACK_WINDOW = timedelta(days=1)
STOP_WORDS = frozenset({"stop", "unsubscribe", "alto", "baja", "parar", "cancelar", "darse de baja"})
OUTSTANDING = (DeliveryState.SENT, DeliveryState.DELIVERED, DeliveryState.SENDING)


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
    text = data.get("message") if isinstance(data, dict) else None
    source = (envelope or {}).get("sourceNumber") or (envelope or {}).get("source")
    if not isinstance(text, str) or not isinstance(source, str) or not source.strip():
        return "ignored"
    member = _member(source.strip())
    if member is None:
        return "ignored"
    if " ".join(text.casefold().split()).strip(".!¡ ") in STOP_WORDS:
        do_remove_member(ACTOR, member, reason="the member replied STOP on Signal: consent withdrawn")
        return "stop"
    return "ack" if _acknowledge_latest(member) else "nothing to acknowledge"


def _acknowledge_latest(member: NetworkMember) -> bool:
    since = timezone.now() - ACK_WINDOW
    with transaction.atomic():
        latest = (Delivery.objects.select_for_update()
                  .filter(member=member, channel=Channel.SIGNAL, acked_at__isnull=True, state__in=OUTSTANDING,
                          created_at__gte=since)
                  .select_related("broadcast__report").order_by("-created_at").first())
        if latest is None:
            return False
        Delivery.objects.filter(pk=latest.pk).update(state=DeliveryState.ACKNOWLEDGED, acked_at=timezone.now())
        append(ACTOR, action="alert_ack", subject=member.pseudonym, categories=["alert"],
               basis=f"acknowledged {latest.broadcast.report.origin.ref} by a Signal reply")
    return True


def _events(url: str, timeout: float):
    """Parse one Server-Sent Events stream into its ``receive`` events' data."""
    with request.urlopen(url, timeout=timeout) as stream:  # noqa: S310 (a configured loopback URL)
        name, data = "", []
        for raw in stream:
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if not line:
                if data and name in ("", "receive"):
                    try:
                        yield json.loads("\n".join(data))
                    except ValueError:
                        log.warning("signal events: an event that is not JSON was skipped")
                name, data = "", []
            elif line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip())


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
        # The socket timeout bounds each wait for data, so a quiet stream still ends on time.
        left = 30.0 if deadline is None else max(0.05, min(30.0, deadline - time.monotonic()))
        try:
            for event in _events(url, timeout=left):
                outcome = handle_event(event)
                counts[outcome] = counts.get(outcome, 0) + 1
                if on_result:
                    on_result(outcome)
                pause = 0.5
                if deadline is not None and time.monotonic() >= deadline:
                    return counts
            timed_out = False  # the daemon closed the stream (a restart): connect again
        except TimeoutError:  # a quiet stream: nothing arrived within the timeout
            continue
        except OSError as exc:  # the daemon is down or restarting
            timed_out = "timed out" in str(exc)
            if not timed_out:
                log.warning("signal events: %s; retrying in %.1f s", type(exc).__name__, pause)
        if not timed_out:
            time.sleep(pause if deadline is None else min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(pause * 2, 30.0)
    return counts
