"""``quietdesk sip2 serve``: the TCP server self-check machines connect to.

One event loop (``selectors``, one thread) holds every machine connection: it
accepts, reads whole frames, has ``session.Session`` answer them, and writes the
answers back. Why not a thread per connection: on SQLite, which runs one writer
at a time, the threads only took turns, and handing the interpreter lock and the
database lock from core to core cost more CPU than the answers themselves
(measured with two machines: 1.0 ms of CPU per transaction with a thread each,
0.66-0.75 ms with one loop; 1,000 against 1,300-1,500 transactions a second).
On SQLite the loop answers each message itself. On PostgreSQL, which runs
transactions side by side, it hands each message to a few database threads,
each with its own connection, and goes on with the other machines meanwhile.

Bounds, so that no machine can hold the server:

* at most ``max_connections`` connections; one more is closed at once;
* a frame of at most ``max_frame_bytes``; bytes that cannot begin a SIP2
  message (a TLS hello on a plain port, HTTP) close the connection at once;
* ``idle_seconds`` to begin a message, ``frame_seconds`` to finish it, to finish
  a TLS handshake, or to read an answer; TCP keepalive finds dead peers;
* a connection is read from only when its last answer has been sent and it has
  no message waiting, so what the server holds for one machine stays small,
  and each loop turn answers at most one message per machine: a machine that
  sends many at once waits its turn behind the others.

Nothing here keeps a peer's address; the loop counts, the tally logs the counts.
"""

from __future__ import annotations

import contextlib
import queue
import selectors
import socket
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable

from . import wire
from .conf import Conf
from .session import Closed, DatabaseAccess, Session
from .tally import Tally

DATABASE_THREADS = 8  # PostgreSQL: messages answered side by side
TICK_SECONDS = 0.25  # how often deadlines are checked
RECV_BYTES = 16384  # a TLS record's most; bounds the messages one read can queue
ACCEPT_PAUSE_SECONDS = 0.5  # after accept() fails (out of file descriptors): try again later
READ, WRITE = selectors.EVENT_READ, selectors.EVENT_WRITE
_WOULD_BLOCK = (BlockingIOError, InterruptedError, ssl.SSLWantReadError, ssl.SSLWantWriteError)


class Connection:
    """One machine's socket and what the loop knows of it."""

    __slots__ = ("sock", "session", "inbox", "ready", "outbox", "events", "deadline", "reason",
                 "handshaking", "busy", "queued", "closed", "read_needs_write", "last_progress")

    def __init__(self, sock, session: Session, handshaking: bool):
        self.sock = sock
        self.session = session
        self.inbox = bytearray()  # bytes of a message not yet whole
        self.ready: deque[bytes] = deque()  # whole frames not yet answered
        self.outbox = bytearray()  # an answer not yet sent
        self.events = 0  # what the selector watches for (0: not registered)
        self.deadline: float | None = None
        self.reason = ""  # why the connection is closed at the deadline
        self.handshaking = handshaking
        self.busy = False  # a database thread is answering it
        self.queued = False  # in the loop's queue of connections with a frame to answer
        self.closed = False
        self.read_needs_write = False  # TLS must send (a key update's reply) before it reads on
        # When the machine last sent a whole message or took a whole answer: its idle time
        # runs from here, whatever else (line feeds, TLS key updates) it sends meanwhile.
        self.last_progress = time.monotonic()


