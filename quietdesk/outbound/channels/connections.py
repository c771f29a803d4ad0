"""HTTP connections shared by the channels that speak HTTP (Signal's daemon, webhooks)."""

from __future__ import annotations

import http.client
import ssl
from urllib.parse import urlsplit

from ..transport import TIMEOUT


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
