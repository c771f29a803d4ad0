"""Channels and the Signal stand-in's protocol, without a database."""

from __future__ import annotations

import http.client
import json
import uuid

import pytest
from django.core.exceptions import ValidationError

from quietdesk.alerts import conf
from quietdesk.alerts.messages import OutMessage, code_word, render
from quietdesk.alerts.models import Report
from quietdesk.alerts.validators import (
    normalize_address,
    normalize_phone,
    normalize_signal,
    normalize_webhook,
)
from quietdesk.outbound.channels import EmailChannel, SignalChannel, WebhookChannel
from quietdesk.outbound.channels.webhook import sign_webhook
from quietdesk.outbound.transport import SendStatus

from .conftest import WEBHOOK_SECRET

pytestmark = pytest.mark.nodb
MSG = OutMessage(subject="RED OAK 15:00", text="CONFIRMED: agents at the door", idempotency_key="k-1",
                 ack_url="http://127.0.0.1:8000/alerts/ack/abc/", payload={"code": "RED OAK"})


def rpc(server, body: bytes, content_type="application/json", method="POST", path="/api/v1/rpc"):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request(method, path, body=body, headers={"Content-Type": content_type})
    resp = conn.getresponse()
    raw = resp.read()
    conn.close()
    return resp.status, (json.loads(raw) if raw else None)


class TestSignalStandIn:
    def test_http_surface(self, signal_server):
        assert rpc(signal_server, b"", method="GET", path="/api/v1/check")[0] == 200
        assert rpc(signal_server, b"", method="GET")[0] == 405
        assert rpc(signal_server, b"{}", content_type="text/plain")[0] == 415
        status, body = rpc(signal_server, b"{not json")
        assert status == 200 and body["error"]["code"] == -32700 and body["id"] is None
        status, body = rpc(signal_server, b'{"jsonrpc":"2.0"}')
        assert body == {"jsonrpc": "2.0", "error": {"code": -32600, "message": "method field must be set",
                                                    "data": None}, "id": None}
        status, body = rpc(signal_server, b'{"jsonrpc":"2.0","method":"nope","id":1}')
        assert body["error"]["code"] == -32601
        # A notification (no id) gets 201 and no body; it is still carried out.
        note = {"jsonrpc": "2.0", "method": "send", "params": {"recipient": ["+15550100001"], "message": "hi"}}
        assert rpc(signal_server, json.dumps(note).encode()) == (201, None)
        assert len(signal_server.sent) == 1

    def test_send_results_and_errors(self, signal_server):
        signal_server.unregistered.add("+15550100002")
        req = {"jsonrpc": "2.0", "method": "send", "id": "a",
               "params": {"recipient": ["+15550100001", "+15550100002"], "message": "hi"}}
        _, body = rpc(signal_server, json.dumps(req).encode())
        types = [r["type"] for r in body["result"]["results"]]
        assert types == ["SUCCESS", "UNREGISTERED_FAILURE"] and body["id"] == "a"
        assert body["result"]["results"][0]["recipientAddress"]["number"] == "+15550100001"
        req["params"]["recipient"] = ["+15550100002"]
        _, body = rpc(signal_server, json.dumps(req).encode())
        assert body["error"]["code"] == -1 and body["error"]["message"] == "Failed to send message"
        assert body["error"]["data"]["response"]["results"][0]["type"] == "UNREGISTERED_FAILURE"
        signal_server.rate_limit_after = 0
        signal_server.proof_required = True
        req["params"]["recipient"] = ["+15550100003"]
        _, body = rpc(signal_server, json.dumps(req).encode())
        result = body["error"]["data"]["response"]["results"][0]
        assert body["error"]["code"] == -5 and result["type"] == "RATE_LIMIT_FAILURE"
        assert result["retryAfterSeconds"] == 60 and uuid.UUID(result["token"])
        req["params"] = {"recipient": "+15550100001", "message": ""}
        assert rpc(signal_server, json.dumps(req).encode())[1]["error"]["code"] == -1
        batch = [{"jsonrpc": "2.0", "method": "version", "id": 1}, {"jsonrpc": "1.0", "method": "version", "id": 2}]
        _, answers = rpc(signal_server, json.dumps(batch).encode())
        assert answers[0]["result"]["version"] and answers[1]["error"]["code"] == -32600

    def test_multi_account(self, signal_server):
        signal_server.accounts.append("+15550109998")
        req = {"jsonrpc": "2.0", "method": "send", "id": 1, "params": {"recipient": ["+15550100001"], "message": "x"}}
        assert rpc(signal_server, json.dumps(req).encode())[1]["error"]["message"] == \
            "Method requires valid account parameter"
        req["params"]["account"] = "+15550000000"
        assert rpc(signal_server, json.dumps(req).encode())[1]["error"]["message"] == "Specified account does not exist"


