"""The durable send for messages to staff: retry, give up, refuse, recover, and tidy up."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from quietdesk.outbound import claims, sending, worker
from quietdesk.outbound.models import Message
from quietdesk.outbound.transport import SendResult, SendStatus
from tests.e2e.conftest import free_port
from tests.jobs import drain_jobs, skip_waits

pytestmark = pytest.mark.django_db
TOPIC = "test.topic"


class Refusing:
    name = "email"

    def __init__(self, status=SendStatus.REJECTED, note="the mail server refused this address"):
        self.status, self.note, self.calls = status, note, 0

    def send(self, message, recipient):
        self.calls += 1
        return SendResult(self.status, note=self.note)

    def close(self):
        pass


@pytest.fixture
def seen():
    outcomes: list[tuple[str, int]] = []
    sending.register(TOPIC, lambda m: outcomes.append((m.state, m.attempts)))
    return outcomes


def queue(**kwargs) -> Message:
    [row] = sending.queue(TOPIC, "x", [("email", "director@library.test")], "subject", "text", **kwargs)
    return row


def test_queued_rows_are_sent_by_the_job_and_the_hook_sees_it(seen):
    row = queue()
    assert mail.outbox == []  # queueing sends nothing
    drain_jobs()
    assert [m.to for m in mail.outbox] == [["director@library.test"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<{row.pk}@quietdesk.notices>"
    assert Message.objects.get().state == "sent"
    assert seen == [("sent", 1)]


def test_a_refusal_fails_at_once_and_is_not_retried(seen):
    row = queue()
    channel = Refusing()
    assert sending.send(row.pk, channels={"email": channel}) == "failed"
    assert sending.send(row.pk, channels={"email": channel}) == "not due"
    assert channel.calls == 1
    assert Message.objects.get().note == "the mail server refused this address"
    assert seen == [("failed", 1)]


def test_a_server_that_does_not_answer_is_retried_until_not_after(seen):
    row = queue(not_after=timezone.now() + datetime.timedelta(hours=1))
    channel = Refusing(SendStatus.UNREACHABLE, "the mail server did not answer")
    assert sending.send(row.pk, channels={"email": channel}) == "pending"
    row.refresh_from_db()
    assert row.next_attempt_at > timezone.now() and row.note.startswith("the mail server did not answer; trying again")
    assert sending.send(row.pk, channels={"email": channel}) == "not due"  # waits for its retry
    Message.objects.update(next_attempt_at=None, not_after=timezone.now() - datetime.timedelta(seconds=1))
    assert sending.send(row.pk, channels={"email": channel}) == "failed"
    assert channel.calls == 1  # too late to be of use: not sent again
    assert seen == [("pending", 1), ("failed", 2)]


def test_a_claim_of_a_dead_worker_is_recovered_and_finished_rows_go_after_30_days(seen):
    row = queue()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    Message.objects.update(state="sending", attempts=1, claimed_by=f"{claims._HOST}:{gone.pid}",
                           claimed_until=timezone.now() + claims.LEASE)
    old = queue()
    Message.objects.filter(pk=old.pk).update(state="sent", created_at=timezone.now() - datetime.timedelta(days=31))
    summary = worker.recover_all()
    assert summary["messages requeued"] == 1 and summary["old messages deleted"] == 1
    skip_waits()
    drain_jobs()
    assert Message.objects.get().pk == row.pk and Message.objects.get().state == "sent"
    assert len(mail.outbox) == 1


def _live_jobs() -> int:
    return DBTaskResult.objects.filter(status="READY").count()


def test_worker_restarts_do_not_multiply_a_pending_messages_jobs(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    queue(not_after=timezone.now() + datetime.timedelta(days=1))
    sending.recover_all()  # the worker restarted
    sending.recover_all()  # and again
    assert _live_jobs() == 1  # the queued job is enough: a restart adds none
    drain_jobs()  # the one attempt fails (nothing listens): the message waits for its retry
    assert Message.objects.get().state == "pending"
    assert _live_jobs() == 1, "one job, for the retry"


def test_a_spare_job_that_finds_its_message_not_due_does_not_requeue_itself(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    row = queue(not_after=timezone.now() + datetime.timedelta(days=1))
    sending.kick(row.pk)  # spares, as a worker restart made them before
    sending.kick(row.pk)
    drain_jobs()
    assert Message.objects.get().state == "pending"
    assert _live_jobs() == 1, "the retry's job only"
    # A spare left alone (the retry's job was lost) still keeps the message alive.
    DBTaskResult.objects.all().delete()
    sending.kick(row.pk)
    drain_jobs()
    assert _live_jobs() == 1