class Server:
    """The listener. ``serve_forever`` until ``stop``; ``port`` once bound."""

    def __init__(self, conf: Conf, *, db: DatabaseAccess | None = None, tally: Tally | None = None):
        self.conf = conf
        self.db = db or DatabaseAccess()
        self.tally = tally or Tally("sip2 serve", conf.log_minutes)
        self.tls = conf.server_tls()
        self._stopping = False
        self._conns: set[Connection] = set()
        self._runnable: deque[Connection] = deque()
        self._accept_paused_until = 0.0
        self._jobs: queue.SimpleQueue | None = None  # to the database threads (PostgreSQL)
        self._done: queue.SimpleQueue = queue.SimpleQueue()  # their answers, back to the loop
        self._workers: list[threading.Thread] = []
        host, port = conf.listen
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.sock.bind((host, port))
            self.sock.listen(128)
        except OSError:
            self.sock.close()
            raise
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]
        self._wake_r, self._wake_w = socket.socketpair()  # stop() and the database threads wake the loop
        for end in (self._wake_r, self._wake_w):
            end.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.sock, READ, "accept")
        self._selector.register(self._wake_r, READ, "wake")

    @property
    def open_connections(self) -> int:
        return len(self._conns)

    # --- the loop ---------------------------------------------------------------

    def serve_forever(self, on_ready: Callable[[], None] | None = None) -> None:
        if not self.db.inline:
            self._jobs = queue.SimpleQueue()
            self._workers = [threading.Thread(target=self._database_thread, daemon=True, name="sip2-database")
                             for _ in range(DATABASE_THREADS)]
            for worker in self._workers:
                worker.start()
        if on_ready:
            on_ready()
        next_tick = time.monotonic() + TICK_SECONDS
        try:
            while not self._stopping:
                for key, mask in self._selector.select(0 if self._runnable else TICK_SECONDS):
                    if key.data == "accept":
                        self._accept()
                    elif key.data == "wake":
                        self._woken()
                    else:
                        self._guarded(key.data, self._on_event, mask)
                for _ in range(len(self._runnable)):  # one message each, in turn
                    conn = self._runnable.popleft()
                    conn.queued = False
                    self._guarded(conn, self._answer_next)
                now = time.monotonic()
                if now >= next_tick:
                    self._tick(now)
                    next_tick = now + TICK_SECONDS
        finally:
            self._shut_down()

    def stop(self) -> None:
        """Stop accepting and end every connection (from any thread, or a signal handler)."""
        self._stopping = True
        self._wake()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # a full wake-up pipe wakes the loop as well
            self._wake_w.send(b"\0")

    def _shut_down(self) -> None:
        for conn in list(self._conns):
            self._close(conn, "")
        if self._jobs is not None:
            for _ in self._workers:
                self._jobs.put(None)
            deadline = time.monotonic() + self.conf.frame_seconds  # one wait for them all
            for worker in self._workers:
                worker.join(max(0.0, deadline - time.monotonic()))
        elif self.db.inline:
            with contextlib.suppress(Exception):
                self.db.thread_done()  # the loop's own database connection
        self._selector.close()
        for sock in (self.sock, self._wake_r, self._wake_w):
            sock.close()
        self.tally.flush()

    def _guarded(self, conn: Connection, step: Callable, *args) -> None:
        """Run one step of one connection; whatever happens ends that connection only."""
        if conn.closed:
            return
        try:
            step(conn, *args)
            if not conn.closed:
                self._settle(conn)
        except Closed as closed:
            self._close(conn, closed.reason)
        except OSError:  # ssl.SSLError included
            self._close(conn, "network error")
        except Exception as exc:  # counted by type only: its text could hold anything
            self._close(conn, f"internal error {type(exc).__name__}")

    # --- connections --------------------------------------------------------------

    def _accept(self) -> None:
        for _ in range(64):  # a burst of connections does not starve the others
            try:
                sock, _peer = self.sock.accept()  # the peer's address is not kept
            except _WOULD_BLOCK:
                return
            except OSError:  # out of file descriptors, most likely: stop accepting for a moment
                self.tally.add("accept failed")
                self._accept_paused_until = time.monotonic() + ACCEPT_PAUSE_SECONDS
                self._selector.unregister(self.sock)
                return
            if len(self._conns) >= self.conf.max_connections:
                self.tally.add("closed: too many connections")
                _close(sock)
                continue
            self.tally.add("connections")
            try:
                sock.setblocking(False)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if self.tls is not None:
                    sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
            except OSError:
                self.tally.add("closed: network error")
                _close(sock)
                continue
            conn = Connection(sock, Session(self.conf, self.tally, self.db), handshaking=self.tls is not None)
            self._conns.add(conn)
            if conn.handshaking:
                conn.deadline, conn.reason = time.monotonic() + self.conf.frame_seconds, "TLS handshake failed"
                self._want(conn, READ)
            else:
                self._settle(conn)

    def _on_event(self, conn: Connection, mask: int) -> None:
        if conn.handshaking:
            if not self._handshake(conn):
                return
            mask = READ  # the machine's first message may have come with the handshake's last bytes
        if mask & WRITE:
            if conn.read_needs_write:
                conn.read_needs_write = False
                mask |= READ
            self._flush(conn)
        if mask & READ:
            self._read(conn)
        if not conn.closed:
            self._answer_next(conn)

    def _handshake(self, conn: Connection) -> bool:
        try:
            conn.sock.do_handshake()
        except ssl.SSLWantReadError:
            self._want(conn, READ)
            return False
        except ssl.SSLWantWriteError:
            self._want(conn, WRITE)
            return False
        except OSError:
            raise Closed("TLS handshake failed") from None
        conn.handshaking = False
        conn.reason = ""
        conn.last_progress = time.monotonic()
        return True

    def _read(self, conn: Connection) -> None:
        try:
            # Over TLS this is one whole record (at most 16 KB), so nothing already
            # decrypted is left inside the socket where the selector cannot see it.
            data = conn.sock.recv(RECV_BYTES)
        except ssl.SSLWantWriteError:
            conn.read_needs_write = True  # wait until the socket takes bytes, not for more to read
            return
        except _WOULD_BLOCK:
            return
        except OSError:
            data = b""  # a reset is a hang-up
        if not data:
            self._close(conn, "")  # the machine hung up
            return
        conn.inbox += data
        frames = wire.split_frames(conn.inbox)
        if conn.inbox[:1] == b"\n":  # the LF of a CR LF line end, before a message yet to come
            conn.inbox = conn.inbox.lstrip(b"\n")
        limit = self.conf.max_frame_bytes
        if len(conn.inbox) > limit or any(len(frame) > limit for frame in frames):
            raise Closed("frame too long")
        # Refuse at the first bytes what cannot begin a SIP2 message: no waiting for a CR that never comes.
        pending = conn.inbox
        if pending and not (pending[:2].isdigit() or (len(pending) == 1 and pending.isdigit())):
            raise Closed("not SIP2")
        if frames:
            conn.ready.extend(frames)
            conn.reason = ""  # a new message's time starts now
            conn.last_progress = time.monotonic()

    def _answer_next(self, conn: Connection) -> None:
        if not conn.ready or conn.outbox or conn.busy:
            return
        frame = conn.ready.popleft()
        if self._jobs is None:
            conn.outbox += conn.session.handle(frame)
            self._flush(conn)
        else:
            conn.busy = True
            self._jobs.put((conn, frame))

    def _flush(self, conn: Connection) -> None:
        if not conn.outbox:
            return
        try:
            sent = conn.sock.send(conn.outbox)
        except _WOULD_BLOCK:
            return
        del conn.outbox[:sent]
        if not conn.outbox:
            conn.reason = ""
            conn.last_progress = time.monotonic()

    def _settle(self, conn: Connection) -> None:
        """After every step: what to wait for from this connection, and until when."""
        if conn.handshaking:
            return
        now = time.monotonic()
        if conn.busy:
            events, conn.deadline, conn.reason = 0, None, ""
        elif conn.outbox or conn.read_needs_write:
            events = WRITE
            if conn.reason != "slow reader":
                conn.deadline, conn.reason = now + self.conf.frame_seconds, "slow reader"
            idle_ends = conn.last_progress + self.conf.idle_seconds
            if not conn.outbox and conn.deadline is not None and idle_ends < conn.deadline:  # TLS's own bytes are no message either
                conn.deadline = idle_ends
        elif conn.ready:
            events, conn.deadline, conn.reason = 0, None, ""
            if not conn.queued:
                conn.queued = True
                self._runnable.append(conn)
        elif conn.inbox:
            events = READ
            if conn.reason != "slow frame":
                conn.deadline, conn.reason = now + self.conf.frame_seconds, "slow frame"
        else:
            # Only a whole message or a sent answer starts the idle time again: not stray
            # line feeds, a TLS record trickled a byte at a time, or TLS key updates.
            events = READ
            conn.deadline, conn.reason = conn.last_progress + self.conf.idle_seconds, "idle timeout"
        self._want(conn, events)

    def _want(self, conn: Connection, events: int) -> None:
        if events == conn.events:
            return
        if conn.events == 0:
            self._selector.register(conn.sock, events, conn)
        elif events == 0:
            self._selector.unregister(conn.sock)
        else:
            self._selector.modify(conn.sock, events, conn)
        conn.events = events

    def _close(self, conn: Connection, reason: str) -> None:
        if conn.closed:
            return
        conn.closed = True
        if reason:
            self.tally.add(f"closed: {reason}")
        if conn.events:
            with contextlib.suppress(KeyError, ValueError, OSError):
                self._selector.unregister(conn.sock)
            conn.events = 0
        self._conns.discard(conn)
        _close(conn.sock)

    def _tick(self, now: float) -> None:
        for conn in list(self._conns):
            if conn.deadline is not None and now >= conn.deadline:
                self._close(conn, conn.reason)
        if self._accept_paused_until and now >= self._accept_paused_until:
            self._accept_paused_until = 0.0
            self._selector.register(self.sock, READ, "accept")

    # --- PostgreSQL: database threads ------------------------------------------

    def _database_thread(self) -> None:
        jobs = self._jobs
        if jobs is None:
            return
        try:
            while (job := jobs.get()) is not None:
                conn, frame = job
                if conn.closed:  # closed while it waited (the server is stopping): not carried out
                    continue
                try:
                    result: bytes | Closed = conn.session.handle(frame)
                except Closed as closed:
                    result = closed
                except Exception as exc:  # counted by type only
                    result = Closed(f"internal error {type(exc).__name__}")
                self._done.put((conn, result))
                self._wake()
        finally:
            with contextlib.suppress(Exception):
                self.db.thread_done()

    def _woken(self) -> None:
        with contextlib.suppress(OSError):
            while self._wake_r.recv(4096):
                pass
        while True:
            try:
                conn, result = self._done.get_nowait()
            except queue.Empty:
                return
            conn.busy = False
            self._guarded(conn, self._answered, result)

    def _answered(self, conn: Connection, result: bytes | Closed) -> None:
        if isinstance(result, Closed):
            raise result
        conn.outbox += result
        self._flush(conn)


def _close(sock) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
