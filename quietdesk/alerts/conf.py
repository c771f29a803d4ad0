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
