"""The library's forwarder against a real HTTPS server running the network's receiving view.

The receiving view runs in pytest-django's live server (a real HTTP server on a loopback
port) behind a real TLS terminator (``tls.TlsProxy``); the library's side is
``forward.run`` / ``forward.post`` with the library's settings. Both ends share this test
database (one process), so the hub's settings are on (``hub``) while the library's code
runs; the two-process test (test_network_e2e.py) keeps them apart. Signature, replay,
tampering, stale timestamps and certificate checks are all exercised over the wire.
"""

from __future__ import annotations

import http.client
import json
import re
import ssl
import time
import uuid

import pytest
from django.utils import timezone

from quietdesk.alerts import forward, services, signing
from quietdesk.alerts.models import Broadcast, Delivery, Forward, InboundMessage, Report, Stage
from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor

from .helpers import member
from .tls import TlsProxy, make_certs

SECRET = "k" * 40
STAFF = Actor("desk", "circulation")
VERIFIER = Actor("manager", "person_in_charge")
SALUTE = {"size": "Three agents", "activity": "Waiting by the parking lot exit", "zone": "Parking lot",
          "unit": "ERO vests", "equipment": "Two grey vans", "certainty": "observed"}


@pytest.fixture
def certs(tmp_path):
    return make_certs(tmp_path)


@pytest.fixture
def hub(live_server, settings, certs):
    """This process as the network's instance, reachable over TLS; the library's settings point at it."""
    settings.QUIETDESK_NETWORK_MODE = "hub"
    settings.QUIETDESK_NETWORK_SENDERS = json.dumps({"riverside": SECRET})
    port = int(live_server.url.rsplit(":", 1)[1])
    proxy = TlsProxy(port, certs).start()
    settings.QUIETDESK_NETWORK_HUB_URL = proxy.url()
    settings.QUIETDESK_NETWORK_SECRET = SECRET
    settings.QUIETDESK_NETWORK_SENDER = "riverside"
    settings.QUIETDESK_NETWORK_CA_FILE = str(certs.ca)
    settings.QUIETDESK_ALERT_WEBHOOK_SECRET = "w" * 40
    try:
        yield proxy
    finally:
        proxy.stop()


def confirmed_report() -> Report:
    """A report the library's verifier confirmed, queued for the network as in remote mode."""
    report = services.do_file_report(STAFF, SALUTE)
    Report.objects.filter(pk=report.pk).update(stage=Stage.CONFIRMED, decided_at=timezone.now())
    report.refresh_from_db()
    return report


def raw_post(proxy: TlsProxy, certs, request: bytes) -> tuple[int, bytes]:
    """Send raw HTTP bytes over TLS (a captured message, replayed or altered)."""
    context = ssl.create_default_context(cafile=str(certs.ca))
    conn = http.client.HTTPSConnection("127.0.0.1", proxy.port, context=context, timeout=10)
    conn.connect()
    conn.sock.sendall(request)
    response = http.client.HTTPResponse(conn.sock)
    response.begin()
    body = response.read()
    conn.close()
    return response.status, body


def post(body: bytes, *, secret=SECRET, sender="riverside", timestamp=None, message_id=None, url=None):
    return forward.post(body, message_id or str(uuid.uuid4()), secret=secret.encode(), sender=sender,
                        timestamp=timestamp, url=url)


def valid_body(ref="R-TEST-0001", kind="confirmed", **changes) -> bytes:
    data = {"version": 1, "kind": kind, "ref": ref, "origin_ref": ref, "library": "Riverside Public Library",
            "status": "actual", "certainty": "observed", "size": "Two", "activity": "At the door", "zone": "Entrance",
            "location": "", "unit": "", "equipment": "", "seen_at": None,
            "reported_at": timezone.now().isoformat(),
            "expires_at": (timezone.now() + timezone.timedelta(hours=2)).isoformat()}
    data.update(changes)
    return json.dumps(data, sort_keys=True).encode()


def test_a_confirmed_report_reaches_the_hub_and_is_broadcast(hub, settings, transactional_db):
    members = [member(f"Responder {i}", "webhook", f"https://hooks.example.org/{i}", tier=i % 3 + 1)
               for i in range(3)]
    report = confirmed_report()
    item = forward.enqueue(report, "confirmed")
    assert forward.run(item.pk) == "delivered"
    item.refresh_from_db()
    assert item.state == "sent" and "broadcast as" in item.note
    received = Report.objects.get(source="riverside")
    assert received.source_ref == report.ref and received.stage == "confirmed"
    assert (received.size, received.zone, received.certainty) == ("Three agents", "Parking lot", "observed")
    assert received.source_name == settings.LIBRARY_NAME
    broadcast = Broadcast.objects.get(report=received)
    assert broadcast.kind == "confirmed" and broadcast.current_tier == 3
    assert set(Delivery.objects.filter(broadcast=broadcast).values_list("member_id", flat=True)) == \
        {m.id for m in members}
    assert AccessEntry.objects.filter(action="network_inbound", basis__contains="from riverside").count() == 1
    assert AccessEntry.objects.filter(action="network_forward", basis__contains=report.ref).count() == 1
    # What travelled carries no reporter and the proxy saw only the signed report.
    wire = hub.last_request()
    assert b"X-Quietdesk-Signature: sha256=" in wire and b"Three agents" in wire
    assert b"desk" not in wire.split(b"\r\n\r\n", 1)[1]


