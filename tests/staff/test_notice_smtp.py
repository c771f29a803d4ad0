"""The director's notice of a staff account change, over a real SMTP server (aiosmtpd)."""

import pytest

from quietdesk.core.models import Branch
from quietdesk.staff import services
from quietdesk.staff.approval import Kind
from quietdesk.staff.models import StaffChange
from tests.jobs import drain_jobs
from tests.personas import make_staff

pytestmark = pytest.mark.django_db


def test_the_director_gets_the_request_by_smtp(smtp_server, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_server.host, smtp_server.port
    settings.QUIETDESK_DIRECTOR_EMAIL = ["director@library.example"]
    smtp_server.clear()
    branch = Branch.objects.create(code="central", name="Central")
    admin = make_staff("admin", "sysadmin")
    director = make_staff("director", "director")
    director.email = "designee@library.example"
    director.save()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.do_request(admin, Kind.CREATE, username="newdesk", role="circulation", branch=branch)
    assert outcome.waiting and outcome.code is None
    assert StaffChange.objects.get().asked_notice == "pending"  # queued: the outbound worker sends it
    drain_jobs()
    messages = smtp_server.wait_for(2)
    for message in messages:  # one message per address
        text = message.message.get_content()
        assert "newdesk" in text and "Circulation staff" in text and "Asked by: admin" in text
    assert sorted(rcpt for m in messages for rcpt in m.rcpt_tos) == ["designee@library.example",
                                                                     "director@library.example"]
    assert StaffChange.objects.get().asked_notice == "sent"
