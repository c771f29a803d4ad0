"""The network's own instance (``QUIETDESK_NETWORK_MODE=hub``) receiving libraries' reports.

``POST /alerts/inbound/`` accepts a message only when:

1. its sender is one of ``QUIETDESK_NETWORK_SENDERS`` and its signature (``signing.py``)
   verifies under that sender's key;
2. its timestamp is within ``QUIETDESK_NETWORK_MAX_SKEW_SECONDS`` of this clock;
3. its message id was never accepted from that sender: ids are kept a week
   (``InboundMessage``), longer than the 5-minute window and than any retry, so a
   replay inside the window and a retry after a lost answer both change nothing.

Anything else gets 401 and the same words, whatever failed (the reason goes to the log,
without content). A signed message with a bad body gets 400 and nothing is kept, its
id included. An accepted report is broadcast here as the library decided it (confirmed,
or urgent and marked unverified); an update or all clear goes to those told about its
report. The sender is named in the access log; the library's reporter never reaches it.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append

from . import conf, signing
from .models import BroadcastKind, Certainty, InboundMessage, MsgType, Report, Stage, Status

log = logging.getLogger(__name__)

KEEP = timedelta(days=7)
REFUSED = {"error": "not accepted"}
_REF = re.compile(r"^[A-Z0-9-]{1,16}$")
LIMITS = {"size": 200, "activity": 1000, "zone": 100, "location": 300, "unit": 300, "equipment": 300}


class BadPayload(ValueError):
    """A signed message whose body is not a report; the message says which field."""


def authenticate(headers: Mapping[str, str], body: bytes, now: float | None = None) -> tuple[str, str] | None:
    """(sender, message id) when the message is signed, fresh and well-formed; else None."""
    sender = headers.get(signing.SENDER) or ""
    stamp = headers.get(signing.TIMESTAMP) or ""
    message_id = headers.get(signing.MESSAGE_ID) or ""
    key = conf.senders().get(sender) if signing.valid_sender(sender) else None
    reason = None
    if key is None:
        reason = "unknown sender"
    elif not stamp.isdigit() or abs((now or time.time()) - int(stamp)) > conf.max_skew():
        reason = "timestamp missing or outside the allowed window"
    elif signing.parse_message_id(message_id) is None:
        reason = "message id missing or malformed"
    elif not signing.check(key, sender, stamp, message_id, body, headers.get(signing.SIGNATURE) or ""):
        reason = "signature does not verify"
    if reason:
        log.warning("network inbound refused: %s", reason)
        return None
    return sender, message_id


def _text(data: dict, field: str, limit: int) -> str:
    value = data.get(field, "")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit or any(ord(c) < 32 and c not in "\n\t" for c in value):
        raise BadPayload(f"{field}: text of at most {limit} characters expected")
    return value.strip()


def _when(data: dict, field: str, *, required: bool) -> datetime | None:
    value = data.get(field)
    if value in (None, "") and not required:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise BadPayload(f"{field}: an ISO 8601 date and time expected") from None
    if parsed.tzinfo is None:
        raise BadPayload(f"{field}: a time zone is needed")
    return parsed


def parse(body: bytes) -> dict:
    """The report in a signed body, checked field by field (raises BadPayload)."""
    import json

    try:
        data = json.loads(body)
    except ValueError:
        raise BadPayload("the body is not JSON") from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise BadPayload("version 1 expected")
    kind = data.get("kind")
    if kind not in (BroadcastKind.CONFIRMED, BroadcastKind.URGENT, BroadcastKind.UPDATE, BroadcastKind.CANCEL):
        raise BadPayload("kind: confirmed, urgent, update or cancel expected")
    out = {"kind": kind}
    for field in ("ref", "origin_ref"):
        value = data.get(field)
        if not isinstance(value, str) or not _REF.match(value):
            raise BadPayload(f"{field}: a report reference expected")
        out[field] = value
    out["library"] = _text(data, "library", 120)
    if data.get("status") not in Status.values:
        raise BadPayload("status: actual, exercise or test expected")
    out["status"] = data["status"]
    certainty = data.get("certainty") or ""
    if certainty and certainty not in Certainty.values:
        raise BadPayload("certainty: observed, likely or possible expected")
    out["certainty"] = certainty
    for field, limit in LIMITS.items():
        out[field] = _text(data, field, limit)
    out["seen_at"] = _when(data, "seen_at", required=False)
    out["expires_at"] = _when(data, "expires_at", required=True)
    return out


def _intake(actor: Actor, sender: str, report: dict) -> str:
    """Broadcast what a library sent; returns what happened, in a word or two."""
    from . import kicks, services

    origin = Report.objects.filter(source=sender, source_ref=report["origin_ref"], follows__isnull=True).first()
    now = timezone.now()
    if report["kind"] in (BroadcastKind.UPDATE, BroadcastKind.CANCEL):
        if origin is None:
            return "unknown report"
        msg_type = MsgType.UPDATE if report["kind"] == BroadcastKind.UPDATE else MsgType.CANCEL
        try:
            services.do_follow_up(actor, origin, msg_type, report["activity"])
        except services.NotAllowedNow:
            return "report expired"
        return "sent to those told"
    if origin is not None:
        return "already received"
    expires = min(report["expires_at"], now + conf.report_lifetime())
    if expires <= now:
        return "report expired"
    stage = Stage.URGENT if report["kind"] == BroadcastKind.URGENT else Stage.CONFIRMED
    new = Report(expires_at=expires, stage=stage, decided_at=now, status=report["status"],
                 certainty=report["certainty"], seen_at=report["seen_at"], source=sender,
                 source_ref=report["origin_ref"], source_name=report["library"] or sender)
    for field in LIMITS:
        setattr(new, field, report[field])
    new.ref = services._ref(new.id)
    new.save(force_insert=True)
    services._to_tiers(new, report["kind"], up_to=services.ALL_TIERS)
    kicks.schedule_purge(new.pk, new.expires_at)
    return f"broadcast as {new.ref}"


def receive(headers: Mapping[str, str], body: bytes) -> tuple[int, dict]:
    """(HTTP status, JSON answer) for one inbound message."""
    who = authenticate(headers, body)
    if who is None:
        return 401, REFUSED
    sender, message_id = who
    try:
        report = parse(body)
    except BadPayload as exc:
        log.warning("network inbound from %s: bad report (%s)", sender, exc)
        return 400, {"error": f"bad report: {exc}"}
    actor = Actor.system(f"network:{sender}")
    with transaction.atomic():
        try:
            with transaction.atomic():
                InboundMessage.objects.create(sender=sender, message_id=message_id)
        except IntegrityError:
            return 200, {"status": "duplicate"}
        outcome = _intake(actor, sender, report)
        append(actor, Event.NETWORK_INBOUND, basis=f"{report['kind']} {report['origin_ref']} from {sender}: {outcome}")
    InboundMessage.objects.filter(received_at__lt=timezone.now() - KEEP).delete()
    return 200, {"status": outcome}
