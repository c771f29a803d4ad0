"""One machine connection's SIP2 conversation, apart from its socket: checksums,
resends, log-in, and one answer per request from ``acs``. The event loop in
``listener`` owns the sockets and calls ``Session.handle`` with each whole frame.

* a bad checksum gets 96 (send again); 97 gets the last answer again; the same
  frame sent twice in a row (same sequence number and checksum: the machine did
  not hear the answer) gets the same answer, not a second checkout;
* a malformed message gets 96, and the connection is closed after a few in a row;
* unknown message types, anything but login (or status) before login, three
  failed logins, a revoked machine: the connection is closed (``Closed``);
* an unexpected error is counted by its type only, answered with the
  protocol's refusal, and the database connection is reset.
"""

from __future__ import annotations

import contextlib
import time

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
    """Where the server's database work runs.

    SQLite (``inline``): on the event loop's own thread, one answer at a time, with
    that thread's connection. SQLite runs one writer at a time anyway; threads
    taking turns on it cost more than they gave (see ``listener``).

    PostgreSQL: on a few database threads, each with its own connection, closed
    when the server stops (``thread_done``).

    The test suite swaps in one whose ``guard`` lends the server the test's
    in-memory SQLite connection, as Django's live server does."""

    @property
    def inline(self) -> bool:
        return connection.vendor == "sqlite"

    def guard(self):
        return contextlib.nullcontext()

    def bound_waits(self) -> None:
        """PostgreSQL database threads, before each message: no statement or lock wait holds a
        thread (and the machines queued behind it) for long; the machine gets the protocol's
        refusal instead. Set once per connection; nothing to do on SQLite."""
        if not self.inline and connection.connection is None:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 5000")  # milliseconds
                cursor.execute("SET lock_timeout = 2000")

    def thread_done(self) -> None:
        connection.close()

    def after_error(self) -> None:
        """Called under ``guard``: drop a connection that an error left unusable."""
        connection.close_if_unusable_or_obsolete()
        close_old_connections()


class Session:
    """What the server knows of one machine connection: its log-in, its last answer
    (for resends, kept for the life of the connection only) and its error counts."""

    def __init__(self, conf: Conf, tally: Tally, db: DatabaseAccess):
        self.conf, self.tally, self.db = conf, tally, db
        self.machine: acs.Machine | None = None
        self.last_frame: bytes | None = None
        self.last_answer: bytes | None = None
        self.failed_logins = 0
        self.errors_in_a_row = 0
        self.checked_at = 0.0

    def handle(self, frame: bytes) -> bytes:
        """The answer to one frame (without its CR), with its trailer and CR. Raises Closed."""
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
                self.db.bound_waits()  # here, so that a database out of reach gets the refusal below
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
