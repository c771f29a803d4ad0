"""Signal, through a signal-cli daemon's JSON-RPC 2.0 over HTTP.

``signal-cli daemon --http``, ``POST /api/v1/rpc``, method ``send``. Per-recipient results:
SUCCESS, or RATE_LIMIT_FAILURE (with ``retryAfterSeconds``), UNREGISTERED_FAILURE,
NETWORK_FAILURE, IDENTITY_FAILURE. When no recipient succeeded signal-cli answers a
JSON-RPC error (-5 rate limiting, -4 untrusted identity, -1 other) whose
``data.response`` carries the same results. The JSON-RPC ``id`` is the message's
idempotency key, though signal-cli does not deduplicate on it.
"""

from __future__ import annotations

import http.client
import json

from django.conf import settings

from ..transport import OutMessage, SendResult, SendStatus
from . import connections


class SignalChannel:
    name = "signal"

    def __init__(self, rpc_url: str | None = None, account: str | None = None):
        self.rpc_url = (settings.QUIETDESK_SIGNAL_RPC_URL or "") if rpc_url is None else rpc_url
        self.account = settings.QUIETDESK_SIGNAL_ACCOUNT if account is None else account
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _post(self, body: bytes) -> tuple[int, bytes]:
        for attempt in (1, 2):  # a kept-alive connection the daemon closed: reconnect once
            if self._conn is None:
                self._conn = connections.connection(self.rpc_url)
            try:
                self._conn.request("POST", connections.target(self.rpc_url), body=body,
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
