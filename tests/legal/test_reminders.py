"""Deadline reminders: before a return date (7 and 2 days) and before a staff member's
copy is due (ICE protocol, Collective bargaining: three calendar days), each once, never
after the deadline, with no details; queued by the run, sent by the outbound worker (run
here with ``drain_jobs``) through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import timezone

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.legal import employee, reminders
from quietdesk.legal.models import Case, CaseEvent, Reminder
from quietdesk.outbound import claims, sending
from quietdesk.outbound.models import Message
from quietdesk.outbound.transport import SendResult, SendStatus
from tests.e2e.conftest import free_port, smtp_server  # noqa: F401 (fixture)
from tests.jobs import drain_jobs, skip_waits
from tests.legal.helpers import open_case

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
DIRECTOR = "director@library.test"


@pytest.fixture
def mail_to_director(settings, smtp_server):  # noqa: F811
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_server.host, smtp_server.port
    settings.EMAIL_TIMEOUT = 5
    settings.QUIETDESK_DIRECTOR_EMAIL = [DIRECTOR]
    settings.QUIETDESK_BASE_URL = "https://quietdesk.library.test"
    smtp_server.clear()
    return smtp_server


def opened(**data) -> Case:
    """A case, without the notice of the request itself (its own tests are in test_desk.py):
    what the SMTP server receives here is reminders only."""
    case = open_case(**data)
    Message.objects.filter(topic="legal.case_notice").delete()
    return case


def subpoena_case(return_in: int, **data) -> Case:
    today = timezone.localdate()
    return opened(requester="law_enforcement", document="grand_jury_subpoena", category="circulation",
                     officer_name="Agent Quill", badge="B-7781", purpose="about patron Ximena Ortolan",
                     return_date=today + return_in * DAY, **data)


def states(case) -> dict[int, str]:
    return dict(Reminder.objects.filter(case=case).values_list("days_before", "state"))


def test_return_date_reminders_fire_before_it_once_each(mail_to_director):
    today = timezone.localdate()
    case = subpoena_case(10)
    # 10 and 8 days ahead: nothing yet.
    for offset in (0, 2):
        assert reminders.run(today + offset * DAY)["queued"] == 0
    drain_jobs()
    assert mail_to_director.messages == []
    # 7 days before: one email; running again that day, or the days after, sends nothing more.
    assert reminders.run(today + 3 * DAY)["queued"] == 1
    assert mail_to_director.messages == []  # the run only queues: the worker sends
    for offset in (3, 4, 5, 6, 7):
        assert reminders.run(today + offset * DAY)["queued"] == 0
    drain_jobs()
    assert len(mail_to_director.wait_for(1)) == 1
    # 2 days before: the second one, once.
    assert reminders.run(today + 8 * DAY)["queued"] == 1
    assert reminders.run(today + 8 * DAY)["already"] == 1
    assert reminders.run(today + 9 * DAY)["queued"] == 0
    # On the return date and after it: nothing (the reminder is for before).
    for offset in (10, 11, 30):
        assert reminders.run(today + offset * DAY) == {"due": 0, "queued": 0, "failed": 0, "already": 0}
    drain_jobs()
    messages = mail_to_director.wait_for(2)
    assert len(messages) == 2
    assert states(case) == {7: "sent", 2: "sent"}
    deadline = (today + 10 * DAY).strftime("%d %b %Y")
    for mail in messages:
        assert mail.rcpt_tos == [DIRECTOR]
        assert mail.message["Subject"] == "quietdesk: a deadline is near - open quietdesk"
        text = mail.message.get_content()
        assert deadline in text and case.pseudonym in text
        assert f"https://quietdesk.library.test/requests/cases/{case.id}/" in text
        # Content-free: no officer, no patron, not even what kind of request or deadline.
        for secret in ("Quill", "B-7781", "Ximena", "Ortolan", "subpoena", "circulation", "staff", "return"):
            assert secret.lower() not in text.lower(), secret
    assert "in 7 day(s)" in messages[0].message.get_content()
    assert "in 2 day(s)" in messages[1].message.get_content()
    # Each sent reminder is on the case's timeline and in the access log, under the case.
    kinds = list(CaseEvent.objects.filter(case=case, kind="reminder").values_list("summary", flat=True))
    assert len(kinds) == 2 and all("emailed to the director" in k for k in kinds)
    assert AccessEntry.objects.filter(action="case_reminder", case_ref=case.pseudonym).count() == 2


def test_a_late_first_run_sends_only_the_nearest(mail_to_director):
    today = timezone.localdate()
    case = subpoena_case(5)
    assert reminders.run(today + 4 * DAY)["queued"] == 1  # 1 day before: both are due, one email
    drain_jobs()
    assert states(case) == {2: "sent", 7: "skipped"}
    assert reminders.run(today + 4 * DAY)["queued"] == 0
    assert "in 2 day(s)" in mail_to_director.wait_for(1)[0].message.get_content()
    assert len(mail_to_director.messages) == 1


def test_closed_or_produced_cases_and_changed_dates(mail_to_director):
    today = timezone.localdate()
    closed = subpoena_case(3)
    Case.objects.filter(pk=closed.pk).update(state="closed")
    produced = subpoena_case(3)
    Case.objects.filter(pk=produced.pk).update(state="produced")
    moved = subpoena_case(3)
    assert reminders.run(today)["queued"] == 1  # only the open one (its 7-day reminder, late: 3 days ahead)
    assert list(Reminder.objects.values_list("case_id", flat=True).distinct()) == [moved.id]
    # The return date is moved: the new date gets its own reminders.
    Case.objects.filter(pk=moved.pk).update(return_date=today + 9 * DAY)
    assert reminders.run(today + 2 * DAY)["queued"] == 1
    drain_jobs()
    assert Reminder.objects.filter(case=moved, deadline=today + 9 * DAY, days_before=7, state="sent").exists()


def test_staff_copy_reminders_until_the_copy_is_recorded(mail_to_director):
    today = timezone.localdate()
    case = opened(requester="immigration_officer", document="administrative_subpoena", category="registration",
                     concerns_staff=True)
    assert case.staff_inform_by == today + 3 * DAY
    assert reminders.run(today)["queued"] == 0  # day 0: the case page prompts; no reminder yet
    assert reminders.run(today + DAY)["queued"] == 1  # two days before the third day
    assert reminders.run(today + 2 * DAY)["queued"] == 1  # one day before
    assert reminders.run(today + 3 * DAY)["due"] == 0  # the day itself: not "before"
    assert sorted(Reminder.objects.filter(case=case, kind="staff_copy").values_list("days_before", flat=True)) == [1, 2]
    drain_jobs()
    assert len(mail_to_director.wait_for(2)) == 2
    # Once the copy is recorded, no more reminders for it.
    other = opened(requester="immigration_officer", concerns_staff=True)
    assert reminders.run(today + DAY)["queued"] == 1
    employee.do_record(Actor.system("test"), other, informed_on=today, copy_on=today, delivered_by="Branch manager")
    assert reminders.run(today + 2 * DAY)["due"] == 1  # the first case's, already sent
    assert not Reminder.objects.filter(case=other, days_before=1).exists()


def test_a_mail_server_that_does_not_answer_is_tried_again_by_the_worker(mail_to_director, settings):
    today = timezone.localdate()
    case = subpoena_case(6)
    settings.EMAIL_PORT = free_port()  # nothing listens there
    assert reminders.run(today)["queued"] == 1
    drain_jobs()
    message = Message.objects.get(topic=reminders.TOPIC)
    assert (message.state, message.attempts) == ("pending", 1)
    assert message.note.startswith("the mail server did not answer; trying again at")
    assert states(case) == {7: "sending"}
    assert reminders.run(today)["already"] == 1  # on its way: the next run does not queue it again
    skip_waits()
    drain_jobs()
    assert Message.objects.get(pk=message.pk).attempts == 2
    settings.EMAIL_PORT = mail_to_director.port
    skip_waits()
    drain_jobs()
    assert len(mail_to_director.wait_for(1)) == 1
    assert states(case) == {7: "sent"}
    assert Message.objects.get(pk=message.pk).state == "sent"
    assert reminders.run(today)["queued"] == 0
    assert len(mail_to_director.messages) == 1


def test_a_reminder_that_failed_is_queued_again_and_its_failure_written_once(mail_to_director):
    today = timezone.localdate()
    case = subpoena_case(6)
    assert reminders.run(today)["queued"] == 1
    # As if the worker had been down until the message was no longer of use: it fails, unsent.
    Message.objects.update(not_after=timezone.now() - DAY)
    drain_jobs()
    assert states(case) == {7: "failed"}
    assert mail_to_director.messages == []
    assert reminders.run(today)["queued"] == 1  # the next run, still before the deadline
    Message.objects.filter(state="pending").update(not_after=timezone.now() - DAY)
    drain_jobs()
    assert states(case) == {7: "failed"}
    assert Reminder.objects.get(case=case).attempts == 2
    # A failure is written once, not at every retry.
    assert AccessEntry.objects.filter(action="case_reminder", basis__contains="not emailed").count() == 1
    assert reminders.run(today)["queued"] == 1
    drain_jobs()
    assert len(mail_to_director.wait_for(1)) == 1
    assert states(case) == {7: "sent"}
    assert reminders.run(today)["queued"] == 0


def test_a_reminder_left_sending_by_a_failed_hook_is_settled_and_queued_again(mail_to_director, monkeypatch):
    """sending._after logs and undoes a hook that fails: the reminder stays 'sending' though its
    message failed. The next run settles it as the hook would have, then queues it again."""
    today = timezone.localdate()
    case = subpoena_case(6)
    assert reminders.run(today)["queued"] == 1
    [message] = Message.objects.filter(topic=reminders.TOPIC)

    class Refusing:
        def send(self, message, recipient):
            return SendResult(SendStatus.REJECTED, note="the mail server refused this address")

    def broken(*a, **k):  # a transient database error while writing the timeline, say
        raise RuntimeError("timeline write failed")

    with monkeypatch.context() as m:
        m.setattr(reminders.timeline, "add_event", broken)
        assert sending.send(message.pk, channels={"email": Refusing()}) == "failed"
    assert states(case) == {7: "sending"}  # nothing reached the director, and nothing says so
    assert reminders.run(today)["queued"] == 1
    assert Reminder.objects.get(case=case).attempts == 2
    assert AccessEntry.objects.filter(action="case_reminder", basis__contains="not emailed").count() == 1
    drain_jobs()
    assert len(mail_to_director.wait_for(1)) == 1
    assert states(case) == {7: "sent"}


def test_a_reminder_still_being_sent_is_not_queued_again(mail_to_director):
    today = timezone.localdate()
    case = subpoena_case(6)
    assert reminders.run(today)["queued"] == 1
    assert reminders.run(today) == {"due": 1, "queued": 0, "failed": 0, "already": 1}  # its message is pending
    assert states(case) == {7: "sending"}


def test_a_worker_that_died_mid_send(mail_to_director):
    """A message left ``sending`` by a worker that is gone is sent again by the next one, once."""
    today = timezone.localdate()
    case = subpoena_case(6)
    assert reminders.run(today)["queued"] == 1
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    Message.objects.update(state="sending", attempts=1, claimed_by=f"{claims._HOST}:{gone.pid}",
                           claimed_until=timezone.now() + claims.LEASE)
    drain_jobs()
    assert len(mail_to_director.wait_for(1)) == 1
    assert Message.objects.get().attempts == 2
    assert states(case) == {7: "sent"}


def test_no_director_address(settings, mail_to_director):
    settings.QUIETDESK_DIRECTOR_EMAIL = []
    case = subpoena_case(2)
    assert reminders.run()["failed"] == 1
    assert "no address" in CaseEvent.objects.get(case=case, kind="reminder").summary


def test_the_command(mail_to_director, capsys):
    subpoena_case(1)
    call_command("legal_reminders", "--dry-run")
    assert "due: 1, queued: 0" in capsys.readouterr().out
    assert not Reminder.objects.exists()
    call_command("legal_reminders")
    assert "due: 1, queued: 1" in capsys.readouterr().out
    call_command("legal_reminders")
    assert "due: 1, queued: 0, failed: 0, already: 1" in capsys.readouterr().out
    drain_jobs()
    assert len(mail_to_director.wait_for(1)) == 1
