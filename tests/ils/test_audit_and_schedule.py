"""The privacy audit's Koha section, and the schedule's [koha] section."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.privacy.audit_report import audit_pdf as pdf
from quietdesk.privacy.audit_report import build, files
from quietdesk.retention import schedule
from tests.privacy.test_audit_report import pdf_text


@pytest.mark.django_db
def test_the_privacy_audit_has_a_koha_section_when_a_koha_is_configured(koha, settings, tmp_path):
    data = build.build(Actor.system("privacy-audit"))
    section = data["koha"]
    assert not section["error"] and section["summary"]["past_retention"] > 0
    assert data["summary"]["koha_past_retention"] == section["summary"]["past_retention"]
    assert any(f["table"] == "old_issues" and f["past_retention"] for f in section["findings"])
    assert all(f["severity"] not in ("ok", "info") or f["kind"] == "table" for f in section["findings"])
    html = files.html(data)
    assert "7. The library&#x27;s Koha" in html or "7. The library's Koha" in html
    assert "IssueLog" in html and "219-09-9999" not in html
    text = pdf_text(pdf.render(data))[1]
    assert "The library's Koha" in text and "Past loans" in text
    assert AccessEntry.objects.filter(action="koha_exposure", actor="system:privacy-audit").exists()
    # `quietdesk audit report` writes it too; a Koha that cannot be read is said, not fatal.
    settings.QUIETDESK_KOHA_DATABASE_URL = koha.server.url("koha_test", "root", "nope")
    out = io.StringIO()
    call_command("audit", "report", "--out", str(tmp_path), stdout=out)
    html = next(tmp_path.glob("*.html")).read_text()
    assert "Koha could not be read" in html and "nope" not in html


@pytest.mark.django_db
def test_no_koha_no_section(settings):
    settings.QUIETDESK_KOHA_DATABASE_URL = settings.QUIETDESK_KOHA_API_URL = ""
    data = build.build(Actor.system("privacy-audit"))
    assert data["koha"] is None and "a-koha" not in files.html(data)


@pytest.mark.nodb
def test_the_koha_section_of_the_schedule_is_validated(tmp_path):
    defaults = schedule.load()
    assert (defaults.past_loan_days, defaults.search_history_days, defaults.patron_may_keep_history) == (30, 1, True)
    good = tmp_path / "good.toml"
    good.write_text("[koha]\npast_loan_days = 7\npatron_may_keep_history = false\n")
    mine = schedule.load(good)
    assert (mine.past_loan_days, mine.past_hold_days, mine.patron_may_keep_history) == (7, 30, False)
    bad = tmp_path / "bad.toml"
    bad.write_text("[koha]\npast_loan_day = 7\nstatistics_days = -1\npatron_may_keep_history = 1\n")
    with pytest.raises(schedule.ScheduleError) as raised:
        schedule.load(bad)
    problems = "\n".join(raised.value.problems)
    assert "did you mean 'past_loan_days'" in problems
    assert "statistics_days = -1 is out of range" in problems
    assert "patron_may_keep_history must be true/false" in problems


@pytest.mark.django_db
def test_retention_show_describes_koha_only_when_configured(koha, settings):
    texts = [line for _, lines in schedule.describe(schedule.get()) for line in lines]
    assert any("Past loans lose their borrower" in t for t in texts)
    settings.QUIETDESK_KOHA_DATABASE_URL = ""
    texts = [line for _, lines in schedule.describe(schedule.get()) for line in lines]
    assert not any("Koha" in t for t in texts)
