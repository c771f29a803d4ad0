"""Kill a real `quietdesk koha enforce --apply` process with SIGKILL mid-run, run it again, and
compare Koha with one uninterrupted run on a second database holding the same data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ils import kohadata
from tests.ils.conftest import AS_OF

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.nodb]


def env_for(data: Path, url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(QUIETDESK_MODE="test", QUIETDESK_DATA_DIR=str(data), QUIETDESK_KOHA_DATABASE_URL=url,
               PYTHONPATH=str(REPO))
    return env


def qd(data: Path, url: str, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quietdesk", *args], env=env_for(data, url), cwd=REPO, check=True,
                          capture_output=True, text=True, timeout=300)


def build(server, name: str) -> str:
    url = server.create_koha(name)
    conn = server.connect(name)
    try:
        kohadata.build(conn, as_of=AS_OF, loans=3000, patrons=80)
    finally:
        conn.close()
    return url


def state(server, name: str) -> dict:
    conn = server.connect(name)
    try:
        return kohadata.snapshot(conn)
    finally:
        conn.close()


def test_killed_enforcement_rerun_matches_one_uninterrupted_run(mariadb, tmp_path):
    killed_url, whole_url = build(mariadb, "koha_killed"), build(mariadb, "koha_whole")
    try:
        assert state(mariadb, "koha_killed") == state(mariadb, "koha_whole")
        data = tmp_path / "quietdesk"
        qd(data, whole_url, "migrate", "-v0")
        enforce = ["koha", "enforce", "--apply", "--as-of", AS_OF.isoformat(), "--batch-size", "4", "--no-progress"]

        qd(data, whole_url, *enforce)
        expected = state(mariadb, "koha_whole")

        proc = subprocess.Popen([sys.executable, "-m", "quietdesk", *enforce], env=env_for(data, killed_url),
                                cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        done = 0
        while time.monotonic() < deadline and proc.poll() is None:
            done = mariadb.sql("SELECT COUNT(*) FROM old_issues WHERE borrowernumber = 1", database="koha_killed")[0][0]
            if done >= 300:
                break
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        assert proc.returncode == -signal.SIGKILL, f"the run ended before it could be killed: {err}"
        middle = state(mariadb, "koha_killed")
        assert done >= 300 and middle != expected  # really stopped half way

        out = qd(data, killed_url, *enforce).stdout
        assert "nothing past retention remains" in out
        assert state(mariadb, "koha_killed") == expected
    finally:
        mariadb.drop("koha_killed")
        mariadb.drop("koha_whole")
