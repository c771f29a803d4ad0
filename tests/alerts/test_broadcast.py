"""Broadcasts through real servers: SMTP (aiosmtpd), the Signal stand-in, a webhook receiver."""

from __future__ import annotations

import pytest
from django.utils import timezone

from quietdesk.alerts import delivery, services
from quietdesk.alerts.models import Broadcast, Delivery, DeliveryState
from quietdesk.audit.models import AccessEntry, RoutineTally
from quietdesk.audit.service import Actor

from .conftest import drain_jobs
from .helpers import member, network

pytestmark = pytest.mark.django_db
STAFF = Actor("desk", "circulation")
VERIFIER = Actor("manager", "person_in_charge")

SALUTE = {"size": "Two agents", "activity": "Asking patrons for papers at the door", "zone": "Main entrance",
          "unit": "Vests saying POLICE ERO", "equipment": "Black SUV", "certainty": "observed"}


def states(broadcast) -> dict[str, int]:
    out: dict[str, int] = {}
    for state in broadcast.deliveries.values_list("state", flat=True):
        out[state] = out.get(state, 0) + 1
    return out


def test_unconfirmed_goes_to_verifiers_then_everyone_once_confirmed(alert_settings, smtp_server, signal_server):
    verifiers = network(signal=1, email=1, tier=1)
    network(signal=2, email=2, tier=3, start=10)
    report = services.do_file_report(STAFF, SALUTE)
    drain_jobs()
    assert len(signal_server.sent) == 1 and len(smtp_server.messages) == 1
    text = signal_server.sent[0].message
    assert text.startswith("UNCONFIRMED") and "Two agents" in text and "Main entrance" in text
    assert signal_server.sent[0].recipient == "+15550100000"
    # Email is not end-to-end encrypted: code word and time only.
    mail = smtp_server.messages[0].message
    body = mail.get_content()
    assert "BLUE HERON" in mail["Subject"] and "Two agents" not in body and "/alerts/ack/" in body
    assert mail["To"] == "e0@example.org"

    services.do_confirm_report(VERIFIER, report)
    drain_jobs()
    confirmed = Broadcast.objects.get(report=report, kind="confirmed")
    assert states(confirmed) == {"sent": 6}
    assert len(signal_server.sent) == 1 + 3 and len(smtp_server.messages) == 1 + 3
    assert all(m.message.startswith("CONFIRMED") for m in signal_server.sent[1:])
    assert {m.recipient for m in signal_server.sent[1:]} == {"+15550100000", "+15550100010", "+15550100011"}
    # Sending read each address through the vault reader: counted per delivery, never logged per member.
    assert not AccessEntry.objects.filter(action="broadcast_read").exists()
    assert RoutineTally.objects.get(action="broadcast_read").count == 8
    assert verifiers[0].pseudonym in set(Delivery.objects.values_list("member_label", flat=True))


def test_running_a_broadcast_again_sends_nothing_twice(alert_settings, smtp_server, signal_server):
    network(signal=2, email=2, tier=1)
    report = services.do_file_report(STAFF, SALUTE)
    broadcast = report.broadcasts.get()
    delivery.run_broadcast(broadcast.pk)
    delivery.run_broadcast(broadcast.pk)
    drain_jobs()
    assert len(signal_server.sent) == 2 and len(smtp_server.messages) == 2
    assert len({m.message["Message-ID"] for m in smtp_server.messages}) == 2


@pytest.mark.parametrize("trouble", ["rate_limit", "unregistered", "daemon_down"])
def test_signal_trouble_falls_back_to_email(trouble, alert_settings, smtp_server, signal_server):
    m = member("Vera", "signal", "+15550101234", tier=1, fallback="vera@example.org")
    if trouble == "rate_limit":
        signal_server.rate_limit_after = 0
    elif trouble == "unregistered":
        signal_server.unregistered.add("+15550101234")
    else:
        signal_server.down()
    services.do_file_report(STAFF, SALUTE)
    drain_jobs()
    rows = {d.channel: d for d in Delivery.objects.filter(member=m)}
    assert rows["signal"].state == "failed" and "email instead" in rows["signal"].note
    assert rows["email"].state == "sent" and rows["email"].fallback_of_id == rows["signal"].id
    assert [x.rcpt_tos for x in smtp_server.messages] == [["vera@example.org"]]
    assert signal_server.sent == []
    assert "+15550101234" not in rows["signal"].note


def test_rate_limited_without_fallback_waits_the_retry_after(alert_settings, signal_server):
    m = member("Ruth", "signal", "+15550104321", tier=1)
    signal_server.rate_limit_after = 0
    signal_server.retry_after = 90
    services.do_file_report(STAFF, SALUTE)
    drain_jobs()
    row = Delivery.objects.get(member=m)
    assert row.state == "pending" and "rate limit" in row.note
    assert 80 <= (row.next_attempt_at - timezone.now()).total_seconds() <= 91


def test_unreachable_mail_server_is_retried_and_shown_never_lost(alert_settings, smtp_server, settings, client):
    m = member("Ed", "email", "ed@example.org", tier=1)
    good_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    report = services.do_file_report(STAFF, SALUTE)
    drain_jobs()
    row = Delivery.objects.get(member=m)
    assert row.state == "pending" and "did not answer" in row.note and row.next_attempt_at > timezone.now()
    settings.EMAIL_PORT = good_port
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    delivery.run_broadcast(report.broadcasts.get().pk)
    row.refresh_from_db()
    assert row.state == "sent" and row.attempts == 2
    assert len(smtp_server.messages) == 1


