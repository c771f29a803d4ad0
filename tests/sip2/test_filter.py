"""The SIP2 filter in front of an ILS's SIP2 server. The upstream is pysip2's ACS
(PyPI) answering with every personal field, or a Koha-shaped stand-in for
Koha's extension fields (see upstreams.py). What a dropped field said must never
reach the machine; every other field arrives byte for byte; checksums are
checked with pysip2's own code."""

import asyncio
import contextlib
import logging
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pysip2 import decode_message, verify_checksum

from quietdesk.sip2 import filtering, wire
from quietdesk.sip2.conf import Conf
from quietdesk.sip2.proxy import FilterProxy
from tests.sip2.helpers import Raw, date18
from tests.sip2.upstreams import (
    ADDRESS,
    BIRTH,
    EMAIL,
    LOGIN_ID,
    LOGIN_PASSWORD,
    NAME,
    PHONE,
    KohaShapedUpstream,
    PysipUpstream,
    wait_for,
)

pytestmark = [pytest.mark.slow, pytest.mark.nodb]

CARD = "21000000000001"
LOGIN = f"9300CN{LOGIN_ID}|CO{LOGIN_PASSWORD}|CPfront|"
ALL_LISTS = f"63001{date18()}YYYYYY    AOKOHA|AA{CARD}|"


@pytest.fixture
def upstream():
    server = PysipUpstream()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def run_filter():
    running = []

    def start(upstream_port: int, **changes) -> FilterProxy:
        conf = Conf(listen=("127.0.0.1", 0), log_minutes=1).with_changes(**changes)
        proxy = FilterProxy(conf, ("127.0.0.1", upstream_port))
        ready, state = threading.Event(), {}

        async def main():
            await proxy.start()
            state["stop"] = asyncio.Event()
            state["loop"] = asyncio.get_running_loop()
            ready.set()
            serving = asyncio.ensure_future(proxy.serve_forever())
            await state["stop"].wait()
            serving.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await serving

        thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
        thread.start()
        assert ready.wait(10)
        running.append((state, thread))
        return proxy

    yield start
    for state, thread in running:
        state["loop"].call_soon_threadsafe(state["stop"].set)
        thread.join(5)


def fields(frame: bytes) -> list[bytes]:
    """The variable fields of an answer, as sent, without the trailer."""
    body = frame[: wire.split_trailer(frame).body_end]
    return [f for f in body[2 + wire.RESPONSE_FIXED[frame[:2].decode()]:].split(b"|") if f]


def exchange(port: int, *bodies: str) -> list[bytes]:
    conn = Raw(port)
    try:
        return [conn.ask(body, seq=str(n % 10)) for n, body in enumerate(bodies)]
    finally:
        conn.close()


def test_personal_fields_dropped_names_masked_the_rest_byte_for_byte(upstream, run_filter):
    policy = filtering.parse_policy("BD:drop,BE:drop,BF:drop,PB:drop,AE:mask,AS:drop,AU:mask", "", "first")
    proxy = run_filter(upstream.port, policy=policy)
    direct = exchange(upstream.port, LOGIN, ALL_LISTS)[1]
    filtered = exchange(proxy.port, LOGIN, ALL_LISTS)[1]
    for secret in (ADDRESS, EMAIL, PHONE, "H0001", "C0001", "C0002", "Ortega", "José"):
        assert secret.encode() in direct
        assert secret.encode() not in filtered
    assert verify_checksum(filtered) and verify_checksum(direct)  # pysip2's check, not ours
    assert filtered[: 2 + wire.RESPONSE_FIXED["64"]] == direct[: 2 + wire.RESPONSE_FIXED["64"]]
    expected = []
    for field in fields(direct):
        fid = field[:2]
        if fid in (b"BD", b"BE", b"BF", b"AS"):
            continue
        expected.append("AEMaría".encode() if fid == b"AE" else b"AU" if fid == b"AU" else field)
    assert fields(filtered) == expected
    assert filtered.endswith(b"AY1AZ" + filtered[-4:])
    decoded = decode_message(filtered + b"\r", encoding="utf-8").message  # still a valid 64 to pysip2
    assert decoded.personal_name == "María" and decoded.home_address is None
    assert decoded.charged_items == ("", "")  # masked: the machine still sees two, not which
    assert proxy.tally.total["drop BD"] == 1 and proxy.tally.total["mask AE"] == 1


