"""``quietdesk sip2 serve``: the TCP server self-check machines connect to.

One thread per machine connection, at most ``max_connections`` of them (one
more is closed at once). Each connection reads frames of at most
``max_frame_bytes``; it waits ``idle_seconds`` for a message to begin and
``frame_seconds`` for it to end, so a slow or half-open connection frees its
thread (TCP keepalive finds dead peers too). Bad input never reaches the
circulation services:

* a bad checksum gets 96 (send again); 97 gets the last answer again; the same
  frame sent twice in a row (same sequence number and checksum: the machine did
  not hear the answer) gets the same answer, not a second checkout;
* a malformed message gets 96, and the connection is closed after a few in a row;
* bytes that are not SIP2 (a TLS hello on a plain port, HTTP), unknown message
  types, a frame too long, anything but login before login, three failed
  logins, a revoked machine: the connection is closed;
* an unexpected error is counted by its type only, answered with the
  protocol's refusal, and the database connection is reset.

The last answer is kept in memory for resends, for the life of the connection only.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable

from django.db import close_old_connections, connection

from . import acs, wire
from .conf import Conf
from .tally import Tally

MAX_FAILED_LOGINS = 3
MAX_ERRORS_IN_A_ROW = 3
REVOCATION_CHECK_SECONDS = 5.0  # a revoked machine's sessions end at their first message after this


class Closed(Exception):
    """End this connection (the reason is a count, never the data)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class DatabaseAccess:
    """How connection threads use the database. Each thread has its own Django
    connection, closed when the machine hangs up. On SQLite, whose writers queue
    anyway, threads take turns on a lock: SQLite's own busy handler would make a
    waiting writer sleep for whole milliseconds. (The test suite swaps in one that
    shares its in-memory SQLite connection, as Django's live server does.)"""

    def __init__(self):
        self._sqlite_turns = threading.Lock()

    def guard(self):
        return self._sqlite_turns if connection.vendor == "sqlite" else contextlib.nullcontext()

    def thread_done(self) -> None:
        connection.close()

    def after_error(self) -> None:
        connection.close_if_unusable_or_obsolete()
        close_old_connections()


class FrameReader:
    """Frames from a socket, bounded in size and time."""

    def __init__(self, sock, conf: Conf, tally: Tally):
        self.sock, self.conf, self.tally = sock, conf, tally
        self.buffer = bytearray()
        self.ready: list[bytes] = []

    def next(self) -> bytes | None:
        """The next frame without its CR, or None when the machine hung up."""
        started = None
        while not self.ready:
            pending = self.buffer.lstrip(b"\n")
            if pending:
                # Refuse at the first bytes what cannot begin a SIP2 message (a TLS
                # hello on a plain port, HTTP): no waiting for a CR that never comes.
                if not (pending[:2].isdigit() or (len(pending) == 1 and pending.isdigit())):
                    raise Closed("not SIP2")
                started = started or time.monotonic()
                wait = self.conf.frame_seconds - (time.monotonic() - started)
            else:
                wait = self.conf.idle_seconds
            if wait <= 0:
                raise Closed("slow frame")
            self.sock.settimeout(wait)
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                raise Closed("slow frame" if pending else "idle timeout") from None
            except (OSError, ssl.SSLError):
                return None
            if not data:
                return None
            self.buffer += data
            self.ready = wire.split_frames(self.buffer)
            if len(self.buffer) > self.conf.max_frame_bytes or any(
                    len(f) > self.conf.max_frame_bytes for f in self.ready):
                raise Closed("frame too long")
        return self.ready.pop(0)


