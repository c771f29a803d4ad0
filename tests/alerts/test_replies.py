"""Replies to Signal alerts, read from the daemon's event stream (the signal-cli stand-in)."""

from __future__ import annotations

import threading

import pytest
from django.core.management import CommandError, call_command

from quietdesk.alerts import replies, services
from quietdesk.alerts.models import Delivery, DeliveryState, NetworkMember
from quietdesk.audit.models import AccessEntry, RoutineTally
from quietdesk.audit.service import Actor
from quietdesk.vault import api as vault
from tests.audit.helpers import about

from .conftest import drain_jobs
from .helpers import member

pytestmark = pytest.mark.django_db
STAFF = Actor("desk", "circulation")
SALUTE = {"size": "Two agents", "activity": "Asking patrons for papers", "zone": "Main entrance",
          "unit": "Vests", "equipment": "", "certainty": "observed"}
NUMBER = "+15550109999"


def listen_while_replying(signal_server, source: str, text: str, seconds: float = 1.5) -> dict[str, int]:
    """The reply arrives once the listener is connected (the stream has no history)."""
    timer = threading.Timer(0.4, signal_server.inject_reply, args=(source, text))
    timer.start()
    try:
        return replies.listen(seconds=seconds, url=replies.events_url(signal_server.url))
    finally:
        timer.cancel()


@pytest.fixture
def alerted(alert_settings, signal_server, smtp_server):
    """A verifier on Signal who was just sent an unconfirmed report."""
    verifier = member("Ana", "signal", NUMBER, tier=1)
    services.do_file_report(STAFF, SALUTE)
    drain_jobs()
    delivery = Delivery.objects.get(member=verifier)
    assert delivery.state == DeliveryState.SENT
    return verifier, delivery


def test_any_answer_acknowledges_the_latest_alert(alerted, signal_server):
    verifier, delivery = alerted
    told = signal_server.messages_to(NUMBER)[-1].message
    assert "Reply to this message" in told and "Reply STOP to leave the network." in told
    assert listen_while_replying(signal_server, NUMBER, "Recibido, gracias") == {"ack": 1}
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.ACKNOWLEDGED and delivery.acked_at is not None
    # Counted for the listener, never logged per member.
    assert not AccessEntry.objects.filter(action="alert_ack").exists()
    assert RoutineTally.objects.get(action="alert_ack").count == 1
    logged = str(list(AccessEntry.objects.values())) + str(list(RoutineTally.objects.values()))
    assert "Recibido" not in logged and "0109999" not in logged  # neither the text nor the number


def test_a_second_answer_has_nothing_left_to_acknowledge(alerted, signal_server):
    listen_while_replying(signal_server, NUMBER, "ok")
    assert listen_while_replying(signal_server, NUMBER, "ok") == {"nothing to acknowledge": 1}
    assert RoutineTally.objects.get(action="alert_ack").count == 1


def test_stop_removes_the_member_for_good(alerted, signal_server):
    verifier, _ = alerted
    assert listen_while_replying(signal_server, NUMBER, " Stop! ") == {"stop": 1}
    assert not NetworkMember.objects.filter(pk=verifier.pk).exists()
    assert vault.is_shredded(verifier.id)
    assert AccessEntry.objects.filter(action="shred").exists()
    assert not about(verifier.id)


def test_strangers_and_receipts_are_dropped_without_a_trace(alerted, signal_server):
    before = AccessEntry.objects.count()
    assert listen_while_replying(signal_server, "+15550188888", "who is this?") == {"ignored": 1}
    assert replies.handle_event({"envelope": {"sourceNumber": NUMBER, "receiptMessage": {"isDelivery": True}}}) \
        == "ignored"
    assert replies.handle_event("not an event") == "ignored"
    assert AccessEntry.objects.count() == before
    assert Delivery.objects.filter(state=DeliveryState.ACKNOWLEDGED).count() == 0