def test_patron_status_and_checkout_answers_are_filtered_too(upstream, run_filter):
    proxy = run_filter(upstream.port, policy=filtering.parse_policy(filtering.DEFAULT_FIELDS, "", "initials"))
    status = f"23001{date18()}AOKOHA|AA{CARD}|AC|AD|"
    out = f"11NN{date18()}{date18()}AOKOHA|AA{CARD}|ABC0003|AC|"
    direct = exchange(upstream.port, LOGIN, status, out)
    filtered = exchange(proxy.port, LOGIN, status, out)
    assert b"AEM. J. O.|" in filtered[1] and NAME.encode() not in filtered[1]
    assert filtered[2] == direct[2]  # nothing in this checkout answer is filtered: unchanged, byte for byte
    assert verify_checksum(filtered[1])


def test_koha_extension_fields(run_filter):
    """PB (birth date) and the rest of Koha's 64, and personal fields in a 12."""
    koha = KohaShapedUpstream()
    proxy = run_filter(koha.port)
    direct = exchange(koha.port, LOGIN, ALL_LISTS, f"11NN{date18()}{' ' * 18}AOKOHA|AA{CARD}|ABC0003|AC|")
    filtered = exchange(proxy.port, LOGIN, ALL_LISTS, f"11NN{date18()}{' ' * 18}AOKOHA|AA{CARD}|ABC0003|AC|")
    for answer_direct, answer in zip(direct[1:], filtered[1:], strict=True):
        for secret in (BIRTH, ADDRESS, EMAIL, PHONE, "Ortega"):
            assert secret.encode() not in answer
        kept = [f for f in fields(answer_direct) if f[:2] not in (b"BD", b"BE", b"BF", b"PB")]
        assert fields(answer) == ["AEMaría".encode() if f[:2] == b"AE" else f for f in kept]
        assert verify_checksum(answer)
    assert b"PCPT|PIY|AUC0001|AUC0002|" in filtered[1]  # Koha's other extensions pass as sent
    koha.stop()


def test_a_damaged_answer_is_asked_for_again_never_passed_on(run_filter):
    koha = KohaShapedUpstream(damage_first_answer=True)
    proxy = run_filter(koha.port)
    answers = exchange(proxy.port, LOGIN, ALL_LISTS)
    assert b"C0009" not in answers[1] and b"AUC0002|" in answers[1]
    assert koha.received[-1].startswith(b"97")  # the filter asked Koha to send it again
    assert proxy.tally.total["upstream bad checksum"] == 1
    koha.stop()


def test_refused_message_types_never_reach_the_ils(upstream, run_filter):
    proxy = run_filter(upstream.port, policy=filtering.parse_policy(filtering.DEFAULT_FIELDS, "25,01"))
    enable = f"25{date18()}AOKOHA|AA{CARD}|AC|"
    answers = exchange(proxy.port, LOGIN, enable)
    assert answers[1].startswith(b"26") and b"BLN|" in answers[1] and b"Not available at this machine." in answers[1]
    assert verify_checksum(answers[1])
    assert upstream.enables == 0
    exchange(upstream.port, LOGIN, enable)
    assert upstream.enables == 1  # the upstream would have answered it


def test_one_upstream_connection_per_machine_session(upstream, run_filter):
    proxy = run_filter(upstream.port)
    first, second = Raw(proxy.port), Raw(proxy.port)
    for conn in (first, second, first, second):
        assert conn.ask(LOGIN).startswith(b"941")
        assert conn.ask(ALL_LISTS).startswith(b"64")
    assert len(upstream.connections) == 2
    first.close(), second.close()


def test_survives_the_ils_going_away_and_logs_the_machine_in_again(upstream, run_filter):
    proxy = run_filter(upstream.port, upstream_seconds=2)
    machine = Raw(proxy.port, timeout=10)
    assert machine.ask(LOGIN).startswith(b"941")
    assert machine.ask(ALL_LISTS, seq="1").startswith(b"64")
    upstream.stop()
    time.sleep(1.1)  # past the filter's pause between attempts
    away = machine.ask(ALL_LISTS, seq="2")
    assert away.startswith(b"64") and b"BLN|" in away and b"not answering" in away
    assert machine.ask("9900302.00", seq="3").startswith(b"98NNNNNN")  # off-line while it is away
    upstream.start()
    time.sleep(1.1)
    back = machine.ask(ALL_LISTS, seq="4")
    assert back.startswith(b"64") and b"BLY|" in back  # same machine connection, no new login from it
    assert upstream.logins == 2  # the filter logged the machine in again
    assert proxy.tally.total["upstream connected"] == 2
    machine.close()


