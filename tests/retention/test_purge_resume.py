"""Kill a real `quietdesk purge` process with SIGKILL mid-run, run it again, and
compare with one uninterrupted run on a copy of the same data. Registration expiry
notices go to a real SMTP server (aiosmtpd) in both."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.retention.dataset import AS_OF

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.nodb]


SMTP: dict[str, str] = {}  # the mail server's address, set by the test


def env_for(data: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(QUIETDESK_MODE="test", QUIETDESK_DATA_DIR=str(data), QUIETDESK_FOOTAGE_DIR=str(data / "footage"),
               PYTHONPATH=str(REPO), **SMTP)
    return env


def qd(data: Path, *args, **kwargs):
    return subprocess.run([sys.executable, "-m", "quietdesk", *args], env=env_for(data), cwd=REPO, check=True,
                          capture_output=True, text=True, **kwargs)


def state(data: Path) -> dict:
    out = qd(data, "shell", "-c", "import json; from tests.retention.dataset import snapshot; "
                                  "print(json.dumps(snapshot(), default=str))").stdout
    snap = json.loads(out.strip().splitlines()[-1])
    shred = data / "keys" / "shredded.list"
    snap["shredded"] = sorted({line.split()[0] for line in shred.read_text().splitlines()}) if shred.exists() else []
    return snap


def batches(db: Path) -> tuple[int, str] | None:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute("SELECT batches, status FROM retention_purgerun ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    return row


def test_killed_purge_rerun_matches_one_uninterrupted_run(tmp_path, smtp_server, monkeypatch):
    monkeypatch.setitem(SMTP, "QUIETDESK_EMAIL_HOST", smtp_server.host)
    monkeypatch.setitem(SMTP, "QUIETDESK_EMAIL_PORT", str(smtp_server.port))
    smtp_server.clear()
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    qd(killed, "migrate", "-v0")
    qd(killed, "shell", "-c", "from tests.retention.dataset import build; build(returned=2500)")
    shutil.copytree(killed, whole, symlinks=True)
    purge = ["purge", "--as-of", AS_OF.isoformat(), "--batch-size", "1", "--no-progress"]

    qd(whole, *purge)
    expected = state(whole)
    assert [m.rcpt_tos for m in smtp_server.wait_for(1)] == [["d6@example.org"]]  # the expiry notice, once

    proc = subprocess.Popen([sys.executable, "-m", "quietdesk", *purge], env=env_for(killed), cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = killed / "quietdesk.sqlite3"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        row = batches(db)
        if row and row[0] >= 100:
            break
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    row = batches(db)
    assert row is not None and row[1] == "running", f"the purge finished before it could be killed: {row}"
    assert row[0] >= 100
    middle = state(killed)
    assert middle != expected  # really stopped half way

    qd(killed, *purge)
    assert state(killed) == expected
    # Each run told the patron (a notice is recorded after the server took it; a kill in
    # between may send it twice, never not at all).
    assert {tuple(m.rcpt_tos) for m in smtp_server.messages} == {("d6@example.org",)}
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT status, note FROM retention_purgerun ORDER BY id").fetchall()
    assert runs[0][0] == "interrupted"
    assert runs[1][0] == "done" and "continues interrupted run" in runs[1][1]
    # And a third run has nothing left to do.
    out = qd(killed, *purge).stdout
    assert "0  records removed or anonymized in all" in out