def test_the_daemon_going_away_is_waited_out(alert_settings, signal_server):
    signal_server.down()
    try:
        assert replies.listen(seconds=0.8, url=replies.events_url(signal_server.url)) == {}
    finally:
        signal_server.up()


def test_without_signal_the_command_says_so(settings):
    settings.QUIETDESK_SIGNAL_RPC_URL = ""
    with pytest.raises(CommandError, match="Signal is off"):
        call_command("alerts_listen", "--seconds", "0.1")


def test_events_url_sits_beside_the_rpc_endpoint():
    assert replies.events_url("http://127.0.0.1:8080/api/v1/rpc") == "http://127.0.0.1:8080/api/v1/events"


def event(*, source=NUMBER, **data):
    return {"envelope": {"sourceNumber": source, "source": source, "dataMessage": {"timestamp": 1, **data}}}


def test_an_answer_quoting_or_reacting_to_an_alert_acknowledges_that_one(alert_settings, signal_server, smtp_server):
    verifier = member("Ana", "signal", NUMBER, tier=1)
    services.do_file_report(STAFF, SALUTE)
    drain_jobs()
    services.do_file_report(STAFF, SALUTE | {"zone": "Parking lot"})
    drain_jobs()
    first, second = Delivery.objects.filter(member=verifier).order_by("created_at")
    assert replies.handle_event(event(message="yes, seen", quote={"id": int(first.tracking_id)})) == "ack"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (DeliveryState.ACKNOWLEDGED, DeliveryState.SENT)
    assert replies.handle_event(event(reaction={"emoji": "👍", "targetSentTimestamp": int(second.tracking_id),
                                                "isRemove": False})) == "ack"
    second.refresh_from_db()
    assert second.state == DeliveryState.ACKNOWLEDGED


def test_a_false_alarm_notice_does_not_absorb_an_answer(alerted):
    verifier, delivery = alerted
    services.do_mark_false(Actor("manager", "person_in_charge"), delivery.broadcast.report)
    drain_jobs()
    # The alert was marked false: nothing there is waiting for an acknowledgement any more.
    assert replies.handle_event(event(message="ok")) == "nothing to acknowledge"
    assert not Delivery.objects.filter(member=verifier, state=DeliveryState.ACKNOWLEDGED).exists()


def test_only_a_direct_stop_leaves_and_halt_words_are_answers(alerted):
    verifier, delivery = alerted
    assert replies.handle_event(event(message="Stop", groupInfo={"groupId": "abc"})) == "ignored"
    assert replies.handle_event(event(message="¡Alto!")) == "ack"
    assert NetworkMember.objects.filter(pk=verifier.pk).exists()


def test_a_database_hiccup_is_retried_and_never_ends_the_listener(alerted, monkeypatch, caplog):
    calls = []
    real = replies.handle_event

    def flaky(evt):
        calls.append(1)
        if len(calls) == 1:
            from django.db import OperationalError
            raise OperationalError("database is locked")
        return real(evt)

    monkeypatch.setattr(replies, "handle_event", flaky)
    assert replies._handle_safely(event(message="ok " + NUMBER)) == "ack"
    monkeypatch.setattr(replies, "handle_event", lambda evt: 1 / 0)
    assert replies._handle_safely(event(message="secret words")) == "failed"
    assert "ZeroDivisionError" in caplog.text and "secret words" not in caplog.text and NUMBER not in caplog.text


def test_the_stream_never_goes_through_a_proxy(alerted, signal_server, monkeypatch):
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # nothing listens there
    assert listen_while_replying(signal_server, NUMBER, "ok") == {"ack": 1}


def test_keep_alives_do_not_keep_the_listener_past_its_time():
    import http.server
    import time

    class KeepAlive(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b":\n\n")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), KeepAlive)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        assert replies.listen(seconds=0.6, url=f"http://127.0.0.1:{server.server_port}/api/v1/events") == {}
        assert time.monotonic() - started < 2
    finally:
        server.shutdown()
