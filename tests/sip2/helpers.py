"""Helpers for the SIP2 tests: a raw SIP2 socket and frames written by hand."""

from __future__ import annotations

import contextlib
import socket

from quietdesk.sip2 import wire


class Raw:
    """A plain socket speaking SIP2 frames by hand, for what no client library sends."""

    def __init__(self, port: int, timeout: float = 5.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buffer = bytearray()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def frame(self, body: str | bytes, seq: str | None = "0", checksum: bool = True) -> bytes:
        body = body.encode() if isinstance(body, str) else body
        return wire.with_trailer(body, seq, checksum)

    def ask(self, body: str | bytes, **kw) -> bytes:
        self.send(self.frame(body, **kw))
        return self.read()

    def read(self) -> bytes:
        """One answer without its CR; b"" if the server closed the connection."""
        while b"\r" not in self.buffer:
            try:
                data = self.sock.recv(65536)
            except ConnectionResetError:
                return b""
            if not data:
                return b""
            self.buffer += data
        frame, _, rest = bytes(self.buffer).partition(b"\r")
        self.buffer = bytearray(rest)
        return frame

    def closed_by_server(self, within: float = 5.0) -> bool:
        self.sock.settimeout(within)
        try:
            return self.sock.recv(65536) == b""
        except ConnectionResetError:
            return True
        except TimeoutError:
            return False

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


def login_frame(label: str, token: str) -> str:
    return f"9300CN{label}|CO{token}|CPfront|"


def date18() -> str:
    return "20261201    120000"
