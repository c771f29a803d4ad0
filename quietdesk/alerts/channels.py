"""Channels behind one small interface: ``send(message, recipient) -> (status, tracking_id)``.

* Signal: a signal-cli daemon's JSON-RPC 2.0 over HTTP (``signal-cli daemon --http``,
  ``POST /api/v1/rpc``, method ``send``). Per-recipient results: SUCCESS, or
  RATE_LIMIT_FAILURE (with ``retryAfterSeconds``), UNREGISTERED_FAILURE,
  NETWORK_FAILURE, IDENTITY_FAILURE. When no recipient succeeded signal-cli
  answers a JSON-RPC error (-5 rate limiting, -4 untrusted identity, -1 other)
  whose ``data.response`` carries the same results.
* Email: Django's SMTP backend, one connection reused per channel object, with a
  Message-ID derived from the delivery (the idempotency key), so a message sent
  twice is collapsed by mail clients that thread by Message-ID.
* Webhook: a JSON POST signed with HMAC-SHA256 over ``timestamp.body``
  (``X-Quietdesk-Timestamp``, ``X-Quietdesk-Signature: sha256=<hex>``) and an
  ``Idempotency-Key`` header the receiver can use to drop a repeat.

Notes describing a failure are fixed phrases: a channel's own error text may contain
an address and is never copied.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import smtplib
import ssl
import time
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from . import conf
from .messages import OutMessage


class SendStatus(StrEnum):
    SENT = "sent"  # the channel accepted it
    DELIVERED = "delivered"  # the receiving end confirmed it (webhooks)
    RATE_LIMITED = "rate_limited"  # Signal refused for now: fall back
    UNREGISTERED = "unregistered"  # not on Signal: fall back
    UNREACHABLE = "unreachable"  # daemon or server down, or a transient error: retry (Signal: fall back)
    REJECTED = "rejected"  # refused for good (bad address, untrusted identity)


class SendResult:
    """``status, tracking_id = channel.send(message, recipient)``; more detail as attributes."""

    __slots__ = ("status", "tracking_id", "retry_after", "note")

    def __init__(self, status: SendStatus, tracking_id: str = "", *, retry_after: float | None = None,
                 note: str = ""):
        self.status = status
        self.tracking_id = tracking_id
        self.retry_after = retry_after
        self.note = note

    def __iter__(self):
        return iter((self.status, self.tracking_id))

    def __repr__(self) -> str:
        return f"SendResult({self.status}, {self.tracking_id!r}, retry_after={self.retry_after}, note={self.note!r})"


TIMEOUT = 10


def _http_connection(url: str) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return http.client.HTTPSConnection(parts.hostname, parts.port or 443, timeout=TIMEOUT,
                                           context=ssl.create_default_context())
    return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=TIMEOUT)


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class SignalChannel:
    name = "signal"

    def __init__(self, rpc_url: str | None = None, account: str | None = None):
        self.rpc_url = conf.signal_rpc_url() if rpc_url is None else rpc_url
        self.account = settings.QUIETDESK_SIGNAL_ACCOUNT if account is None else account
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _post(self, body: bytes) -> tuple[int, bytes]:
        for attempt in (1, 2):  # a kept-alive connection the daemon closed: reconnect once
            if self._conn is None:
                self._conn = _http_connection(self.rpc_url)
            try:
                self._conn.request("POST", _target(self.rpc_url), body=body,
                                   headers={"Content-Type": "application/json", "Connection": "keep-alive"})
                resp = self._conn.getresponse()
                return resp.status, resp.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def send(self, message: OutMessage, recipient: str) -> SendResult:
        if not self.rpc_url:
            return SendResult(SendStatus.UNREACHABLE, note="Signal is not set up (no signal-cli daemon configured)")
        params: dict = {"message": message.text}
        if recipient.startswith("u:"):
            params["username"] = [recipient[2:]]
        else:
            params["recipient"] = [recipient]
        if self.account:
            params["account"] = self.account
        request = {"jsonrpc": "2.0", "method": "send", "params": params, "id": message.idempotency_key}
        try:
            status, raw = self._post(json.dumps(request).encode("utf-8"))
        except (OSError, http.client.HTTPException):
            self.close()
            return SendResult(SendStatus.UNREACHABLE, note="the Signal daemon did not answer")
        if status != 200:
            return SendResult(SendStatus.UNREACHABLE, note=f"the Signal daemon answered HTTP {status}")
        try:
            reply = json.loads(raw)
        except ValueError:
            return SendResult(SendStatus.UNREACHABLE, note="the Signal daemon sent an unreadable answer")
        if not isinstance(reply, dict):
            return SendResult(SendStatus.UNREACHABLE, note="the Signal daemon sent an unexpected answer")
        return self._interpret(reply)

    @staticmethod
    def _results(container) -> tuple[int | None, list[dict]]:
        if not isinstance(container, dict):
            return None, []
        results = container.get("results")
        return container.get("timestamp"), [r for r in results if isinstance(r, dict)] if isinstance(results, list) else []

    def _interpret(self, reply: dict) -> SendResult:
        if "result" in reply:
            timestamp, results = self._results(reply["result"])
            types = {r.get("type") for r in results}
            if not results or "SUCCESS" in types:
                return SendResult(SendStatus.SENT, str(timestamp or ""))
            return self._failure(results, None)
        error = reply.get("error")
        if not isinstance(error, dict):
            return SendResult(SendStatus.UNREACHABLE, note="the Signal daemon sent an unexpected answer")
        code = error.get("code")
        data = error.get("data")
        _, results = self._results(data.get("response") if isinstance(data, dict) else None)
        if results:
            return self._failure(results, code)
        message = str(error.get("message") or "")
        if code == -5:
            return SendResult(SendStatus.RATE_LIMITED, note="Signal rate limit")
        if code == -1 and "not registered" in message:
            return SendResult(SendStatus.UNREGISTERED, note="not on Signal")
        if code == -4:
            return SendResult(SendStatus.REJECTED, note="Signal safety number changed (untrusted identity)")
        if code in (-32603, -3):
            return SendResult(SendStatus.UNREACHABLE, note=f"signal-cli error {code}")
        return SendResult(SendStatus.REJECTED, note=f"signal-cli refused the request (error {code})")

    @staticmethod
    def _failure(results: list[dict], code) -> SendResult:
        first = results[0]
        kind = first.get("type")
        if kind == "RATE_LIMIT_FAILURE" or code == -5:
            retry = first.get("retryAfterSeconds")
            return SendResult(SendStatus.RATE_LIMITED, retry_after=float(retry) if isinstance(retry, int | float) else None,
                              note="Signal rate limit" + (" (captcha proof required)" if first.get("token") else ""))
        if kind == "UNREGISTERED_FAILURE":
            return SendResult(SendStatus.UNREGISTERED, note="not on Signal")
        if kind == "NETWORK_FAILURE":
            return SendResult(SendStatus.UNREACHABLE, note="signal-cli could not reach Signal")
        if kind == "IDENTITY_FAILURE" or code == -4:
            return SendResult(SendStatus.REJECTED, note="Signal safety number changed (untrusted identity)")
        return SendResult(SendStatus.REJECTED, note=f"Signal send failed ({kind or 'unknown'})")


class EmailChannel:
    name = "email"

    def __init__(self):
        self._conn = None

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: S110 (closing a broken connection)
                pass
            self._conn = None

    def send(self, message: OutMessage, recipient: str) -> SendResult:
        message_id = f"<{message.idempotency_key}@quietdesk.alerts>"
        email = EmailMessage(
            subject=message.subject, body=message.text, to=[recipient],
            headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
        )
        try:
            if self._conn is None:
                self._conn = get_connection(fail_silently=False)
                self._conn.open()
            email.connection = self._conn
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused:
            self.close()
            return SendResult(SendStatus.REJECTED, note="the mail server refused this address")
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError, smtplib.SMTPResponseException) as exc:
            self.close()
            code = getattr(exc, "smtp_code", 0) or 0
            if 400 <= code < 500:
                return SendResult(SendStatus.UNREACHABLE, note=f"the mail server said try later ({code})")
            return SendResult(SendStatus.REJECTED, note=f"the mail server refused the message ({code})")
        except (smtplib.SMTPException, OSError):
            self.close()
            return SendResult(SendStatus.UNREACHABLE, note="the mail server did not answer")
        return SendResult(SendStatus.SENT, message_id)


def sign_webhook(secret: bytes, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class WebhookChannel:
    name = "webhook"

    def __init__(self, secret: bytes | None = None):
        self.secret = conf.webhook_secret() if secret is None else secret

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
        conn = _http_connection(recipient)
        try:
            conn.request("POST", _target(recipient), body=body, headers=headers)
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


def open_channels() -> dict[str, object]:
    return {"signal": SignalChannel(), "email": EmailChannel(), "webhook": WebhookChannel()}
