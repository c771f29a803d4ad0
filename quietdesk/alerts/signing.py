"""The signature on a report forwarded from a library to the network's own instance (pure).

``X-Quietdesk-Signature: sha256=<hex>`` is HMAC-SHA256, under the key the library and the
hub share, over ``v1 \\n sender \\n timestamp \\n message id \\n body``: every header the
receiver acts on is signed with the body, so a captured message cannot be given a new
id, a new time or another sender's name without the key. The receiver also refuses a
timestamp more than ``QUIETDESK_NETWORK_MAX_SKEW_SECONDS`` away from its clock, and a
message id it has seen (``inbound.py``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid

VERSION = "v1"
SENDER = "X-Quietdesk-Sender"
TIMESTAMP = "X-Quietdesk-Timestamp"
MESSAGE_ID = "X-Quietdesk-Message-Id"
SIGNATURE = "X-Quietdesk-Signature"
MAX_BODY = 16 * 1024  # a SALUTE report is a few hundred bytes
_SENDER_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def valid_sender(name: str) -> bool:
    return bool(_SENDER_NAME.match(name or ""))


def signature(secret: bytes, sender: str, timestamp: str, message_id: str, body: bytes) -> str:
    material = "\n".join((VERSION, sender, timestamp, message_id)).encode("utf-8") + b"\n" + body
    return "sha256=" + hmac.new(secret, material, hashlib.sha256).hexdigest()


def headers(secret: bytes, sender: str, timestamp: str, message_id: str, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        SENDER: sender,
        TIMESTAMP: timestamp,
        MESSAGE_ID: message_id,
        SIGNATURE: signature(secret, sender, timestamp, message_id, body),
    }


def parse_message_id(value: str) -> uuid.UUID | None:
    try:
        parsed = uuid.UUID(value or "")
    except ValueError:
        return None
    return parsed if str(parsed) == value else None  # canonical form only: one spelling per id


def check(secret: bytes, sender: str, timestamp: str, message_id: str, body: bytes, given: str) -> bool:
    """Constant-time comparison of the signature given with the one expected."""
    expected = signature(secret, sender, timestamp, message_id, body)
    return hmac.compare_digest(expected.encode("ascii"), (given or "").encode("ascii", "replace"))
