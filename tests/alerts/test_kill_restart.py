"""Exactly once through a crash: SIGKILL a real worker mid-broadcast, restart it, count what arrived.

The worker is killed while it waits for the SMTP server's answer to RCPT TO for
one email: that delivery is claimed ("sending") but the message has not been
handed over (SMTP takes responsibility only at the end of DATA). Everything
before it was sent and recorded; everything after it is still pending. After
the restart every remaining message, the interrupted one included, must arrive
exactly once, by email and by Signal, and none of those already sent again.
(The one window recovery cannot close, a crash between a server's acceptance and
our commit, is described in quietdesk/alerts/delivery.py.)
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import threading
import time
from collections import Counter

import pytest

from tests.e2e.conftest import BIN, ROOT, PostgresDatabase, free_port

from .signal_server import SignalServer

pytestmark = [pytest.mark.slow, pytest.mark.nodb]

MEMBERS = 24  # half Signal, half email
KILL_AT_EMAIL = 7

SEED = f"""
import datetime as dt
from quietdesk.alerts.network import do_add_member
from quietdesk.alerts.services import do_file_report
from quietdesk.audit.service import Actor
a = Actor.system('test')
for i in range({MEMBERS}):
    ch = 'signal' if i % 2 else 'email'
    addr = f'+1555020{{i:04d}}' if ch == 'signal' else f'm{{i}}@example.org'
    do_add_member(a, {{'name': f'M{{i}}', 'channel': ch, 'address': addr, 'fallback_email': '', 'language': 'en',
                       'tier': 1, 'consent_on': dt.date(2026, 1, 1)}}, check_duplicate=False)
do_file_report(Actor('desk', 'circulation'), {{'activity': 'Agents at the door'}})
"""

STATES = """
from quietdesk.alerts.models import Delivery
from collections import Counter
print(dict(Counter(Delivery.objects.values_list('state', flat=True))))
print(sorted(Delivery.objects.values_list('attempts', flat=True)))
"""


class HoldingSmtp:
    """aiosmtpd handler: collects messages; can block the nth RCPT TO until released."""

    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []
        self.rcpts = 0
        self.hold_at: int | None = None
        self.reached = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        self.rcpts += 1
        if self.rcpts == self.hold_at:
            self.reached.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content or b""))
        return "250 Message accepted for delivery"


@pytest.fixture
def data_env(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_")}
    env.update(QUIETDESK_MODE="test", QUIETDESK_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="quietdesk.settings",
               PYTHONUNBUFFERED="1")
    database = None
    if os.environ.get("QUIETDESK_DATABASE_URL"):
        database = PostgresDatabase(os.environ["QUIETDESK_DATABASE_URL"])
        database.create()
        env["QUIETDESK_DATABASE_URL"] = database.url
    try:
        yield env
    finally:
        if database is not None:
            database.drop()


def manage(env, *args, timeout=120) -> str:
    result = subprocess.run([str(BIN / "quietdesk"), *args], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=timeout, check=False)
    assert result.returncode == 0, f"quietdesk {args[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def start_worker(env, log):
    return subprocess.Popen([str(BIN / "quietdesk"), "alerts_worker", "--interval", "0.1"], env=env, cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def test_sigkill_mid_broadcast_then_restart_sends_each_message_exactly_once(data_env, tmp_path):
    from aiosmtpd.controller import Controller

    smtp = HoldingSmtp()
    controller = Controller(smtp, hostname="127.0.0.1", port=free_port())
    controller.start()
    signal_server = SignalServer().start()
    worker = None
    log = open(tmp_path / "worker.log", "ab")  # noqa: SIM115
    try:
        env = {**data_env, "QUIETDESK_EMAIL_HOST": "127.0.0.1", "QUIETDESK_EMAIL_PORT": str(controller.port),
               "QUIETDESK_SIGNAL_RPC_URL": signal_server.url, "QUIETDESK_SIGNAL_ACCOUNT": signal_server.accounts[0]}
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "shell", "-c", SEED)
        smtp.hold_at = KILL_AT_EMAIL

        worker = start_worker(env, log)
        assert smtp.reached.wait(60), "the worker never reached the held email: " + (tmp_path / "worker.log").read_text()
        os.kill(worker.pid, signal.SIGKILL)  # the worker process itself, mid-conversation
        worker.wait(10)
        smtp.release.set()
        time.sleep(0.3)
        before = manage(env, "shell", "-c", STATES)
        assert "'sending': 1" in before, before  # the interrupted one: claimed, not handed over
        sent_before = len(smtp.messages) + len(signal_server.sent)
        assert 0 < sent_before < MEMBERS, before
        assert len(smtp.messages) == KILL_AT_EMAIL - 1

        worker = start_worker(env, log)
        deadline = time.monotonic() + 60
        while len(smtp.messages) + len(signal_server.sent) < MEMBERS and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # anything extra (a duplicate) would arrive now
        stop(worker)

        emails = Counter(rcpt for rcpts, _ in smtp.messages for rcpt in rcpts)
        signals = Counter(m.recipient for m in signal_server.sent)
        want_emails = {f"m{i}@example.org" for i in range(0, MEMBERS, 2)}
        want_signals = {f"+1555020{i:04d}" for i in range(1, MEMBERS, 2)}
        assert set(emails) == want_emails, "missed emails"
        assert set(signals) == want_signals, "missed Signal messages"
        assert max(emails.values()) == 1 and max(signals.values()) == 1, ("duplicates", emails, signals)
        after = manage(env, "shell", "-c", STATES)
        assert f"'sent': {MEMBERS}" in after, after
        assert "2" in after.splitlines()[-1]  # the interrupted delivery took a second attempt
    finally:
        if worker is not None:
            stop(worker)
        log.close()
        smtp.release.set()
        controller.stop()
        signal_server.stop()
