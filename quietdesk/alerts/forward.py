"""The library's side when the network lives elsewhere (``QUIETDESK_NETWORK_MODE=remote``).

The ICE protocol tells organizers to keep their group "independent of library committees
or other official entities" (Organizing your colleagues), and a member list kept in the
library's database is the library's record, which can be demanded from the library. In
remote mode the library keeps no member list: the organizing group runs its own
quietdesk (``hub``), and the library only sends it reports its staff verified (or that
the person in charge sent as urgent, marked unverified), with their updates and all
clears. Unconfirmed reports stay with the library's own verifiers.

Sending follows the deliveries' design (``delivery.py``): a ``Forward`` row per message
is the unit of work, claimed by a conditional UPDATE committed before the send and
recorded by another after it; django-tasks jobs only say which row to look at; a row
whose claimant died goes back to pending. Its id is the message id: the hub drops a
repeat, so the one message in flight at a crash arrives once. A report's forwards go in
order (an all clear never overtakes its alert). Each request is signed (``signing.py``),
sent over TLS only, and checked against ``QUIETDESK_NETWORK_CA_FILE`` when the group's
server has its own certificate authority.
"""

from __future__ import annotations

import http.client
import json
import logging
import ssl
import time
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.outbound import claims
from quietdesk.outbound.transport import SendResult, SendStatus

from . import conf, kicks, signing
from .models import BroadcastKind, Forward, ForwardState, Report

log = logging.getLogger(__name__)

ACTOR = Actor.system("network-forward")
MAX_BACKOFF = timedelta(minutes=5)
TIMEOUT = 10
FORWARDED = frozenset({BroadcastKind.CONFIRMED, BroadcastKind.URGENT, BroadcastKind.UPDATE, BroadcastKind.CANCEL})
PAYLOAD_VERSION = 1


def enqueue(report: Report, kind: str) -> Forward:
    """Queue one message for the network, inside the caller's transaction."""
    forward = Forward.objects.create(report=report, kind=kind)
    kicks.kick_forward(forward.pk)
    return forward


def was_forwarded(report: Report) -> bool:
    return report.origin.forwards.exists()


def payload(forward: Forward, now=None) -> dict | None:
    """What the hub receives: the SALUTE report as the verifier saw it; never who reported it.
    None once the report has expired (its content is deleted then)."""
    report = forward.report
    origin = report.origin
    now = now or timezone.now()
    if origin.purged_at is not None or report.purged_at is not None or origin.expires_at <= now:
        return None
    return {
        "version": PAYLOAD_VERSION,
        "kind": forward.kind,
        "ref": report.ref,
        "origin_ref": origin.ref,
        "library": settings.LIBRARY_NAME,
        "status": origin.status,
        "certainty": report.certainty,
        **{f: getattr(report, f) for f in Report.CONTENT_FIELDS},
        "seen_at": report.seen_at.isoformat() if report.seen_at else None,
        "reported_at": report.reported_at.isoformat(),
        "expires_at": origin.expires_at.isoformat(),
    }


def _context() -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=settings.QUIETDESK_NETWORK_CA_FILE or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def post(body: bytes, message_id: str, *, url: str | None = None, secret: bytes | None = None,
         sender: str | None = None, timestamp: str | None = None) -> SendResult:
    """Sign and POST one message to the hub over TLS. Never raises for network trouble."""
    url = url or conf.hub_url()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return SendResult(SendStatus.REJECTED, note="the network's address is not an https:// URL")
    headers = signing.headers(conf.network_secret() if secret is None else secret, sender or conf.sender_name(),
                              timestamp or str(int(time.time())), message_id, body)
    conn = http.client.HTTPSConnection(parts.hostname, parts.port or 443, timeout=TIMEOUT, context=_context())
    try:
        conn.request("POST", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), body=body,
                     headers=headers)
        resp = conn.getresponse()
        answer = resp.read(4096)
    except ssl.SSLCertVerificationError:
        return SendResult(SendStatus.UNREACHABLE, note="the network's TLS certificate could not be verified")
    except (ssl.SSLError, TimeoutError, OSError, http.client.HTTPException):
        return SendResult(SendStatus.UNREACHABLE, note="the network's server did not answer")
    finally:
        conn.close()
    if 200 <= resp.status < 300:
        try:
            said = str(json.loads(answer).get("status", ""))[:40]
        except (ValueError, AttributeError):
            said = ""
        return SendResult(SendStatus.DELIVERED, message_id, note=f"received by the network ({said or 'ok'})")
    if resp.status in (408, 425, 429) or resp.status >= 500:
        return SendResult(SendStatus.UNREACHABLE, note=f"the network answered HTTP {resp.status}; retrying")
    if resp.status in (401, 403):
        return SendResult(SendStatus.REJECTED, note="the network refused the signature: check the shared key "
                                                    "(QUIETDESK_NETWORK_SECRET), the sender name and the clock")
    return SendResult(SendStatus.REJECTED, note=f"the network refused the message (HTTP {resp.status})")