class TestSignalChannel:
    def test_statuses(self, signal_server):
        channel = SignalChannel(signal_server.url, signal_server.accounts[0])
        status, tracking = channel.send(MSG, "+15550100001")
        assert status == SendStatus.SENT and tracking == str(signal_server.sent[0].timestamp)
        assert signal_server.sent[0].request_id == "k-1" and signal_server.sent[0].message == MSG.text
        signal_server.unregistered.add("+15550100002")
        assert channel.send(MSG, "+15550100002").status == SendStatus.UNREGISTERED
        signal_server.untrusted.add("+15550100003")
        assert channel.send(MSG, "+15550100003").status == SendStatus.REJECTED
        signal_server.unregistered.add("u:gone.01")
        assert channel.send(MSG, "u:gone.01").status == SendStatus.UNREGISTERED
        assert channel.send(MSG, "u:here.42").status == SendStatus.SENT
        signal_server.rate_limit_after = 0
        limited = channel.send(MSG, "+15550100004")
        assert limited.status == SendStatus.RATE_LIMITED and limited.retry_after == 60
        signal_server.down()
        down = channel.send(MSG, "+15550100005")
        assert down.status == SendStatus.UNREACHABLE and "+1555" not in down.note
        channel.close()

    def test_not_configured(self):
        assert SignalChannel("", "").send(MSG, "+15550100001").status == SendStatus.UNREACHABLE


def test_email_channel_sets_the_message_id(smtp_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_server.host, smtp_server.port
    smtp_server.clear()
    channel = EmailChannel()
    status, tracking = channel.send(MSG, "ana@example.org")
    channel.close()
    assert status == SendStatus.SENT and tracking == "<k-1@quietdesk.alerts>"
    [mail] = smtp_server.wait_for(1)
    assert mail.message["Message-ID"] == "<k-1@quietdesk.alerts>" and mail.rcpt_tos == ["ana@example.org"]
    settings.EMAIL_PORT = 1
    assert EmailChannel().send(MSG, "ana@example.org").status == SendStatus.UNREACHABLE


def test_webhook_signature_and_statuses(webhook_receiver):
    channel = WebhookChannel(WEBHOOK_SECRET)
    status, tracking = channel.send(MSG, webhook_receiver.url)
    assert status == SendStatus.DELIVERED and tracking == "k-1"
    channel.send(MSG, webhook_receiver.url)  # a repeat, dropped by the receiver's Idempotency-Key check
    assert len(webhook_receiver.received) == 1 and webhook_receiver.received[0]["body"] == {"code": "RED OAK"}
    webhook_receiver.status = 503
    assert channel.send(MSG, webhook_receiver.url).status == SendStatus.UNREACHABLE
    webhook_receiver.status = 400
    assert channel.send(MSG, webhook_receiver.url).status == SendStatus.REJECTED
    assert WebhookChannel(b"").send(MSG, webhook_receiver.url).status == SendStatus.UNREACHABLE
    assert sign_webhook(b"k", "1", b"{}") == sign_webhook(b"k", "1", b"{}") != sign_webhook(b"k", "2", b"{}")


@pytest.mark.parametrize("raw,want", [("+1 (555) 010-0199", "+15550100199"), ("0044 20 7946 0958", "+442079460958")])
def test_phones(raw, want):
    assert normalize_phone(raw) == want


@pytest.mark.parametrize("raw", ["555-0199", "+0 555 0100", "+1555abc0199", "", "+1234"])
def test_bad_phones(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


def test_addresses():
    assert normalize_signal("Ana.42") == "u:ana.42"
    assert normalize_address("email", "Ana@Example.ORG") == "Ana@example.org"
    assert normalize_webhook("https://hooks.example.org/x") == "https://hooks.example.org/x"
    for bad in ("http://hooks.example.org/x", "https://user:pw@example.org/", "ftp://example.org"):
        with pytest.raises(ValidationError):
            normalize_webhook(bad)
    with pytest.raises(ValidationError):
        normalize_address("email", "not-an-email")


def test_code_words_and_templates(settings, tmp_path):
    assert code_word("confirmed", "actual") == "RED OAK"
    assert code_word("cancel", "exercise") == "DRILL SUNRISE"
    report = Report(ref="R-TEST-0001", size="Two agents", activity="At the door", zone="Parking lot",
                    certainty="observed", status="actual", expires_at=conf.report_lifetime() + _now(),
                    reported_at=_now())
    kwargs = {"report": report, "ack_url": "http://x/alerts/ack/t/", "idempotency_key": "k"}
    signal = render(kind="urgent", language="en", channel="signal", **kwargs)
    assert "NOT VERIFIED" in signal.text and "Two agents" in signal.text and "Certainty: observed" in signal.text
    email = render(kind="urgent", language="es", channel="email", **kwargs)
    assert email.coded and email.text.startswith("RED OAK NOW") and "Two agents" not in email.text
    assert "Abra este enlace" in email.text and email.subject.startswith("RED OAK NOW")
    book = tmp_path / "codebook.json"
    book.write_text(json.dumps({"confirmed": "MANGO"}))
    settings.QUIETDESK_ALERT_CODEBOOK_FILE = str(book)
    assert code_word("confirmed", "test") == "TEST MANGO"
    settings.QUIETDESK_ALERT_CODE_WORDS = False
    assert not render(kind="confirmed", language="en", channel="webhook", **kwargs).coded


def _now():
    from django.utils import timezone

    return timezone.now()
