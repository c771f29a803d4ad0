"""The retention schedule: defaults, partial files, and clear errors for bad ones."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from quietdesk.retention import schedule

REPO = Path(__file__).resolve().parents[2]


def load(tmp_path, text: str, raw: bytes | None = None):
    path = tmp_path / "schedule.toml"
    path.write_bytes(raw if raw is not None else text.encode())
    return schedule.load(path)


@pytest.mark.nodb
class TestFiles:
    def test_defaults_follow_the_seeds(self):
        s = schedule.load(None)
        assert s.source == "built-in defaults"
        assert s.returned_loan_days == 0 and s.closed_hold_days == 0 and s.closed_ill_days == 0
        assert s.registration_days_after_program <= 1
        assert s.stored is False
        assert s.follow_up_note_days <= 14
        assert (s.expire_after_months, s.notice_days) == (36, 30)

    def test_registration_expiry_can_be_set(self, tmp_path):
        s = load(tmp_path, "[registration]\nexpire_after_months = 24\nnotice_days = 14\n")
        assert (s.expire_after_months, s.notice_days) == (24, 14)
        registration = dict(schedule.describe(s))["Registration"]
        assert "2 years" in registration[0] and "14 days before" in registration[1]

    def test_a_file_sets_only_what_it_changes(self, tmp_path):
        s = load(tmp_path, "[programs]\nregistration_days_after_program = 3\n")
        assert s.registration_days_after_program == 3
        assert s.returned_loan_days == 0
        assert s.source.endswith("schedule.toml")

    @pytest.mark.parametrize("text, words", [
        ("[programs\nx = 1", "not valid TOML"),
        ("[programs]\nregistration_days_after_programme = 3\n", "did you mean 'registration_days_after_program'"),
        ("[program]\nregistration_days_after_program = 3\n", "did you mean [programs]"),
        ("[holds]\nclosed_hold_days = \"7\"\n", "must be a whole number, not '7' (text)"),
        ("[holds]\nclosed_hold_days = 7.5\n", "must be a whole number"),
        ("[holds]\nclosed_hold_days = true\n", "must be a whole number"),
        ("[holds]\nclosed_hold_days = -1\n", "out of range: use 0 to 3650"),
        ("[database_search]\nstored = true\n", "stored must be false"),
        ("[camera]\nlegal_minimum_days = 30\ndefault_footage_days = 14\n", "shorter than legal_minimum_days"),
        ("holds = 3\n", "[holds] must be a table"),
        ("[registration]\nexpire_after_months = 6\n", "out of range: use 12 to 240"),
        ("[registration]\nexpire_after_months = \"3 years\"\n", "must be a whole number"),
        ("[registration]\nnotice_days = 0\n", "out of range: use 7 to 180"),
        ("[registration]\nnotice_day = 30\n", "did you mean 'notice_days'"),
        ("[registration]\nexpire_after_months = 12\nnotice_days = 170\n", "at most half of expire_after_months"),
    ])
    def test_bad_files_say_what_and_where(self, tmp_path, text, words):
        with pytest.raises(schedule.ScheduleError) as err:
            load(tmp_path, text)
        assert words in str(err.value)
        assert "schedule.toml" in str(err.value)

    def test_every_problem_at_once(self, tmp_path):
        with pytest.raises(schedule.ScheduleError) as err:
            load(tmp_path, "[holds]\nclosed_hold_days = -1\nunfilled_hold_days = \"x\"\nnope = 1\n")
        assert len(err.value.problems) == 3

    def test_not_utf8_and_missing_file(self, tmp_path):
        with pytest.raises(schedule.ScheduleError, match="not UTF-8"):
            load(tmp_path, "", raw=b"[holds]\nclosed_hold_days = 1 # \xff\n")
        with pytest.raises(schedule.ScheduleError, match="cannot read the file"):
            schedule.load(tmp_path / "missing.toml")

    def test_quietdesk_refuses_to_start_with_a_bad_schedule(self, tmp_path):
        bad = tmp_path / "bad.toml"
        bad.write_text("[holds]\nclosed_hold_dayz = 1\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_") and k != "DJANGO_SETTINGS_MODULE"}
        env.update(QUIETDESK_MODE="test", QUIETDESK_DATA_DIR=str(tmp_path / "data"),
                   QUIETDESK_RETENTION_SCHEDULE=str(bad), PYTHONPATH=str(REPO))
        done = subprocess.run([sys.executable, "-m", "quietdesk", "check"], env=env, cwd=REPO,
                              capture_output=True, text=True)
        assert done.returncode != 0
        assert "The retention schedule" in done.stderr and "did you mean 'closed_hold_days'" in done.stderr


def test_show_prints_plain_language(tmp_path):
    out = io.StringIO()
    call_command("retention", "show", stdout=out)
    text = out.getvalue()
    assert "Retention schedule (built-in defaults)" in text
    assert "Database searches" in text and "Never stored." in text
    assert "Never purged" in text
    bad = tmp_path / "bad.toml"
    bad.write_text("[camera]\ndefault_footage_days = 0\n")
    with pytest.raises(CommandError, match="out of range"):
        call_command("retention", "show", "--file", str(bad), stdout=io.StringIO())


@pytest.mark.django_db
def test_public_periods_cover_the_notice_categories():
    from quietdesk.retention import public_schedule

    periods = public_schedule()
    for category in ("registration", "circulation", "holds", "programs", "computer_use", "camera",
                     "database_search", "reference", "ill"):
        assert periods[category]