def test_an_ils_that_drops_idle_connections(upstream, run_filter):
    upstream.stop()
    upstream.start(idle_timeout=0.3)
    proxy = run_filter(upstream.port)
    machine = Raw(proxy.port)
    assert machine.ask(LOGIN).startswith(b"941")
    time.sleep(0.8)  # the ILS hangs up on the filter
    assert machine.ask(ALL_LISTS, seq="1").startswith(b"64")  # reconnected, logged in, sent again
    assert upstream.logins == 2 and proxy.tally.total["upstream lost"] == 1
    machine.close()


def test_bad_input_at_the_filter(upstream, run_filter):
    proxy = run_filter(upstream.port, max_frame_bytes=512, idle_seconds=1, frame_seconds=1, max_connections=3)
    conn = Raw(proxy.port)
    assert conn.ask(LOGIN).startswith(b"941")
    good = conn.frame(ALL_LISTS, seq="1")
    conn.send(good.replace(b"AA2", b"AA3"))
    assert conn.read() == b"96AZFEF6"  # answered by the filter; the ILS never sees it
    assert conn.ask("42hello|") == b""  # a type SIP2 does not define
    for bad in (b"\x16\x03\x01\x02\x00", b"GET / HTTP/1.1\r\n", b"63" + b"9" * 600 + b"\r"):
        other = Raw(proxy.port)
        other.send(bad)
        assert other.closed_by_server(within=3)
    slow = Raw(proxy.port)
    slow.send(b"63")
    started = time.monotonic()
    assert slow.closed_by_server(within=4) and time.monotonic() - started < 3
    held = [Raw(proxy.port) for _ in range(3)]
    assert wait_for(lambda: proxy.active == 3)
    extra = Raw(proxy.port)
    assert extra.closed_by_server(within=3)
    for conn in held:
        conn.close()
    totals = proxy.tally.total
    assert totals["bad checksum"] == 1 and totals["closed: unknown message type"] == 1
    assert totals["closed: not SIP2"] == 2 and totals["closed: frame too long"] == 1
    assert totals["closed: too many connections"] == 1


def test_the_filter_logs_counts_only(upstream, run_filter, caplog):
    caplog.set_level(logging.DEBUG)
    proxy = run_filter(upstream.port)
    exchange(proxy.port, LOGIN, ALL_LISTS, f"23001{date18()}AOKOHA|AA{CARD}|AC|AD|")
    proxy.tally.flush()
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("quietdesk")]
    assert any("drop BD: 1" in line for line in ours)
    for line in ours:
        for secret in (CARD, NAME, "María", ADDRESS, EMAIL, PHONE, LOGIN_PASSWORD, "C0001", "127.0.0.1"):
            assert secret not in line


def test_the_filter_command(upstream, tmp_path):
    """`quietdesk sip2 filter` as operators run it: a process of its own, policy from the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_")}
    env.update(QUIETDESK_MODE="test", QUIETDESK_DATA_DIR=str(tmp_path), QUIETDESK_SIP2_NAME_FORM="none",
               QUIETDESK_SIP2_FILTER_FIELDS="BD:drop,BE:drop,BF:drop,PB:drop,AE:mask,AU:drop",
               QUIETDESK_SIP2_FILTER_REFUSE="25")
    command = [sys.executable, "-m", "quietdesk", "sip2", "filter", "--listen", "127.0.0.1:0",
               "--upstream", f"127.0.0.1:{upstream.port}"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    try:
        line = proc.stdout.readline()
        port = int(re.search(r"listening on 127\.0\.0\.1:(\d+)", line).group(1))
        answers = exchange(port, LOGIN, ALL_LISTS, f"25{date18()}AOKOHA|AA{CARD}|AC|")
        assert b"AE|" in answers[1] and b"AU" not in answers[1] and EMAIL.encode() not in answers[1]
        assert b"Not available at this machine." in answers[2]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "sip2 filter counts:" in err and CARD not in err and "María" not in err
    bad = subprocess.run([*command[:-1], "nowhere"], env=env, capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and "is not HOST:PORT" in bad.stderr
