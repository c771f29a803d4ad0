"""The server's event loop as machines see it on a real socket: many messages at
once, machines that do not read their answers, TLS records carrying several
messages, a TLS connection that never finishes its handshake, and stopping with
machines connected. (On PostgreSQL the same tests go through the database threads.)"""

import errno
import socket
import ssl
import threading
import time
from collections import Counter

import pytest
from django.db import connection

from quietdesk.sip2.session import Session
from tests.sip2.helpers import Raw, login_frame
from tests.sip2.upstreams import wait_for

pytestmark = pytest.mark.slow

STATUS = "9900302.00"


def logged_in(raw, server, machine) -> Raw:
    conn = raw(server.port)
    assert conn.ask(login_frame(*machine)).startswith(b"941")
    return conn


def test_messages_sent_together_are_answered_in_order_and_one_machine_does_not_hold_up_another(
        serve, machine, raw, monkeypatch):
    server = serve()
    handled: list[int] = []
    real_handle = Session.handle

    def recording(self, frame):
        handled.append(id(self))
        return real_handle(self, frame)

    monkeypatch.setattr(Session, "handle", recording)
    flooder, other = logged_in(raw, server, machine), logged_in(raw, server, machine)
    handled.clear()
    many = 2000
    flooder.send(b"".join(flooder.frame(STATUS, seq=str(i % 10)) for i in range(many)))
    other.send(other.frame(STATUS, seq="7"))
    assert other.read().startswith(b"98Y")
    answers = [flooder.read() for _ in range(many)]
    assert all(a.startswith(b"98Y") and f"AY{i % 10}AZ".encode() in a for i, a in enumerate(answers))
    flooder_id = Counter(handled).most_common(1)[0][0]
    other_at = next(i for i, who in enumerate(handled) if who != flooder_id)
    assert other_at < many // 2  # answered in its turn, not after the flood


def test_a_machine_that_does_not_read_its_answers_is_closed(serve, machine, monkeypatch):
    server = serve(frame_seconds=1, idle_seconds=30)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", server.port))
    conn = Raw.__new__(Raw)
    conn.sock, conn.buffer = sock, bytearray()
    assert conn.ask(login_frame(*machine)).startswith(b"941")
    real_handle = Session.handle
    # Long answers (as 64s with item lists can be) fill the socket buffers within a few messages.
    monkeypatch.setattr(Session, "handle", lambda self, frame: real_handle(self, frame) + b" " * 65536)
    sock.settimeout(0.5)
    with pytest.raises((TimeoutError, ConnectionError)):
        for i in range(100_000):  # until the server stops reading from a machine that does not read
            sock.sendall(conn.frame(STATUS, seq=str(i % 10)) * 100)
    assert wait_for(lambda: server.tally.total["closed: slow reader"] == 1)
    assert wait_for(lambda: server.open_connections == 0)
    sock.close()


def _tls_client(port: int, cert: str) -> ssl.SSLSocket:
    context = ssl.create_default_context(cafile=cert)
    return context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=5), server_hostname="localhost")


def test_messages_in_one_tls_record_are_all_answered(serve, machine, tls_files):
    server = serve(**tls_files)
    tls = _tls_client(server.port, tls_files["tls_cert"])
    conn = Raw.__new__(Raw)
    conn.sock, conn.buffer = tls, bytearray()
    tls.sendall(conn.frame(login_frame(*machine), seq="1") + conn.frame(STATUS, seq="2") + conn.frame(STATUS, seq="3"))
    assert conn.read().startswith(b"941")
    assert b"AY2AZ" in conn.read() and b"AY3AZ" in conn.read()
    tls.close()


def test_a_tls_connection_that_never_finishes_its_handshake_is_closed(serve, tls_files, raw):
    server = serve(frame_seconds=1, idle_seconds=30, **tls_files)
    silent = raw(server.port)
    assert silent.closed_by_server(within=4)
    assert server.tally.total["closed: TLS handshake failed"] == 1


def test_stopping_the_server_closes_every_connection(serve, machine, raw):
    server = serve()
    idle = logged_in(raw, server, machine)
    halfway = logged_in(raw, server, machine)
    halfway.send(b"99003")  # a message begun
    assert wait_for(lambda: server.open_connections == 2)
    server.stop()
    assert idle.closed_by_server() and halfway.closed_by_server()
    assert wait_for(lambda: server.open_connections == 0)


def test_an_error_in_the_loop_ends_that_connection_only(serve, machine, raw, monkeypatch):
    server = serve()
    broken, fine = logged_in(raw, server, machine), logged_in(raw, server, machine)
    real_handle = Session.handle

    def handle(self, frame):
        if frame.startswith(b"17"):
            raise RuntimeError("something unforeseen, about 21000000000001")
        return real_handle(self, frame)

    monkeypatch.setattr(Session, "handle", handle)
    assert broken.ask("17" + "20261201    120000" + "ABITEM00001|") == b""
    assert fine.ask(STATUS).startswith(b"98Y")
    assert server.tally.total["closed: internal error RuntimeError"] == 1