class Session:
    """One machine connection."""

    def __init__(self, sock, conf: Conf, tally: Tally, db: DatabaseAccess):
        self.sock, self.conf, self.tally, self.db = sock, conf, tally, db
        self.machine: acs.Machine | None = None
        self.last_frame: bytes | None = None
        self.last_answer: bytes | None = None
        self.failed_logins = 0
        self.errors_in_a_row = 0
        self.checked_at = 0.0

    def run(self) -> None:
        try:
            reader = FrameReader(self.sock, self.conf, self.tally)
            while (frame := reader.next()) is not None:
                self.sock.sendall(self.handle(frame))
        except Closed as closed:
            self.tally.add(f"closed: {closed.reason}")
        except (OSError, ssl.SSLError):
            self.tally.add("closed: network error")

    def handle(self, frame: bytes) -> bytes:
        trailer = wire.split_trailer(frame)
        if not wire.checksum_ok(frame, trailer):
            self.tally.add("bad checksum")
            return self._error(wire.resend_request(True))
        code = frame[:2]
        if not code.isdigit():
            raise Closed("not SIP2")
        if code == b"97":  # the machine did not get our last answer
            self.tally.add("resend asked")
            return self.last_answer or wire.resend_request(trailer.detects_errors)
        if trailer.sequence is not None and frame == self.last_frame and self.last_answer:
            self.tally.add("repeated message")
            return self.last_answer
        try:
            message = wire.parse(frame, wire.REQUEST_FIXED, trailer)
        except wire.UnknownCode:
            raise Closed("unknown message type") from None
        except wire.FrameError:
            self.tally.add("malformed message")
            return self._error(wire.resend_request(trailer.detects_errors))
        self.tally.add(f"message {message.code}")
        body = self._answer(message)
        self.errors_in_a_row = 0
        self.last_frame = frame
        self.last_answer = wire.with_trailer(body, trailer.sequence, trailer.detects_errors)
        return self.last_answer

    def _error(self, answer: bytes) -> bytes:
        self.errors_in_a_row += 1
        if self.errors_in_a_row > MAX_ERRORS_IN_A_ROW:
            raise Closed("errors in a row")
        return answer

    def _answer(self, message: wire.Message) -> bytes:
        with self.db.guard():
            try:
                if message.code == "93":
                    return self._login(message)
                if self.machine is None:
                    if message.code == "99":  # status before login: nothing about anyone
                        return wire.refusal(message, acs._today(), "Log in first.")
                    raise Closed("not logged in")
                if time.monotonic() - self.checked_at >= REVOCATION_CHECK_SECONDS:
                    if not self.machine.still_allowed():
                        raise Closed("machine revoked")
                    self.checked_at = time.monotonic()
                return acs.answer(self.machine, message, self.conf.name_form)
            except Closed:
                raise
            except Exception as exc:  # counted by type only: its text could hold anything
                self.tally.add(f"internal error {type(exc).__name__}")
                self.db.after_error()
                return wire.refusal(message, acs._today(), acs.SEE_STAFF)

    def _login(self, message: wire.Message) -> bytes:
        machine = acs.login(message)
        if machine is None:
            self.machine = None  # a failed log-in also ends the one before it
            self.failed_logins += 1
            self.tally.add("login refused")
            if self.failed_logins > MAX_FAILED_LOGINS:
                raise Closed("failed logins")
            return acs.login_answer(False)
        self.machine, self.checked_at = machine, time.monotonic()
        self.tally.add("login")
        return acs.login_answer(True)


class Server:
    """The listener. ``serve_forever`` until ``stop``; ``port`` once bound."""

    def __init__(self, conf: Conf, *, db: DatabaseAccess | None = None, tally: Tally | None = None):
        self.conf = conf
        self.db = db or DatabaseAccess()
        self.tally = tally or Tally("sip2 serve", conf.log_minutes)
        self.tls = conf.server_tls()
        self._active = threading.BoundedSemaphore(conf.max_connections)
        self._stopping = threading.Event()
        self._open: set = set()  # sockets of live sessions, closed by stop()
        self._open_lock = threading.Lock()
        host, port = conf.listen
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.sock.listen(128)
        self.sock.settimeout(0.5)  # so that stop() is noticed
        self.port = self.sock.getsockname()[1]

    def serve_forever(self, on_ready: Callable[[], None] | None = None) -> None:
        if on_ready:
            on_ready()
        try:
            while not self._stopping.is_set():
                try:
                    sock, _ = self.sock.accept()  # the peer's address is not kept
                except TimeoutError:
                    continue
                except OSError:
                    if self._stopping.is_set():
                        break
                    raise
                if not self._active.acquire(blocking=False):
                    self.tally.add("closed: too many connections")
                    _close(sock)
                    continue
                self.tally.add("connections")
                threading.Thread(target=self._session, args=(sock,), daemon=True, name="sip2-session").start()
        finally:
            self.sock.close()
            self.tally.flush()

    def _session(self, sock) -> None:
        raw = sock
        with self._open_lock:
            self._open.add(raw)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.tls is not None:
                sock.settimeout(self.conf.frame_seconds)
                try:
                    sock = self.tls.wrap_socket(sock, server_side=True)
                except (OSError, ssl.SSLError):
                    self.tally.add("closed: TLS handshake failed")
                    return
                with self._open_lock:
                    self._open.discard(raw)
                    self._open.add(sock)
                raw = sock
            Session(sock, self.conf, self.tally, self.db).run()
        finally:
            with self._open_lock:
                self._open.discard(raw)
            _close(sock)
            self._active.release()
            with contextlib.suppress(Exception):
                self.db.thread_done()

    def stop(self) -> None:
        """Stop accepting, and end the sessions (each closes its database connection)."""
        self._stopping.set()
        with self._open_lock:
            for sock in list(self._open):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _close(sock) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
