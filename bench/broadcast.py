"""quietdesk bench broadcast --json [--members N]

A report sent to everyone (urgent path) reaching N network members, half by
Signal (the signal-cli stand-in from tests/alerts/signal_server.py) and half by
email (a real local SMTP server, aiosmtpd), through the real queue: the job is
enqueued in the database and run by a separate ``quietdesk alerts_worker``
process, which claims, sends and records each delivery one at a time.

members              how many members the broadcast went to
seconds_to_all_sent  from filing the report to the last message arriving at the servers
                     (every delivery then checked "sent" in the database)
duplicates           messages beyond one per member, as counted by the servers (must be 0)
missed               members who received nothing (must be 0)
baseline_seconds     the same N messages sent straight through the same channel code and
                     servers, no queue, no database, no vault (same run)
ratio_to_baseline    seconds_to_all_sent / baseline_seconds
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

NEEDS_DATABASE = True
REPO = Path(__file__).resolve().parents[1]


def add_arguments(parser):
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--timeout", type=float, default=120.0)


class _Collect:
    def __init__(self):
        self.rcpts: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.rcpts.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _address(i: int) -> tuple[str, str]:
    return ("signal", f"+1555030{i:04d}") if i % 2 else ("email", f"b{i}@example.org")


def _seed(n: int) -> None:
    from quietdesk.alerts.network import do_add_member
    from quietdesk.audit.service import Actor

    actor = Actor.system("bench")
    for i in range(n):
        channel, address = _address(i)
        do_add_member(actor, {"name": f"Member {i}", "channel": channel, "address": address, "fallback_email": "",
                              "language": "en" if i % 3 else "es", "tier": 3, "consent_on": dt.date(2026, 1, 1)},
                      check_duplicate=False)


def _baseline(n: int, smtp: _Collect, sig) -> float:
    from quietdesk.outbound.channels import EmailChannel, SignalChannel
    from quietdesk.outbound.transport import OutMessage

    signal_channel, email_channel = SignalChannel(), EmailChannel()
    start = time.perf_counter()
    for i in range(n):
        channel, address = _address(i)
        message = OutMessage(subject="RED OAK 12:00", text=f"CONFIRMED baseline {i}", idempotency_key=f"base-{i}",
                             ack_url="http://127.0.0.1/alerts/ack/x/")
        status, _ = (signal_channel if channel == "signal" else email_channel).send(message, address)
        assert status in ("sent", "delivered"), status
    elapsed = time.perf_counter() - start
    signal_channel.close()
    email_channel.close()
    return elapsed


def run(members: int, timeout: float) -> dict:
    from aiosmtpd.controller import Controller
    from django.conf import settings

    sys.path.insert(0, str(REPO))
    from quietdesk.alerts.models import Delivery
    from quietdesk.alerts.services import do_file_report
    from quietdesk.audit.service import Actor
    from tests.alerts.signal_server import SignalServer

    smtp = _Collect()
    controller = Controller(smtp, hostname="127.0.0.1", port=_free_port())
    controller.start()
    sig = SignalServer().start()
    env = {**os.environ, "QUIETDESK_EMAIL_HOST": "127.0.0.1", "QUIETDESK_EMAIL_PORT": str(controller.port),
           "QUIETDESK_SIGNAL_RPC_URL": sig.url, "QUIETDESK_SIGNAL_ACCOUNT": sig.accounts[0]}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.QUIETDESK_SIGNAL_RPC_URL, settings.QUIETDESK_SIGNAL_ACCOUNT = sig.url, sig.accounts[0]
    worker = None
    try:
        baseline = _baseline(members, smtp, sig)
        smtp.rcpts.clear()
        sig.sent.clear()
        _seed(members)
        worker = subprocess.Popen(
            [sys.executable, "-m", "quietdesk", "alerts_worker", "--interval", "0.05", "-v", "0"],
            env=env, cwd=REPO, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        time.sleep(3)  # let the worker start (Django set-up) before the clock starts
        start = time.perf_counter()
        do_file_report(Actor("bench", "person_in_charge"), {"activity": "bench", "zone": "Main entrance"}, urgent=True)
        deadline = start + timeout
        while len(smtp.rcpts) + len(sig.sent) < members and time.perf_counter() < deadline:
            time.sleep(0.005)
        elapsed = time.perf_counter() - start
        time.sleep(1.0)  # a duplicate would arrive now
        received = Counter(smtp.rcpts) + Counter(m.recipient for m in sig.sent)
        wanted = {_address(i)[1] for i in range(members)}
        states = Counter(Delivery.objects.values_list("state", flat=True))
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(30)
        controller.stop()
        sig.stop()
    return {
        "members": members,
        "seconds_to_all_sent": round(elapsed, 3),
        "duplicates": sum(c - 1 for c in received.values() if c > 1),
        "missed": len(wanted - set(received)),
        "recorded_sent": states.get("sent", 0),
        "baseline_seconds": round(baseline, 3),
        "ratio_to_baseline": round(elapsed / baseline, 2) if baseline else None,
        "goal": "500 members all sent within 5 s, duplicates 0, missed 0",
    }
