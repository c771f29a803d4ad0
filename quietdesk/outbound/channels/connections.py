"""HTTP connections shared by the channels that speak HTTP (Signal's daemon, webhooks)."""

from __future__ import annotations

import http.client
import ssl
from urllib.parse import urlsplit

from ..transport import TIMEOUT

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def private_enough(scheme: str, hostname: str | None) -> bool:
    """The one rule for where a message may be posted: https anywhere, plain http only to this
    machine (nothing crosses a network in clear). The alerts form checks an address with it,
    and the webhook channel again before it connects, whatever wrote the address."""
    return scheme == "https" or (scheme == "http" and hostname in LOOPBACK)


def connection(url: str) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    if not parts.hostname:
        raise ValueError("the address names no server")
    if parts.scheme == "https":
        return http.client.HTTPSConnection(parts.hostname, parts.port or 443, timeout=TIMEOUT,
                                           context=ssl.create_default_context())
    return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=TIMEOUT)


def target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
