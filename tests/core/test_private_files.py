"""What quietdesk writes is its own: 0700 directories, 0600 files (quietdesk/private_files.py).

The whole installation is checked end to end after a demo and a backup in
tests/e2e/test_fresh_clone.py; these are the pieces.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from quietdesk import private_files

pytestmark = pytest.mark.nodb

REPO = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def open_umask():
    """Files made under the usual umask (022), as before quietdesk set its own."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_private_dir_makes_every_missing_level_0700(tmp_path, open_umask):
    target = tmp_path / "a" / "b" / "c"
    private_files.private_dir(target)
    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", target)] == [0o700] * 3


def test_write_private_and_create_private_file(tmp_path, open_umask):
    path = private_files.write_private(tmp_path / "d" / "checkpoint.txt", "note")
    assert (mode(path), mode(path.parent), path.read_text()) == (0o600, 0o700, "note")
    private_files.write_private(path, b"again")
    assert (mode(path), path.read_bytes()) == (0o600, b"again")
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    db = private_files.create_private_file(tmp_path / "quietdesk.sqlite3")
    assert (mode(db), db.stat().st_size) == (0o600, 0)


def test_an_open_data_directory_from_before_is_closed(tmp_path, open_umask, capsys):
    data = tmp_path / "var"
    (data / "keys").mkdir(parents=True)
    (data / "static").mkdir()
    for name in ("quietdesk.sqlite3", "quietdesk.sqlite3-wal", "quietdesk.sqlite3-shm"):
        (data / name).write_bytes(b"x")
    (data / "footage").mkdir()  # the camera system's, not quietdesk's: left as it is
    assert mode(data) == 0o755 and mode(data / "quietdesk.sqlite3") == 0o644
    private_files.secure_data_dir(data)
    assert mode(data) == 0o700
    for name in ("quietdesk.sqlite3", "quietdesk.sqlite3-wal", "quietdesk.sqlite3-shm"):
        assert mode(data / name) == 0o600, name
    assert mode(data / "keys") == mode(data / "static") == 0o700
    assert mode(data / "footage") == 0o755
    assert "was open to others (mode 755); now 700" in capsys.readouterr().err


def test_a_directory_that_is_not_quietdesks_is_never_touched(tmp_path, open_umask):
    elsewhere = tmp_path / "var"
    (elsewhere / "log").mkdir(parents=True)
    (elsewhere / "lib.conf").write_text("x")
    private_files.secure_data_dir(elsewhere)
    assert mode(elsewhere) == 0o755 and mode(elsewhere / "lib.conf") == 0o644
    empty = tmp_path / "empty"
    empty.mkdir()
    private_files.secure_data_dir(empty)
    assert mode(empty) == 0o700


def test_settings_set_the_umask_and_a_private_data_dir_in_every_mode(tmp_path):
    """Any mode, SQLite or not: the process umask is 077 and the data directory 0700."""
    for run_mode in ("demo", "test", "production"):
        data = tmp_path / run_mode / "var"
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_")}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.update(QUIETDESK_MODE=run_mode, QUIETDESK_DATA_DIR=str(data), QUIETDESK_CONFIG="",
                   QUIETDESK_SECRET_KEY="a-production-secret-key-for-this-test-0123456789abcdef",
                   QUIETDESK_ALLOWED_HOSTS="lib.example.org")
        code = "import os, quietdesk.settings as s; print(oct(os.umask(0)))"
        r = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True,
                           check=False, timeout=120, preexec_fn=lambda: os.umask(0o022))  # noqa: PLW1509
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip() == "0o77", run_mode
        assert mode(data) == 0o700, run_mode
        assert mode(data / "quietdesk.sqlite3") == 0o600, run_mode
