"""The alert settings in one place (see the end of quietdesk/settings.py)."""

from __future__ import annotations

import json
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The printed codebook: one word per kind of message. A library prints its own
# (QUIETDESK_ALERT_CODEBOOK_FILE, JSON) and hands it out in person; these are the demo's.
DEFAULT_CODEBOOK = {
    "unconfirmed": "BLUE HERON",  # please check: something may be happening
    "confirmed": "RED OAK",  # confirmed enforcement activity
    "urgent": "RED OAK NOW",  # urgent, not yet verified
    "update": "SPARROW",  # there is an update
    "cancel": "SUNRISE",  # all clear
    "retract": "FOG",  # false alarm, disregard the last message
    "exercise": "DRILL",  # prefixed to every word during an exercise
    "test": "TEST",  # prefixed during a test
}


def zones() -> list[str]:
    return list(settings.QUIETDESK_ALERT_ZONES)


def ack_window() -> timedelta:
    return timedelta(minutes=max(1, settings.QUIETDESK_ALERT_ACK_WINDOW_MINUTES))


def report_lifetime() -> timedelta:
    return timedelta(hours=max(1, settings.QUIETDESK_ALERT_REPORT_EXPIRY_HOURS))


def min_acks() -> int:
    return max(1, settings.QUIETDESK_ALERT_MIN_ACKS)


def code_words_on() -> bool:
    return bool(settings.QUIETDESK_ALERT_CODE_WORDS)


@lru_cache(maxsize=4)
def _codebook(path: str) -> dict[str, str]:
    book = dict(DEFAULT_CODEBOOK)
    if path:
        try:
            loaded = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(f"QUIETDESK_ALERT_CODEBOOK_FILE cannot be read: {exc}") from exc
        if not isinstance(loaded, dict) or not all(isinstance(v, str) and v.strip() for v in loaded.values()):
            raise ImproperlyConfigured("QUIETDESK_ALERT_CODEBOOK_FILE must map kinds to code words.")
        unknown = set(loaded) - set(DEFAULT_CODEBOOK)
        if unknown:
            raise ImproperlyConfigured(
                f"Unknown codebook entries {sorted(unknown)}; valid: {', '.join(DEFAULT_CODEBOOK)}."
            )
        book.update({k: v.strip() for k, v in loaded.items()})
    return book


def codebook() -> dict[str, str]:
    return _codebook(settings.QUIETDESK_ALERT_CODEBOOK_FILE or "")


def signal_rpc_url() -> str:
    return settings.QUIETDESK_SIGNAL_RPC_URL or ""


def webhook_secret() -> bytes:
    return (settings.QUIETDESK_ALERT_WEBHOOK_SECRET or "").encode("utf-8")


def ack_url(token: str) -> str:
    return f"{settings.QUIETDESK_ALERT_BASE_URL.rstrip('/')}/alerts/ack/{token}/"


# --- Where the network lives (QUIETDESK_NETWORK_MODE) -------------------------------
# local: members, consent and broadcasts here. remote: none of them here; verified reports
# are forwarded to the organizing group's own quietdesk (the hub). hub: that instance.
LOCAL, REMOTE, HUB = "local", "remote", "hub"


def network_mode() -> str:
    return settings.QUIETDESK_NETWORK_MODE


def members_here() -> bool:
    """Whether this instance may hold the network's members (not when the network lives elsewhere)."""
    return network_mode() != REMOTE


MIN_SECRET_BYTES = 32


def hub_url() -> str:
    return settings.QUIETDESK_NETWORK_HUB_URL or ""


def network_secret() -> bytes:
    return (settings.QUIETDESK_NETWORK_SECRET or "").encode("utf-8")


def sender_name() -> str:
    return settings.QUIETDESK_NETWORK_SENDER or "library"


def max_skew() -> int:
    return max(30, settings.QUIETDESK_NETWORK_MAX_SKEW_SECONDS)


@lru_cache(maxsize=4)
def _senders(raw: str) -> dict[str, bytes]:
    try:
        loaded = json.loads(raw) if raw else {}
    except ValueError as exc:
        raise ImproperlyConfigured(f"QUIETDESK_NETWORK_SENDERS must be JSON: {exc}") from exc
    if not isinstance(loaded, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in loaded.items()):
        raise ImproperlyConfigured('QUIETDESK_NETWORK_SENDERS must map sender names to keys: {"library": "..."}.')
    short = [k for k, v in loaded.items() if len(v.encode()) < MIN_SECRET_BYTES]
    if short:
        raise ImproperlyConfigured(f"QUIETDESK_NETWORK_SENDERS: the key of {', '.join(sorted(short))} is shorter "
                                   f"than {MIN_SECRET_BYTES} bytes (make one with: openssl rand -hex 32).")
    return {k: v.encode("utf-8") for k, v in loaded.items()}


def senders() -> dict[str, bytes]:
    """The hub's libraries: sender name -> shared key."""
    return _senders(settings.QUIETDESK_NETWORK_SENDERS or "")


def check_network_settings() -> None:
    """Refuse to start with a network mode that cannot work (called at start-up)."""
    from urllib.parse import urlsplit

    mode = network_mode()
    if mode == REMOTE:
        url = urlsplit(hub_url())
        if url.scheme != "https" or not url.hostname:
            raise ImproperlyConfigured("QUIETDESK_NETWORK_MODE=remote needs QUIETDESK_NETWORK_HUB_URL, an https:// "
                                       "address: reports travel to the network's own server over TLS only.")
        if len(network_secret()) < MIN_SECRET_BYTES:
            raise ImproperlyConfigured("QUIETDESK_NETWORK_MODE=remote needs QUIETDESK_NETWORK_SECRET (or _FILE), "
                                       f"at least {MIN_SECRET_BYTES} bytes, the key shared with the hub.")
        ca = settings.QUIETDESK_NETWORK_CA_FILE
        if ca and not Path(ca).is_file():
            raise ImproperlyConfigured(f"QUIETDESK_NETWORK_CA_FILE={ca} is not a file.")
    elif mode == HUB and not senders():
        raise ImproperlyConfigured("QUIETDESK_NETWORK_MODE=hub needs QUIETDESK_NETWORK_SENDERS (or _FILE): "
                                   '{"library name": "shared key"} for each library that forwards reports.')
