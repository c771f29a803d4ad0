"""The QUIETDESK_SIP2_* settings, checked once, as one object the server and the filter share."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import filtering


def parse_address(text: str) -> tuple[str, int]:
    """``HOST:PORT`` or ``[IPv6]:PORT``."""
    host, sep, port = (text or "").strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"{text!r} is not HOST:PORT")
    return host, int(port)


@dataclass(frozen=True)
class Conf:
    listen: tuple[str, int] = ("127.0.0.1", 6001)
    tls_cert: str = ""
    tls_key: str = ""
    name_form: str = "first"
    max_connections: int = 64
    max_frame_bytes: int = 4096
    idle_seconds: float = 600.0  # between two messages
    frame_seconds: float = 30.0  # from a message's first byte to its last; a TLS handshake; reading an answer
    policy: filtering.Policy = filtering.parse_policy(filtering.DEFAULT_FIELDS)
    upstream_seconds: float = 30.0  # the ILS must answer within this
    upstream_max_frame_bytes: int = 65536  # answers with item lists are long
    upstream_tls_ca: str = ""
    log_minutes: float = 60.0  # how often the counts are logged

    def with_changes(self, **changes) -> Conf:
        return replace(self, **changes)

    def server_tls(self) -> ssl.SSLContext | None:
        """TLS for the machines' side, when a certificate and key are configured."""
        if not self.tls_cert:
            return None
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.tls_cert, self.tls_key)
        return context

    def upstream_tls(self) -> ssl.SSLContext | None:
        if not self.upstream_tls_ca:
            return None
        return ssl.create_default_context(cafile=self.upstream_tls_ca)


def from_settings() -> Conf:
    """Read and check the settings; raises ImproperlyConfigured naming the setting."""

    def get(name):  # every default is settings.py's
        return getattr(settings, f"QUIETDESK_SIP2_{name}")

    try:
        listen = parse_address(get("LISTEN"))
    except ValueError as exc:
        raise ImproperlyConfigured(f"QUIETDESK_SIP2_LISTEN: {exc}") from None
    cert, key = get("TLS_CERT") or "", get("TLS_KEY") or ""
    if bool(cert) != bool(key):
        raise ImproperlyConfigured("Set both QUIETDESK_SIP2_TLS_CERT and QUIETDESK_SIP2_TLS_KEY, or neither.")
    for name, path in (("TLS_CERT", cert), ("TLS_KEY", key), ("UPSTREAM_TLS_CA", get("UPSTREAM_TLS_CA"))):
        if path and not Path(path).is_file():
            raise ImproperlyConfigured(f"QUIETDESK_SIP2_{name}={path} is not a readable file.")
    try:
        policy = filtering.parse_policy(get("FILTER_FIELDS"), get("FILTER_REFUSE"),
                                        get("NAME_FORM"))
    except ValueError as exc:
        raise ImproperlyConfigured(f"QUIETDESK_SIP2_FILTER_FIELDS / FILTER_REFUSE / NAME_FORM: {exc}") from None
    conf = Conf(
        listen=listen, tls_cert=cert, tls_key=key, name_form=policy.name_form,
        max_connections=int(get("MAX_CONNECTIONS")), max_frame_bytes=int(get("MAX_FRAME_BYTES")),
        idle_seconds=float(get("IDLE_SECONDS")), frame_seconds=float(get("FRAME_SECONDS")),
        policy=policy, upstream_seconds=float(get("UPSTREAM_SECONDS")),
        upstream_max_frame_bytes=int(get("UPSTREAM_MAX_FRAME_BYTES")),
        upstream_tls_ca=get("UPSTREAM_TLS_CA") or "", log_minutes=float(get("LOG_MINUTES")),
    )
    for name, value, low in (("MAX_CONNECTIONS", conf.max_connections, 1), ("MAX_FRAME_BYTES", conf.max_frame_bytes, 256),
                             ("IDLE_SECONDS", conf.idle_seconds, 1), ("FRAME_SECONDS", conf.frame_seconds, 1),
                             ("UPSTREAM_SECONDS", conf.upstream_seconds, 1),
                             ("UPSTREAM_MAX_FRAME_BYTES", conf.upstream_max_frame_bytes, 256)):
        if value < low:
            raise ImproperlyConfigured(f"QUIETDESK_SIP2_{name} must be at least {low}.")
    return conf
