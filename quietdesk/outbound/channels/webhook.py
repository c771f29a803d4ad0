"""Webhooks: a JSON POST signed with HMAC-SHA256 over ``timestamp.body``.

Headers ``X-Quietdesk-Timestamp`` and ``X-Quietdesk-Signature: sha256=<hex>``, and an
``Idempotency-Key`` the receiver can use to drop a repeat. A 2xx is delivered; 408, 425,
429 and 5xx are retried; any other answer is a refusal. An address the channel cannot use
(no server, a bad port, plain http to another machine: ``connections.private_enough``) is
refused without connecting; the channel never raises for it.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
from urllib.parse import urlsplit

from django.conf import settings

from ..transport import OutMessage, SendResult, SendStatus
from . import connections


def sign_webhook(secret: bytes, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class WebhookChannel:
    name = "webhook"

    def __init__(self, secret: bytes | None = None):
        self.secret = (settings.QUIETDESK_ALERT_WEBHOOK_SECRET or "").encode("utf-8") if secret is None else secret

    def close(self) -> None:
        pass

    def send(self, message: OutMessage, recipient: str) -> SendResult:
        if not self.secret:
            return SendResult(SendStatus.UNREACHABLE, note="no webhook secret is set (QUIETDESK_ALERT_WEBHOOK_SECRET_FILE)")
        body = json.dumps(message.payload, sort_keys=True).encode("utf-8")
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": message.idempotency_key,
            "X-Quietdesk-Timestamp": timestamp,
            "X-Quietdesk-Signature": sign_webhook(self.secret, timestamp, body),
        }
        try:
            parts = urlsplit(recipient)
            if not connections.private_enough(parts.scheme, parts.hostname):
                return SendResult(SendStatus.REJECTED,
                                  note="the webhook address is not https (plain http only on this machine)")
            conn = connections.connection(recipient)
        except ValueError:
            return SendResult(SendStatus.REJECTED, note="the webhook address cannot be used")
        except OSError:
            return SendResult(SendStatus.UNREACHABLE, note="the webhook did not answer")
        try:
            conn.request("POST", connections.target(recipient), body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
        except (TimeoutError, OSError, http.client.HTTPException):
            return SendResult(SendStatus.UNREACHABLE, note="the webhook did not answer")
        finally:
            conn.close()
        if 200 <= resp.status < 300:
            return SendResult(SendStatus.DELIVERED, message.idempotency_key)
        if resp.status in (408, 425, 429) or resp.status >= 500:
            return SendResult(SendStatus.UNREACHABLE, note=f"the webhook answered HTTP {resp.status}; retrying")
        return SendResult(SendStatus.REJECTED, note=f"the webhook refused the message (HTTP {resp.status})")
