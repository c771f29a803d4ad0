"""Bad input on a real socket against `quietdesk sip2 serve` (in a thread, random
loopback port, test database): each gets the protocol's error answer or a closed
connection, never a crash, a hung worker or a patron field in the logs."""

import logging
import time

import pytest

from quietdesk.circulation import services
from quietdesk.circulation.models import Loan
from quietdesk.sip2 import wire
from tests.circulation.helpers import item, patron
from tests.sip2.helpers import date18, login_frame

pytestmark = pytest.mark.slow

CARD = "21000000000001"


def checkout(barcode: str, card: str = CARD) -> str:
    return f"11NN{date18()}{' ' * 18}AORPL|AA{card}|AB{barcode}|AC|"


def logged_in(raw, server, machine):
    conn = raw(server.port)
    assert conn.ask(login_frame(*machine)).startswith(b"941")
    return conn


def test_a_bad_checksum_asks_for_the_message_again_and_changes_nothing(serve, machine, raw):
    server = serve()
    patron(1), item(1)
    conn = logged_in(raw, server, machine)
    good = conn.frame(checkout("ITEM00001"), seq="1")
    damaged = good.replace(b"ITEM00001", b"ITEM00002")
    conn.send(damaged)
    assert conn.read() == b"96AZFEF6"
    assert not Loan.objects.exists()
    conn.send(good)  # the machine sends it again, undamaged
    assert conn.read().startswith(b"121")
    assert Loan.objects.count() == 1


def test_resend_and_a_repeated_message_give_the_same_answer_not_a_second_transaction(serve, machine, raw):
    server = serve()
    patron(1), item(1)
    conn = logged_in(raw, server, machine)
    frame = conn.frame(checkout("ITEM00001"), seq="2")
    conn.send(frame)
    first = conn.read()
    assert first.startswith(b"121") and b"AY2AZ" in first
    conn.send(wire.with_trailer(b"97", None, True))  # "send your last answer again"
    assert conn.read() == first
    conn.send(frame)  # the machine did not hear us and sends the same frame
    assert conn.read() == first
    assert Loan.objects.count() == 1 and server.tally.total["repeated message"] == 1
    assert conn.ask(checkout("ITEM00001"), seq="3").startswith(b"120")  # a new message is a new transaction


def test_no_error_detection_when_the_machine_uses_none(serve, machine, raw):
    server = serve()
    conn = raw(server.port)
    conn.send(login_frame(*machine).encode() + b"\r")
    assert conn.read() == b"941"
    conn.send(b"9900302.00\r")
    status = conn.read()
    assert status.startswith(b"98YYYYNN") and b"AZ" not in status


def test_malformed_messages_get_96_then_the_connection_closes(serve, machine, raw):
    server = serve()
    conn = logged_in(raw, server, machine)
    assert conn.ask("11NN2026") == b"96AZFEF6"  # shorter than its fixed fields
    assert conn.ask(b"17" + date18().encode() + b"AB\xff\xfe|") == b"96AZFEF6"  # not UTF-8
    assert conn.ask("17" + date18() + "A|") == b"96AZFEF6"  # a field without an identifier
    assert conn.ask("11NN2026") == b""  # the fourth in a row: closed
    assert server.tally.total["closed: errors in a row"] == 1