def test_webhook_is_signed_coded_and_delivered(alert_settings, webhook_receiver):
    member("Hotline", "webhook", webhook_receiver.url, tier=1)
    services.do_file_report(STAFF, {**SALUTE, "status": "exercise"})
    drain_jobs()
    assert webhook_receiver.rejected == 0
    [hook] = webhook_receiver.received
    assert hook["body"]["code"] == "DRILL BLUE HERON" and "Two agents" not in str(hook["body"])
    assert Delivery.objects.get().state == "delivered"


def test_webhook_with_wrong_secret_is_refused_and_retried(alert_settings, webhook_receiver):
    webhook_receiver.secret = b"another secret"
    member("Hotline", "webhook", webhook_receiver.url, tier=1)
    services.do_file_report(STAFF, SALUTE)
    drain_jobs()
    assert webhook_receiver.rejected == 1
    row = Delivery.objects.get()
    assert row.state == "failed" and "HTTP 401" in row.note


def test_spanish_member_gets_spanish_and_plain_signal_when_code_words_off(alert_settings, signal_server, smtp_server):
    alert_settings.QUIETDESK_ALERT_CODE_WORDS = False
    member("Rosa", "signal", "+15550100777", tier=1, language="es")
    member("Rafa", "email", "rafa@example.org", tier=1, language="es")
    services.do_file_report(STAFF, SALUTE)
    drain_jobs()
    assert signal_server.sent[0].message.startswith("SIN CONFIRMAR") and "Actividad:" in signal_server.sent[0].message
    assert "SIN CONFIRMAR" in smtp_server.messages[0].message.get_content()


def test_update_and_all_clear_reach_everyone_who_was_told(alert_settings, signal_server):
    network(signal=2, email=0, tier=1)
    network(signal=1, email=0, tier=3, start=5)
    report = services.do_file_report(STAFF, SALUTE)
    services.do_confirm_report(VERIFIER, report)
    drain_jobs()
    services.do_follow_up(VERIFIER, report, "update", "The SUV left toward Main Street.")
    services.do_follow_up(VERIFIER, report, "cancel", "")
    drain_jobs()
    updates = [m for m in signal_server.sent if m.message.startswith("UPDATE")]
    clears = [m for m in signal_server.sent if m.message.startswith("ALL CLEAR")]
    assert len(updates) == 3 and "Main Street" in updates[0].message and len(clears) == 3


def test_false_report_stops_and_retracts(alert_settings, signal_server):
    network(signal=2, email=0, tier=1)
    report = services.do_file_report(STAFF, SALUTE)
    drain_jobs()
    services.do_mark_false(VERIFIER, report)
    drain_jobs()
    retractions = [m for m in signal_server.sent if m.message.startswith("FALSE ALARM")]
    assert len(retractions) == 2
    assert not Broadcast.objects.filter(report=report, kind="confirmed").exists()
    with pytest.raises(services.NotAllowedNow):
        services.do_confirm_report(VERIFIER, report)


def test_urgent_says_it_was_not_verified(alert_settings, signal_server):
    network(signal=1, email=0, tier=1)
    network(signal=1, email=0, tier=3, start=3)
    services.do_file_report(VERIFIER, SALUTE, urgent=True)
    drain_jobs()
    assert len(signal_server.sent) == 2
    assert all("NOT VERIFIED" in m.message for m in signal_server.sent)


def test_escalates_to_the_next_tier_when_too_few_acknowledge(alert_settings, signal_server):
    network(signal=1, email=0, tier=1)
    network(signal=1, email=0, tier=2, start=2)
    network(signal=1, email=0, tier=3, start=4)
    report = services.do_file_report(STAFF, SALUTE)
    drain_jobs()
    assert len(signal_server.sent) == 1
    broadcast = report.broadcasts.get()
    Broadcast.objects.filter(pk=broadcast.pk).update(escalate_at=timezone.now())
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    drain_jobs()
    assert [m.recipient for m in signal_server.sent] == ["+15550100000", "+15550100002"]  # tier 3 never
    assert all(m.message.startswith("UNCONFIRMED") for m in signal_server.sent)
    broadcast.refresh_from_db()
    assert broadcast.current_tier == 2 and broadcast.escalate_at is None


def test_acknowledged_in_time_stops_escalation(alert_settings, signal_server):
    network(signal=1, email=0, tier=1)
    network(signal=1, email=0, tier=2, start=2)
    report = services.do_file_report(STAFF, SALUTE)
    drain_jobs()
    row = Delivery.objects.get()
    assert services.do_acknowledge(delivery.ack_token(row.pk))
    Broadcast.objects.filter(report=report).update(escalate_at=timezone.now())
    from quietdesk.alerts import escalation

    assert escalation.check(report.broadcasts.get().pk) == "acknowledged"
    assert len(signal_server.sent) == 1
    row.refresh_from_db()
    assert row.state == DeliveryState.ACKNOWLEDGED and row.acked_at