class _FailingOnce:
    """The listening socket, whose first accept() fails as it does when the process is
    out of file descriptors (EMFILE)."""

    def __init__(self, sock):
        self.sock, self.failed = sock, False

    def fileno(self):
        return self.sock.fileno()

    def accept(self):
        if not self.failed:
            self.failed = True
            raise OSError(errno.EMFILE, "Too many open files")
        return self.sock.accept()

    def close(self):
        self.sock.close()


def test_when_accept_fails_the_server_pauses_then_accepts_again(serve, machine, raw):
    server = serve()
    server.sock = _FailingOnce(server.sock)
    waiting = raw(server.port)  # waits in the listen queue while the server pauses
    assert waiting.ask(login_frame(*machine)).startswith(b"941")
    assert server.tally.total["accept failed"] == 1


def test_stray_line_feeds_do_not_keep_a_connection_open(serve, machine, raw):
    server = serve(idle_seconds=1, frame_seconds=1)
    trickler = logged_in(raw, server, machine)
    started = time.monotonic()
    with pytest.raises(OSError):  # the server closes it at its idle time, line feeds or not
        while time.monotonic() - started < 5:
            trickler.send(b"\n")
            time.sleep(0.2)
    assert time.monotonic() - started < 3
    assert server.tally.total["closed: idle timeout"] == 1


ON_POSTGRESQL = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                   reason="database threads run on PostgreSQL only; on SQLite the loop answers")


@ON_POSTGRESQL
def test_messages_still_waiting_when_the_server_stops_are_not_carried_out(serve, machine, raw, monkeypatch):
    from quietdesk.sip2.listener import DATABASE_THREADS

    server = serve()
    machines = [logged_in(raw, server, machine) for _ in range(DATABASE_THREADS + 4)]
    begun = []
    real_handle = Session.handle

    def slow(self, frame):
        begun.append(frame[:2])
        time.sleep(0.5)
        return real_handle(self, frame)

    monkeypatch.setattr(Session, "handle", slow)
    for each in machines:
        each.send(each.frame(STATUS))
    assert wait_for(lambda: len(begun) == DATABASE_THREADS)
    server.stop()
    assert all(each.closed_by_server() for each in machines)
    assert wait_for(lambda: not any(t.name == "sip2-database" for t in threading.enumerate()))
    assert len(begun) == DATABASE_THREADS  # the four still queued never reached the database


@ON_POSTGRESQL
def test_database_threads_bound_statement_and_lock_waits(serve, machine, raw, monkeypatch):
    from quietdesk.sip2 import acs, wire

    def status_with_timeouts(machine, message, form):
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            statement = cursor.fetchone()[0]
            cursor.execute("SHOW lock_timeout")
            lock = cursor.fetchone()[0]
        return wire.encode("98", "YYYYNN100003" + "20261201    120000" + "2.00", [("AF", f"{statement} {lock}")])

    monkeypatch.setitem(acs.HANDLERS, "99", status_with_timeouts)
    server = serve()
    assert b"AF5s 2s|" in logged_in(raw, server, machine).ask(STATUS)


@pytest.mark.nodb
def test_waiting_to_write_does_not_restart_a_connections_idle_time():
    """A TLS peer that keeps making the server write before it can read (key updates)
    sends no message: when the wait ends, its idle time runs on from its last message."""
    from quietdesk.sip2.conf import Conf
    from quietdesk.sip2.listener import READ, WRITE, Connection, Server

    server = Server(Conf(listen=("127.0.0.1", 0), idle_seconds=600, frame_seconds=30))
    ours, theirs = socket.socketpair()
    try:
        conn = Connection(ours, None, handshaking=False)
        conn.last_progress -= 500  # its last message was 500 s ago
        server._settle(conn)
        assert (conn.events, conn.reason) == (READ, "idle timeout")
        idle_ends = conn.deadline
        assert idle_ends == pytest.approx(time.monotonic() + 100, abs=1)
        conn.last_progress -= 90  # 10 s of idle time left: less than the 30 s to read an answer
        server._settle(conn)
        idle_ends = conn.deadline
        for _ in range(3):  # TLS must write first, then may read again: no message either way
            conn.read_needs_write = True
            server._settle(conn)
            assert (conn.events, conn.reason) == (WRITE, "slow reader")
            assert conn.deadline <= idle_ends + 1e-6  # waiting to write does not outlast the idle time
            conn.read_needs_write = False
            server._settle(conn)
            assert (conn.events, conn.deadline) == (READ, idle_ends)
    finally:
        server._selector.close()
        for sock in (server.sock, server._wake_r, server._wake_w, ours, theirs):
            sock.close()
