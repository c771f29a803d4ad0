"""The installation's configuration file (quietdesk/config.py) and how settings read it.

Settings are imported in a child process each time, as the `quietdesk` command and
gunicorn's workers do, with no QUIETDESK_* variable inherited from the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from quietdesk import config

pytestmark = pytest.mark.nodb

REPO = Path(__file__).resolve().parents[2]
SECRET = "file-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMN"


def private(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def settings_in(env_extra: dict[str, str], code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(env_extra)
    return subprocess.run([sys.executable, "-c", "import quietdesk.settings as s; " + code],
                          env=env, cwd=REPO, capture_output=True, text=True, check=False, timeout=120)


# --- the file format ----------------------------------------------------------

def test_parse_reads_values_comments_and_quotes():
    values = config.parse(
        "# a comment\n\n; another\nQUIETDESK_MODE=demo\n  QUIETDESK_LIBRARY_NAME = \"Eastside Library\"  \n"
        "QUIETDESK_EMAIL_FROM='desk@example.org'\nQUIETDESK_ALERT_ZONES=Lobby,Stacks=3\n",
        "test.env",
    )
    assert values == {
        "QUIETDESK_MODE": "demo",
        "QUIETDESK_LIBRARY_NAME": "Eastside Library",
        "QUIETDESK_EMAIL_FROM": "desk@example.org",
        "QUIETDESK_ALERT_ZONES": "Lobby,Stacks=3",
    }


@pytest.mark.parametrize("line, problem", [
    ("PATH=/tmp", "expected QUIETDESK_NAME=value"),
    ("QUIETDESK_MODE", "expected QUIETDESK_NAME=value"),
    ("export QUIETDESK_MODE=demo", "expected QUIETDESK_NAME=value"),
    ("QUIETDESK_CONFIG=/elsewhere.env", "cannot point elsewhere"),
    ('QUIETDESK_LIBRARY_NAME="unclosed', "opens a quote"),
])
def test_a_bad_line_is_named_with_its_file_and_number(line, problem):
    with pytest.raises(config.ConfigError) as err:
        config.parse(f"QUIETDESK_MODE=demo\n{line}\n", "/etc/quietdesk/quietdesk.env")
    assert str(err.value).startswith("/etc/quietdesk/quietdesk.env:2: ")
    assert problem in str(err.value)


def test_a_setting_given_twice_is_refused():
    with pytest.raises(config.ConfigError, match=":2: QUIETDESK_MODE is set twice"):
        config.parse("QUIETDESK_MODE=demo\nQUIETDESK_MODE=production\n", "f")


def test_the_environment_wins_in_both_forms():
    environ = {"QUIETDESK_SECRET_KEY_FILE": "/run/secret", "QUIETDESK_MODE": "production"}
    config.apply({"QUIETDESK_SECRET_KEY": "from-file", "QUIETDESK_MODE": "demo",
                  "QUIETDESK_EMAIL_PASSWORD_FILE": "/etc/pw", "QUIETDESK_LIBRARY_NAME": "X"}, environ)
    assert environ == {"QUIETDESK_SECRET_KEY_FILE": "/run/secret", "QUIETDESK_MODE": "production",
                       "QUIETDESK_EMAIL_PASSWORD_FILE": "/etc/pw", "QUIETDESK_LIBRARY_NAME": "X"}


@pytest.mark.parametrize("mode", [0o644, 0o604, 0o620, 0o666])
def test_a_file_open_to_others_is_refused(tmp_path, mode):
    path = private(tmp_path / "quietdesk.env", "QUIETDESK_MODE=demo\n", mode)
    with pytest.raises(config.ConfigError, match="open to others"):
        config.read(path)


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o400])
def test_owner_only_or_group_read_is_accepted(tmp_path, mode):
    path = private(tmp_path / "quietdesk.env", "QUIETDESK_MODE=demo\n", mode)
    assert config.read(path) == {"QUIETDESK_MODE": "demo"}


def test_which_file(tmp_path, monkeypatch):
    named = private(tmp_path / "named.env", "QUIETDESK_MODE=demo\n")
    demo_file, system_file = tmp_path / "var" / "quietdesk.env", tmp_path / "etc" / "quietdesk.env"
    monkeypatch.setattr(config, "DEMO_FILE", demo_file)
    monkeypatch.setattr(config, "SYSTEM_FILE", system_file)
    assert config.find({}) is None
    system_file.parent.mkdir()
    private(system_file, "")
    assert config.find({}) == system_file
    demo_file.parent.mkdir()
    private(demo_file, "")
    assert config.find({}) == demo_file  # the checkout's own file first
    assert config.find({"QUIETDESK_CONFIG": str(named)}) == named
    assert config.find({"QUIETDESK_CONFIG": ""}) is None
    # Tests and benchmarks never read a library's file unless one is named.
    assert config.find({"QUIETDESK_MODE": "test"}) is None
    assert config.find({"QUIETDESK_MODE": "test", "QUIETDESK_CONFIG": str(named)}) == named
    with pytest.raises(config.ConfigError, match="no such file"):
        config.find({"QUIETDESK_CONFIG": str(tmp_path / "missing.env")})


def test_the_demo_file_is_private_and_absolute_and_never_replaces_another(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "var" / "quietdesk.env"
    environ = {"QUIETDESK_DATA_DIR": "./var", "QUIETDESK_BIND": "127.0.0.1:9", "QUIETDESK_DEMO_PATRONS": "5",
               "QUIETDESK_LIBRARY_NAME": "Riverside \"Main\" Library", "QUIETDESK_CONFIG": "x", "HOME": "/root"}
    config.write_demo_file(environ, path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert config.read(path) == {
        "QUIETDESK_MODE": "demo",
        "QUIETDESK_DATA_DIR": str(tmp_path / "var"),
        "QUIETDESK_LIBRARY_NAME": 'Riverside "Main" Library',
    }
    private(path, "QUIETDESK_MODE=production\n")
    with pytest.raises(config.ConfigError, match="not a demo's"):
        config.write_demo_file(environ, path)
    assert config.read(path) == {"QUIETDESK_MODE": "production"}


# --- settings read it -----------------------------------------------------------

def test_production_settings_from_the_file_with_a_secret_file(tmp_path):
    secret = private(tmp_path / "secret-key", SECRET + "\n")
    conf = private(tmp_path / "quietdesk.env", (
        "QUIETDESK_MODE=production\n"
        f"QUIETDESK_SECRET_KEY_FILE={secret}\n"
        "QUIETDESK_ALLOWED_HOSTS=library.example.org\n"
        f"QUIETDESK_DATA_DIR={tmp_path / 'data'}\n"
        "QUIETDESK_LIBRARY_NAME=\"Eastside Library\"\n"
    ), 0o640)
    r = settings_in({"QUIETDESK_CONFIG": str(conf)},
                    f"print(s.MODE, s.SECRET_KEY == open({str(secret)!r}).read().strip(), s.ALLOWED_HOSTS, "
                    "s.LIBRARY_NAME, s.CONFIG_FILE)")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["production", "True", "['library.example.org']", "Eastside", "Library", str(conf)]
    # The environment wins over the file.
    r = settings_in({"QUIETDESK_CONFIG": str(conf), "QUIETDESK_LIBRARY_NAME": "From the environment",
                     "QUIETDESK_SECRET_KEY": "an-environment-secret-key-that-is-long-enough-0123456789"},
                    "print(s.LIBRARY_NAME, '|', s.SECRET_KEY)")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "From the environment | an-environment-secret-key-that-is-long-enough-0123456789"


def test_a_broken_file_stops_the_command_with_its_message_not_a_traceback(tmp_path):
    conf = private(tmp_path / "quietdesk.env", "QUIETDESK_MODE=demo\nQUIETDESK_DATA_DIR\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_")}
    env["QUIETDESK_CONFIG"] = str(conf)
    r = subprocess.run([sys.executable, "-m", "quietdesk", "check"], env=env, cwd=REPO,
                       capture_output=True, text=True, check=False, timeout=120)
    assert r.returncode == 2
    assert f"quietdesk: {conf}:2: expected QUIETDESK_NAME=value" in r.stderr
    assert "Traceback" not in r.stderr


def test_test_mode_reads_no_file_unless_named(tmp_path):
    conf = private(tmp_path / "quietdesk.env", "QUIETDESK_LIBRARY_NAME=Library from a file\n")
    r = settings_in({"QUIETDESK_MODE": "test", "QUIETDESK_DATA_DIR": str(tmp_path / "d")},
                    "print(s.CONFIG_FILE, s.LIBRARY_NAME)")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "None Riverside Public Library (demo)"
    r = settings_in({"QUIETDESK_MODE": "test", "QUIETDESK_DATA_DIR": str(tmp_path / "d"),
                     "QUIETDESK_CONFIG": str(conf)}, "print(s.LIBRARY_NAME)")
    assert r.stdout.strip() == "Library from a file"