def test_unknown_message_types_and_non_sip2_bytes_close_the_connection(serve, machine, raw):
    server = serve(frame_seconds=30)
    conn = logged_in(raw, server, machine)
    assert conn.ask("42hello|") == b""
    hello = raw(server.port)
    hello.send(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")  # a TLS ClientHello on the plain port
    started = time.monotonic()
    assert hello.closed_by_server(within=5)
    assert time.monotonic() - started < 2  # at once, not after frame_seconds
    http = raw(server.port)
    http.send(b"GET / HTTP/1.1\r\n")
    assert http.closed_by_server()
    assert server.tally.total["closed: unknown message type"] == 1 and server.tally.total["closed: not SIP2"] == 2


def test_nothing_but_login_or_status_before_login(serve, machine, raw):
    server = serve()
    patron(1), item(1)
    early = raw(server.port)
    status = early.ask("9900302.00")
    assert status.startswith(b"98NNNNNN")  # off-line: nothing to do before login
    assert early.ask(checkout("ITEM00001")) == b""
    assert not Loan.objects.exists()
    guesser = raw(server.port)
    for n in range(3):
        assert guesser.ask(login_frame("front-door", f"qd_sc_guess{n}")) .startswith(b"940")
    assert guesser.ask(login_frame("front-door", "qd_sc_guess4")) == b""  # the fourth failure closes
    switched = logged_in(raw, server, machine)
    assert switched.ask(login_frame("front-door", "qd_sc_wrong")).startswith(b"940")
    assert switched.ask(checkout("ITEM00001")) == b""  # a failed log-in ends the one before it
    assert not Loan.objects.exists()


def test_an_oversized_frame_closes_the_connection(serve, machine, raw):
    server = serve(max_frame_bytes=512)
    conn = logged_in(raw, server, machine)
    conn.send(b"17" + date18().encode() + b"AB" + b"9" * 600)
    assert conn.closed_by_server()
    conn2 = logged_in(raw, server, machine)
    assert conn2.ask("17" + date18() + "AB" + "9" * 600) == b""  # with its CR too
    assert server.tally.total["closed: frame too long"] == 2


def test_slow_and_silent_connections_free_their_worker(serve, machine, raw):
    server = serve(idle_seconds=1, frame_seconds=1, max_connections=2)
    slow = raw(server.port)
    slow.send(b"99")  # a message begun and never finished
    silent = raw(server.port)  # a machine that connects and says nothing (or a half-open one)
    time.sleep(0.2)
    full = raw(server.port)
    assert full.closed_by_server(within=2)  # two at most
    started = time.monotonic()
    assert slow.closed_by_server(within=5) and silent.closed_by_server(within=5)
    assert time.monotonic() - started < 3
    deadline = time.monotonic() + 3
    while server.open_connections and time.monotonic() < deadline:
        time.sleep(0.05)
    fresh = logged_in(raw, server, machine)  # the workers are free again
    assert fresh.ask("9900302.00").startswith(b"98Y")
    totals = server.tally.total
    assert totals["closed: slow frame"] == 1 and totals["closed: idle timeout"] == 1
    assert totals["closed: too many connections"] == 1


def test_an_unexpected_error_is_answered_and_logged_by_type_only(serve, machine, raw, monkeypatch, caplog):
    server = serve()
    patron(1), item(1)

    def broken(actor, patron, item, **kw):
        raise RuntimeError(f"database said something about {CARD} and Given1")

    monkeypatch.setattr(services, "do_checkout", broken)
    caplog.set_level(logging.INFO, logger="quietdesk.sip2")
    conn = logged_in(raw, server, machine)
    answer = conn.ask(checkout("ITEM00001"))
    assert answer.startswith(b"120") and b"Please ask at the desk" in answer
    assert conn.ask("9900302.00").startswith(b"98Y")  # the connection goes on
    server.tally.flush()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "internal error RuntimeError: 1" in text
    assert CARD not in text and "Given1" not in text


def test_logs_hold_counts_and_never_a_patron_field(serve, machine, raw, caplog):
    caplog.set_level(logging.DEBUG)
    server = serve()
    patron(1)
    book = item(1, title="A Title Nobody Should See")
    conn = logged_in(raw, server, machine)
    assert conn.ask(checkout(book.barcode)).startswith(b"121")
    assert conn.ask(f"63000{date18()}  Y       AORPL|AA{CARD}|").startswith(b"64")
    assert conn.ask(f"09N{date18()}{date18()}APfront|AORPL|AB{book.barcode}|AC|").startswith(b"101")
    conn.ask("11NN2026")
    conn.close()
    server.stop()
    time.sleep(0.6)
    server.tally.flush()
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("quietdesk")]
    assert any("message 11: 1" in line for line in ours)
    for line in ours:
        for secret in (CARD, book.barcode, "Given1", "Family1", "patron1@example.org", book.title, "front-door",
                       "127.0.0.1"):
            assert secret not in line


@pytest.mark.filterwarnings("ignore:ssl.PROTOCOL_TLS is deprecated:DeprecationWarning")  # inside sip2 1.1
def test_tls_from_settings(serve, machine, sip2_client, raw, tls_files):
    server = serve(**tls_files)
    client = sip2_client(server.port, host="localhost", tls=True)  # sip2 1.1 accepts a self-signed certificate
    assert client._socket.version() in {"TLSv1.2", "TLSv1.3"}
    answer = client.sip_login_response(client.get_response(client.sip_login_request(*machine)))
    assert answer["fixed"]["Ok"] == "1"
    plain = raw(server.port)
    plain.send(wire.with_trailer(login_frame(*machine).encode(), "0", True))
    assert plain.read() == b""  # no plain text on the TLS port
    assert server.tally.total["closed: TLS handshake failed"] >= 1
