"""Deadline reminders: before a return date (7 and 2 days) and before a staff member's
copy is due (ICE protocol, Collective bargaining: three calendar days), each once, never
after the deadline, with no details, through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.legal import employee, reminders
from quietdesk.legal.models import Case, CaseEvent, Reminder
from tests.e2e.conftest import free_port, smtp_server  # noqa: F401 (fixture)
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


def subpoena_case(return_in: int, **data) -> Case:
    today = timezone.localdate()
    return open_case(requester="law_enforcement", document="grand_jury_subpoena", category="circulation",
                     officer_name="Agent Quill", badge="B-7781", purpose="about patron Ximena Ortolan",
                     return_date=today + return_in * DAY, **data)


def states(case) -> dict[int, str]:
    return dict(Reminder.objects.filter(case=case).values_list("days_before", "state"))


def test_return_date_reminders_fire_before_it_once_each(mail_to_director):
    today = timezone.localdate()
    case = subpoena_case(10)
    # 10 and 8 days ahead: nothing yet.
    for offset in (0, 2):
        assert reminders.run(today + offset * DAY)["sent"] == 0
    assert mail_to_director.messages == []
    # 7 days before: one email; running again that day, or the days after, sends nothing more.
    assert reminders.run(today + 3 * DAY)["sent"] == 1
    for offset in (3, 4, 5, 6, 7):
        assert reminders.run(today + offset * DAY)["sent"] == 0
    assert len(mail_to_director.wait_for(1)) == 1
    # 2 days before: the second one, once.
    assert reminders.run(today + 8 * DAY)["sent"] == 1
    assert reminders.run(today + 8 * DAY)["already"] == 1
    assert reminders.run(today + 9 * DAY)["sent"] == 0
    # On the return date and after it: nothing (the reminder is for before).
    for offset in (10, 11, 30):
        assert reminders.run(today + offset * DAY) == {"due": 0, "sent": 0, "failed": 0, "already": 0}
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
    assert reminders.run(today + 4 * DAY)["sent"] == 1  # 1 day before: both are due, one email
    assert states(case) == {2: "sent", 7: "skipped"}
    assert reminders.run(today + 4 * DAY)["sent"] == 0
    assert "in 2 day(s)" in mail_to_director.wait_for(1)[0].message.get_content()
    assert len(mail_to_director.messages) == 1


def test_closed_or_produced_cases_and_changed_dates(mail_to_director):
    today = timezone.localdate()
    closed = subpoena_case(3)
    Case.objects.filter(pk=closed.pk).update(state="closed")
    produced = subpoena_case(3)
    Case.objects.filter(pk=produced.pk).update(state="produced")
    moved = subpoena_case(3)
    assert reminders.run(today)["sent"] == 1  # only the open one (its 7-day reminder, late: 3 days ahead)
    assert list(Reminder.objects.values_list("case_id", flat=True).distinct()) == [moved.id]
    # The return date is moved: the new date gets its own reminders.
    Case.objects.filter(pk=moved.pk).update(return_date=today + 9 * DAY)
    assert reminders.run(today + 2 * DAY)["sent"] == 1
    assert Reminder.objects.filter(case=moved, deadline=today + 9 * DAY, days_before=7, state="sent").exists()


def test_staff_copy_reminders_until_the_copy_is_recorded(mail_to_director):
    today = timezone.localdate()
    case = open_case(requester="immigration_officer", document="administrative_subpoena", category="registration",
                     concerns_staff=True)
    assert case.staff_inform_by == today + 3 * DAY
    assert reminders.run(today)["sent"] == 0  # day 0: the case page prompts; no reminder yet
    assert reminders.run(today + DAY)["sent"] == 1  # two days before the third day
    assert reminders.run(today + 2 * DAY)["sent"] == 1  # one day before
    assert reminders.run(today + 3 * DAY)["due"] == 0  # the day itself: not "before"
    assert sorted(Reminder.objects.filter(case=case, kind="staff_copy").values_list("days_before", flat=True)) == [1, 2]
    assert len(mail_to_director.wait_for(2)) == 2
    # Once the copy is recorded, no more reminders for it.
    other = open_case(requester="immigration_officer", concerns_staff=True)
    assert reminders.run(today + DAY)["sent"] == 1
    employee.do_record(Actor.system("test"), other, informed_on=today, copy_on=today, delivered_by="Branch manager")
    assert reminders.run(today + 2 * DAY)["due"] == 1  # the first case's, already sent
    assert not Reminder.objects.filter(case=other, days_before=1).exists()


def test_a_failed_email_is_tried_again_and_sent_once(mail_to_director, settings):
    today = timezone.localdate()
    case = subpoena_case(6)
    settings.EMAIL_PORT = free_port()  # nothing listens there
    assert reminders.run(today)["failed"] == 1
    assert reminders.run(today)["failed"] == 1
    assert states(case) == {7: "failed"}
    assert Reminder.objects.get(case=case).attempts == 2
    # A failure is written once, not at every retry.
    assert AccessEntry.objects.filter(action="case_reminder", basis__contains="not emailed").count() == 1
    settings.EMAIL_PORT = mail_to_director.port
    assert reminders.run(today)["sent"] == 1
    assert reminders.run(today)["sent"] == 0
    assert len(mail_to_director.wait_for(1)) == 1
    assert states(case) == {7: "sent"}


def test_a_run_that_died_mid_send(mail_to_director):
    """A row left ``sending`` by a killed run is not sent while its claim holds, then is."""
    today = timezone.localdate()
    case = subpoena_case(6)
    row = Reminder.objects.create(case=case, kind="return_date", deadline=case.return_date, days_before=7,
                                  state="sending", attempts=1, claimed_until=timezone.now() + reminders.LEASE)
    assert reminders.run(today)["already"] == 1
    Reminder.objects.filter(pk=row.pk).update(claimed_until=timezone.now() - DAY)
    assert reminders.run(today)["sent"] == 1
    assert Reminder.objects.get(pk=row.pk).attempts == 2
    assert len(mail_to_director.wait_for(1)) == 1


def test_no_director_address(settings, mail_to_director):
    settings.QUIETDESK_DIRECTOR_EMAIL = []
    case = subpoena_case(2)
    assert reminders.run()["failed"] == 1
    assert "no address" in CaseEvent.objects.get(case=case, kind="reminder").summary


def test_the_command(mail_to_director, capsys):
    subpoena_case(1)
    call_command("legal_reminders", "--dry-run")
    assert "due: 1, sent: 0" in capsys.readouterr().out
    assert not Reminder.objects.exists()
    call_command("legal_reminders")
    assert "due: 1, sent: 1" in capsys.readouterr().out
    call_command("legal_reminders")
    assert "due: 1, sent: 0, failed: 0, already: 1" in capsys.readouterr().out
    assert len(mail_to_director.wait_for(1)) == 1
