"""The director's notice through a worker crash: SIGKILL a real ``quietdesk outbound_worker`` while
the SMTP server (aiosmtpd) holds its answer to DATA, restart it, and count what arrived.

At the kill the server has the whole message but has not said 250, and the worker has not
recorded anything: the row is ``sending``. The restarted worker cannot tell whether the
server kept it, so it sends again. This is the design (docs/architecture.md, "One way
out"): **at least once**. The server here keeps what it received (as a real mail server
may, RFC 1047), so the director gets the notice twice, with the same Message-ID, and the
case records one notice, sent, after two attempts. Never zero times.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from tests.alerts.test_kill_restart import data_env, manage, stop  # noqa: F401 (fixture)
from tests.e2e.conftest import BIN, ROOT, smtp_server  # noqa: F401 (fixture)

pytestmark = [pytest.mark.slow, pytest.mark.nodb]

DIRECTOR = "director@library.test"
OPEN_CASE = """
from quietdesk.audit.service import Actor
from quietdesk.legal import services
case = services.do_open_case(Actor.system('desk-test'), {'requester': 'immigration_officer',
                             'officer_name': 'Zed Quill', 'document': 'ice_administrative_warrant'})
print(case.pseudonym)
"""
STATES = """
from quietdesk.legal.models import Case, CaseEvent
from quietdesk.outbound.models import Message
m = Message.objects.get()
case = Case.objects.get()
notices = list(CaseEvent.objects.filter(case=case, kind='notice').values_list('summary', flat=True))
print(f"{m.state} {m.attempts} {case.notice} {notices}")
"""


def shell(env, code: str) -> str:
    return manage(env, "shell", "-c", code).strip().splitlines()[-1]


def start_worker(env, log):
    return subprocess.Popen([str(BIN / "quietdesk"), "outbound_worker", "--interval", "0.1"], env=env, cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)


def test_sigkill_while_the_server_holds_data_then_restart_delivers_the_notice(data_env, smtp_server,  # noqa: F811
                                                                               tmp_path):
    env = {**data_env, "QUIETDESK_EMAIL_HOST": smtp_server.host, "QUIETDESK_EMAIL_PORT": str(smtp_server.port),
           "QUIETDESK_DIRECTOR_EMAIL": DIRECTOR}
    manage(env, "migrate", "--no-input", "-v", "0")
    pseudonym = shell(env, OPEN_CASE)
    assert shell(env, STATES).startswith("pending 0 pending")  # queued with the case; not sent
    smtp_server.clear()
    smtp_server.hold_next_data()
    worker = None
    log = open(tmp_path / "worker.log", "ab")  # noqa: SIM115
    try:
        worker = start_worker(env, log)
        assert smtp_server.reached.wait(60), "the worker never sent: " + (tmp_path / "worker.log").read_text()
        os.kill(worker.pid, signal.SIGKILL)  # the worker itself, waiting for the answer to DATA
        worker.wait(10)
        smtp_server.release.set()
        time.sleep(0.3)
        assert shell(env, STATES).startswith("sending 1 pending []"), "claimed, nothing recorded"

        worker = start_worker(env, log)
        messages = smtp_server.wait_for(2, timeout=60)
        time.sleep(1.0)  # a third copy would arrive now
        stop(worker)
        after = shell(env, STATES)
    finally:
        if worker is not None:
            stop(worker)
        log.close()
        smtp_server.release.set()

    assert len(smtp_server.messages) == 2, [m.rcpt_tos for m in smtp_server.messages]
    assert all(m.rcpt_tos == [DIRECTOR] for m in messages)
    first, second = (m.message for m in messages)
    assert first["Message-ID"] == second["Message-ID"]  # one message, twice: threading mail clients show one
    assert first["Message-ID"].endswith("@quietdesk.notices>")
    text = first.get_content()
    assert pseudonym in text
    for secret in ("Zed", "Quill", "ICE", "immigration", "warrant"):
        assert secret not in text
    # The case: sent after two attempts, one notice on its timeline.
    assert after == "sent 2 sent ['director emailed']", after
