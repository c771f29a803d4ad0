"""``quietdesk sip2 filter``: a SIP2 proxy between self-check machines and an ILS's
own SIP2 server (Koha's SIPServer, Evergreen, Sierra, Polaris...).

* One upstream connection per machine connection, opened when the machine
  connects. Requests pass through unchanged; answers are rewritten by the
  policy (``filtering.rewrite``), their checksum computed again.
* Refused message types are answered here with the protocol's refusal and never
  reach the ILS. Request types SIP2 2.00 does not define are refused by closing
  the connection: an answer the filter cannot read is an answer it cannot filter.
* It keeps no patron data: nothing is cached, nothing but counts is logged.
  The machine's own login (93) is kept in memory for the life of its
  connection, so that when the ILS goes away the filter can connect again, log
  in again, and send the request again (once) without the machine noticing.
  While the ILS stays away, the machine gets refusals ("98" off-line for a status).
* The same bounds as the server: connections, frame sizes, idle and frame timeouts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from typing import Any

from django.utils import timezone

from . import filtering, wire
from .conf import Conf
from .tally import Tally

UPSTREAM_DOWN = "The library system is not answering. Please ask at the desk."
RETRY_AFTER_SECONDS = 1.0  # the ILS is not asked again sooner than this after a failure
MAX_ERRORS_IN_A_ROW = 3
BAD_ANSWER_RESENDS = 2  # 97s sent up for an answer with a bad checksum


class Closed(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class UpstreamGone(Exception):
    pass


async def read_frame(reader: asyncio.StreamReader, idle: float, frame_time: float, limit: int) -> bytes | None:
    """The next frame without its CR; None at end of stream. Raises Closed.

    ``idle`` bounds the wait for a frame's first byte, ``frame_time`` the rest of it
    (one timeout, moved when the first byte arrives: no task per read)."""
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(idle) as deadline:
            first = await reader.read(1)
            while first == b"\n":  # the LF of a CR LF line end
                first = await reader.read(1)
            if not first:
                return None
            if not first.isdigit():
                raise Closed("not SIP2")
            deadline.reschedule(loop.time() + frame_time)
            rest = await reader.readuntil(b"\r")
    except TimeoutError:
        raise Closed("timeout") from None
    except asyncio.LimitOverrunError:
        raise Closed("frame too long") from None
    except asyncio.IncompleteReadError:
        return None
    frame = first + rest[:-1]
    if len(frame) > limit:
        raise Closed("frame too long")
    return frame


class Upstream:
    """The ILS connection of one machine session."""

    def __init__(self, proxy: FilterProxy):
        self.proxy = proxy
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.login: bytes | None = None  # the machine's 93, to log in again after a reconnect
        self.failed_at = -RETRY_AFTER_SECONDS

    async def connect(self) -> bool:
        loop = asyncio.get_running_loop()
        if loop.time() - self.failed_at < RETRY_AFTER_SECONDS:
            return False
        host, port = self.proxy.upstream
        conf = self.proxy.conf
        try:
            self.reader, self.writer = await asyncio.wait_for(
                asyncio.open_connection(host, port, ssl=conf.upstream_tls(), limit=conf.upstream_max_frame_bytes + 1),
                conf.upstream_seconds)
            if self.login is not None:  # log the machine in again on the new connection
                answer = await self._exchange(self.login)
                if answer[:3] != b"941":
                    raise UpstreamGone()
            self.proxy.tally.add("upstream connected")
            return True
        except (OSError, TimeoutError, UpstreamGone, Closed):
            self.close()
            self.failed_at = loop.time()
            self.proxy.tally.add("upstream unreachable")
            return False

    async def _exchange(self, frame: bytes) -> bytes:
        conf = self.proxy.conf
        if self.writer is None or self.reader is None:
            raise UpstreamGone()
        try:
            self.writer.write(frame + b"\r")
            await self.writer.drain()
            for _ in range(BAD_ANSWER_RESENDS + 1):
                answer = await read_frame(self.reader, conf.upstream_seconds, conf.upstream_seconds,
                                          conf.upstream_max_frame_bytes)
                if answer is None:
                    raise UpstreamGone()
                if wire.checksum_ok(answer, wire.split_trailer(answer)):
                    return answer
                # Damaged on the way: ask the ILS for it again, never pass it on.
                self.proxy.tally.add("upstream bad checksum")
                self.writer.write(wire.with_trailer(b"97", None, True))
                await self.writer.drain()
        except (OSError, Closed) as exc:
            raise UpstreamGone() from exc
        raise UpstreamGone()

    async def exchange(self, frame: bytes) -> bytes | None:
        """Send a request, return the answer; reconnect once if the ILS went away."""
        for attempt in range(2):
            if self.writer is None and not await self.connect():
                return None
            try:
                return await self._exchange(frame)
            except UpstreamGone:
                self.close()
                if attempt == 0:
                    self.proxy.tally.add("upstream lost")
        return None

    def close(self) -> None:
        if self.writer is not None:
            with contextlib.suppress(Exception):
                self.writer.close()
        self.reader = self.writer = None


class FilterProxy:
    def __init__(self, conf: Conf, upstream: tuple[str, int], *, tally: Tally | None = None):
        self.conf = conf
        self.upstream = upstream
        self.policy = conf.policy
        self.tally = tally or Tally("sip2 filter", conf.log_minutes)
        self.active = 0
        self.server: asyncio.base_events.Server | None = None
        self.port: int | None = None

    async def start(self) -> int:
        host, port = self.conf.listen
        tls = self.conf.server_tls()
        extra: dict[str, Any] = {"ssl": tls, "ssl_handshake_timeout": self.conf.frame_seconds} if tls else {}
        self.server = await asyncio.start_server(self.session, host, port, limit=self.conf.max_frame_bytes + 1,
                                                 **extra)
        self.port = self.server.sockets[0].getsockname()[1]
        return self.port

    async def serve_forever(self) -> None:
        server = self.server
        if server is None:
            raise RuntimeError("start() the proxy before serving.")
        async with server:
            await server.serve_forever()

    async def session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.active >= self.conf.max_connections:
            self.tally.add("closed: too many connections")
            writer.close()
            return
        self.active += 1
        self.tally.add("connections")
        upstream = Upstream(self)
        try:
            await upstream.connect()
            await self._relay(reader, writer, upstream)
        except Closed as closed:
            self.tally.add(f"closed: {closed.reason}")
        except (OSError, asyncio.IncompleteReadError):
            self.tally.add("closed: network error")
        except asyncio.CancelledError:
            self.tally.add("closed: filter stopping")  # ends the session's task cleanly
        except Exception as exc:  # counted by type only
            self.tally.add(f"internal error {type(exc).__name__}")
        finally:
            self.active -= 1
            upstream.close()
            with contextlib.suppress(Exception):
                writer.close()

    async def _relay(self, reader, writer, upstream: Upstream) -> None:
        conf, errors_in_a_row = self.conf, 0
        while (frame := await read_frame(reader, conf.idle_seconds, conf.frame_seconds, conf.max_frame_bytes)) is not None:
            answer = await self._answer(frame, upstream)
            if answer is None:
                errors_in_a_row += 1
                if errors_in_a_row > MAX_ERRORS_IN_A_ROW:
                    raise Closed("errors in a row")
                answer = wire.resend_request(True)
            else:
                errors_in_a_row = 0
            writer.write(answer + b"\r" if not answer.endswith(b"\r") else answer)
            await writer.drain()

    async def _answer(self, frame: bytes, upstream: Upstream) -> bytes | None:
        """The answer for the machine (with or without CR), None for "send it again"."""
        trailer = wire.split_trailer(frame)
        if not wire.checksum_ok(frame, trailer):
            self.tally.add("bad checksum")
            return None
        code = frame[:2].decode("ascii")
        if code not in wire.REQUEST_FIXED:
            raise Closed("unknown message type")
        if code != "97":
            try:
                message = wire.parse(frame, wire.REQUEST_FIXED, trailer)
            except wire.FrameError:
                self.tally.add("malformed message")
                return None
            if code in self.policy.refuse:
                self.tally.add(f"refused {code}")
                return wire.with_trailer(wire.refusal(message, wire.date18(timezone.localtime()),
                                                      "Not available at this machine."),
                                         trailer.sequence, trailer.detects_errors)
        self.tally.add(f"message {code}")
        answer = await upstream.exchange(frame)
        if answer is None:
            self.tally.add("answered while the ILS is away")
            if code == "97":
                return None
            return wire.with_trailer(wire.refusal(message, wire.date18(timezone.localtime()), UPSTREAM_DOWN),
                                     trailer.sequence, trailer.detects_errors)
        if code == "93":
            upstream.login = frame if answer[:3] == b"941" else None
        counts: Counter = Counter()
        try:
            answer = filtering.rewrite(answer, self.policy, counts)
        except wire.FrameError:
            self.tally.add("unreadable answer withheld")
            return None
        if counts:
            self.tally.merge(counts)
        return answer