def test_replaying_a_captured_message_changes_nothing(hub, certs, transactional_db):
    report = confirmed_report()
    forward.run(forward.enqueue(report, "confirmed").pk)
    captured = hub.last_request()
    assert Report.objects.filter(source="riverside").count() == 1
    status, body = raw_post(hub, certs, captured)
    assert status == 200 and json.loads(body) == {"status": "duplicate"}
    assert Report.objects.filter(source="riverside").count() == 1
    assert Broadcast.objects.filter(report__source="riverside").count() == 1
    # The same bytes with a fresh message id: the id is signed, so it is refused.
    fresh = re.sub(rb"X-Quietdesk-Message-Id: [0-9a-f-]+", f"X-Quietdesk-Message-Id: {uuid.uuid4()}".encode(),
                   captured)
    assert raw_post(hub, certs, fresh)[0] == 401
    # ... or with a fresh timestamp.
    later = re.sub(rb"X-Quietdesk-Timestamp: \d+", f"X-Quietdesk-Timestamp: {int(time.time()) + 1}".encode(), captured)
    assert raw_post(hub, certs, later)[0] == 401
    assert Report.objects.filter(source="riverside").count() == 1


def test_tampering_and_bad_credentials_are_refused(hub, certs, transactional_db):
    report = confirmed_report()
    forward.run(forward.enqueue(report, "confirmed").pk)
    captured = hub.last_request()
    tampered = captured.replace(b"Parking lot", b"Parking lug")
    assert tampered != captured
    status, body = raw_post(hub, certs, tampered)
    assert status == 401 and json.loads(body) == {"error": "not accepted"}
    for result in (
        post(valid_body(), secret="x" * 40),  # wrong key
        post(valid_body(), sender="elsewhere"),  # unknown library
        post(valid_body(), timestamp=str(int(time.time()) - 3600)),  # stale, though correctly signed
        post(valid_body(), timestamp=str(int(time.time()) + 3600)),  # from the future
        post(valid_body(), message_id="not-a-uuid"),
    ):
        assert result.status == "rejected" and "refused the signature" in result.note, result
    assert Report.objects.filter(source="riverside").count() == 1
    assert InboundMessage.objects.count() == 1
    # No headers at all, and the wrong method.
    no_headers = b"POST /alerts/inbound/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" \
                 b"Content-Length: 2\r\nConnection: close\r\n\r\n{}"
    assert raw_post(hub, certs, no_headers)[0] == 401
    assert raw_post(hub, certs, b"GET /alerts/inbound/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")[0] == 405


def test_a_signed_but_bad_report_is_refused_and_its_id_not_spent(hub, transactional_db):
    message_id = str(uuid.uuid4())
    for body in (b"not json", valid_body(kind="unconfirmed"), valid_body(status="rumour"),
                 valid_body(activity="x" * 1001), valid_body(expires_at="tomorrow"), valid_body(ref="<script>")):
        result = post(body, message_id=message_id)
        assert result.status == "rejected" and "HTTP 400" in result.note, body
    assert not InboundMessage.objects.exists() and not Report.objects.exists()
    assert post(valid_body(), message_id=message_id).status == "delivered"
    assert Report.objects.filter(source="riverside").count() == 1
    big = post(b"{" + b" " * (signing.MAX_BODY + 10) + b"}")
    assert big.status == "rejected" and "HTTP 413" in big.note


def test_the_certificate_is_checked(hub, settings, certs, transactional_db):
    settings.QUIETDESK_NETWORK_CA_FILE = str(certs.other_ca)
    report = confirmed_report()
    item = forward.enqueue(report, "confirmed")
    assert forward.run(item.pk).startswith("retry in")
    item.refresh_from_db()
    assert item.state == "pending" and "certificate could not be verified" in item.note
    assert item.next_attempt_at > timezone.now()
    deadline = time.monotonic() + 10  # the proxy's side of the failed handshake ends in its own thread
    while not hub.handshake_failures and time.monotonic() < deadline:
        time.sleep(0.02)
    assert hub.handshake_failures >= 1
    assert not Report.objects.filter(source="riverside").exists()
    # A plain http:// address is never used.
    assert post(valid_body(), url=hub.url().replace("https://", "http://")).status == "rejected"
    settings.QUIETDESK_NETWORK_CA_FILE = str(certs.ca)
    Forward.objects.filter(pk=item.pk).update(next_attempt_at=None)
    assert forward.run(item.pk) == "delivered"


def test_an_all_clear_follows_its_alert_in_order(hub, transactional_db):
    report = confirmed_report()
    first = forward.enqueue(report, "confirmed")
    follow = services.do_follow_up(VERIFIER, report, "cancel", "They left at 16:05.")
    last = forward.enqueue(follow, "cancel")
    assert forward.run(last.pk).startswith("waiting")
    assert Forward.objects.get(pk=last.pk).state == "pending"
    forward.run(first.pk)
    assert forward.run(last.pk) == "delivered"
    origin = Report.objects.get(source="riverside")
    cancel = Report.objects.get(follows=origin)
    assert cancel.msg_type == "cancel" and cancel.activity == "They left at 16:05."
    assert Broadcast.objects.filter(report=cancel, kind="cancel").exists()


def test_the_hub_down_is_retried(hub, settings, transactional_db):
    from tests.e2e.conftest import free_port

    settings.QUIETDESK_NETWORK_HUB_URL = f"https://127.0.0.1:{free_port()}/alerts/inbound/"
    item = forward.enqueue(confirmed_report(), "confirmed")
    assert forward.run(item.pk).startswith("retry in")
    item.refresh_from_db()
    assert (item.state, item.attempts, item.note) == ("pending", 1, "the network's server did not answer")
