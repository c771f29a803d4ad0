"""Fixtures for the alerts tests: the Signal stand-in, a webhook receiver, SMTP settings, a job runner.

The real-server fixtures of tests/e2e (gunicorn, aiosmtpd, Chromium) are reused from there.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.e2e.conftest import (  # noqa: F401 (fixtures reused here)
    chromium_browser,
    chromium_executable,
    quietdesk_servers,
    smtp_server,
)
from tests.jobs import drain_jobs  # noqa: F401 (imported from here by the alerts tests)

from .signal_server import SignalServer

WEBHOOK_SECRET = b"test-webhook-secret"


@pytest.fixture
def signal_server():
    server = SignalServer().start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class WebhookReceiver:
    secret: bytes
    received: list[dict] = field(default_factory=list)
    rejected: int = 0
    status: int = 200  # what to answer
    port: int = 0
    seen_keys: set[str] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"


@pytest.fixture
def webhook_receiver():
    """A webhook endpoint that checks the HMAC signature and drops repeats by Idempotency-Key."""
    receiver = WebhookReceiver(WEBHOOK_SECRET)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            stamp = self.headers.get("X-Quietdesk-Timestamp", "")
            want = "sha256=" + hmac.new(receiver.secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(want, self.headers.get("X-Quietdesk-Signature", "")):
                receiver.rejected += 1
                self.send_response(401)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            key = self.headers.get("Idempotency-Key", "")
            if receiver.status < 300 and key not in receiver.seen_keys:
                receiver.seen_keys.add(key)
                receiver.received.append({"key": key, "body": json.loads(body)})
            self.send_response(receiver.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def alert_settings(settings, smtp_server, signal_server):  # noqa: F811
    """Real SMTP (aiosmtpd) and the Signal stand-in, code words on, a known webhook secret."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.QUIETDESK_SIGNAL_RPC_URL = signal_server.url
    settings.QUIETDESK_SIGNAL_ACCOUNT = signal_server.accounts[0]
    settings.QUIETDESK_ALERT_WEBHOOK_SECRET = WEBHOOK_SECRET.decode()
    settings.QUIETDESK_ALERT_CODE_WORDS = True
    smtp_server.clear()
    return settings