# --- the state machine (as delivery.py) -----------------------------------------------


def _blocked(forward: Forward) -> bool:
    """An earlier message about the same report still on its way: wait for it."""
    origin = forward.report.origin
    return Forward.objects.filter(
        Q(report=origin) | Q(report__follows=origin), created_at__lt=forward.created_at,
        state__in=[ForwardState.PENDING, ForwardState.SENDING],
    ).exists()


def claim(forward_id: uuid.UUID, now=None) -> bool:
    return claims.claim(Forward, forward_id, now)


def recover(now=None) -> int:
    """Rows a dead or timed-out sender left in ``sending`` go back to pending."""
    return claims.recover(Forward.objects.all(), note=None, now=now)


def _record(forward: Forward, result: SendResult) -> timedelta | None:
    """Write the outcome; returns the wait before a retry, or None when done."""
    mine = claims.mine(Forward, forward.pk)
    with transaction.atomic():
        if result.status in (SendStatus.SENT, SendStatus.DELIVERED):
            if mine.update(state=ForwardState.SENT, sent_at=timezone.now(), note=result.note[:200], claimed_by=""):
                append(ACTOR, Event.NETWORK_FORWARD,
                       basis=f"{forward.report.origin.ref}: {forward.kind} {result.note}"[:300])
                for later in Forward.objects.filter(
                        Q(report=forward.report.origin) | Q(report__follows=forward.report.origin),
                        state=ForwardState.PENDING).values_list("pk", flat=True):
                    kicks.kick_forward(later)
            return None
        if result.status == SendStatus.REJECTED:
            if mine.update(state=ForwardState.FAILED, note=result.note[:200], claimed_by=""):
                append(ACTOR, Event.NETWORK_FORWARD,
                       basis=f"{forward.report.origin.ref}: {forward.kind} not sent: {result.note}"[:300])
            return None
        wait = min(timedelta(seconds=5 * 2 ** min(forward.attempts, 10)), MAX_BACKOFF)
        mine.update(state=ForwardState.PENDING, note=result.note[:200], claimed_by="",
                    next_attempt_at=timezone.now() + wait)
        return wait


def run(forward_id: uuid.UUID) -> str:
    """Send one queued message if it is due; the job for ``tasks.send_forward``."""
    recover()
    forward = Forward.objects.select_related("report__follows").filter(pk=forward_id).first()
    if forward is None:
        return "gone"
    if forward.state != ForwardState.PENDING:
        return forward.state
    if _blocked(forward):
        return "waiting for an earlier message about the same report"
    if forward.next_attempt_at and forward.next_attempt_at > timezone.now():
        kicks.kick_forward(forward.pk, run_after=forward.next_attempt_at)
        return "not yet"
    if not claim(forward.pk):
        return "taken"
    body = payload(forward)
    if body is None:
        result = SendResult(SendStatus.REJECTED, note="the report expired before the network could be reached")
    else:
        result = post(json.dumps(body, sort_keys=True).encode("utf-8"), str(forward.pk))
    wait = _record(forward, result)
    if wait is not None:
        kicks.kick_forward(forward.pk, run_after=timezone.now() + wait)
        return f"retry in {int(wait.total_seconds())} s"
    return result.status


def resume() -> int:
    """Kick every forward still pending (after a restart)."""
    pending = list(Forward.objects.filter(state=ForwardState.PENDING).values_list("pk", "next_attempt_at"))
    for pk, due in pending:
        kicks.kick_forward(pk, run_after=due)
    return len(pending)
