"""A local stand-in for the signal-cli daemon's HTTP JSON-RPC interface.

Signal's servers cannot be reached from test machines (and a registered number
needs a captcha), so the tests talk to this instead. It implements what
signal-cli documents for ``signal-cli daemon --http`` (man page
signal-cli-jsonrpc(5)) and does, as closely as the tests need:

* ``POST /api/v1/rpc``: one JSON-RPC 2.0 request or a batch. Only POST (else 405),
  ``Content-Type: application/json`` (else 415). Parse errors answer -32700,
  invalid requests -32600 ("method field must be set", "only jsonrpc version 2.0
  is supported"), unknown methods -32601 ("Method not implemented"). A request
  without ``id`` is a notification: HTTP 201, no body. Answers are HTTP 200.
* ``GET /api/v1/check``: 200 while running.
* ``GET /api/v1/events``: a Server-Sent Events stream; ``receive`` events for
  replies a test injects (``inject_reply``) and delivery receipts.
* Multi-account mode (more than one account, or ``account`` param given): an
  unknown account is -32602 "Specified account does not exist"; none given
  while several exist is -32602 "Method requires valid account parameter".
* ``send`` with ``recipient`` (a number or list), ``username`` (list, or
  ``u:name.12`` recipients) and ``message``. Success: ``{"timestamp": T,
  "results": [{"recipientAddress": {"uuid", "number", "username"}, "type":
  "SUCCESS"}]}``. Per-recipient failures: ``UNREGISTERED_FAILURE``,
  ``RATE_LIMIT_FAILURE`` (with ``retryAfterSeconds``, and ``token`` when a
  captcha proof is required), ``NETWORK_FAILURE``, ``IDENTITY_FAILURE``. When no
  recipient succeeded signal-cli answers an error whose ``data.response`` holds
  the results: -5 "Failed to send message due to rate limiting" (only rate
  limits), -4 "Failed to send message due to untrusted identities" (only
  identity failures), else -1 "Failed to send message". An empty message is -1
  "Sending empty message is not allowed, either a message, attachment or
  sticker must be given."; an unregistered username is -1 "The user ... is not
  registered."; an invalid number is -1 "Invalid phone number".
* ``version``: ``{"version": "0.13.x (quietdesk stand-in)"}``.

Test controls: ``unregistered`` (numbers), ``rate_limit_after`` (sends accepted
before every further recipient gets RATE_LIMIT_FAILURE), ``retry_after``,
``untrusted``, ``down()``/``up()`` (refuse connections), ``hold_next_send``
(block the Nth send before answering). Everything it accepted is in ``sent``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import queue
import re
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
USERNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{2,31}\.\d{2,9}$")
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, INTERNAL_ERROR = -32700, -32600, -32601, -32602, -32603
USER_ERROR, UNTRUSTED_KEY_ERROR, RATE_LIMIT_ERROR = -1, -4, -5


@dataclass
class SentMessage:
    account: str
    recipient: str  # number, or u:username
    message: str
    timestamp: int
    request_id: object


class RpcError(Exception):
    def __init__(self, code: int, message: str, data=None):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data


@dataclass
class SignalServer:
    accounts: list[str] = field(default_factory=lambda: ["+15550109999"])
    unregistered: set[str] = field(default_factory=set)
    untrusted: set[str] = field(default_factory=set)
    rate_limit_after: int | None = None
    retry_after: int = 60
    proof_required: bool = False
    sent: list[SentMessage] = field(default_factory=list)
    requests: int = 0

    def __post_init__(self):
        self._lock = threading.Lock()
        self._clock = itertools.count(int(time.time() * 1000))
        self._uuids: dict[str, str] = {}
        self._events: list[queue.Queue] = []
        self._hold: tuple[int, threading.Event, threading.Event] | None = None
        self._sends_seen = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._connections: set[socket.socket] = set()
        self.port: int | None = None

    # --- lifecycle --------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1/rpc"

    def start(self) -> SignalServer:
        server = self

        class Handler(_Handler):
            owner = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port or 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, name="signal-stand-in", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            for q in list(self._events):
                q.put(None)
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
            for conn in list(self._connections):  # a stopped daemon keeps no connection open
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            self._connections.clear()

    def down(self) -> None:
        """Stop listening (the daemon crashed); ``up()`` listens again on the same port."""
        self.stop()

    def up(self) -> None:
        if self._httpd is None:
            self.start()

    # --- test helpers -------------------------------------------------------------
    def messages_to(self, recipient: str) -> list[SentMessage]:
        with self._lock:
            return [m for m in self.sent if m.recipient == recipient]

    def wait_for(self, count: int, timeout: float = 10) -> list[SentMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.sent) >= count:
                    return list(self.sent)
            time.sleep(0.02)
        with self._lock:
            return list(self.sent)

    def hold_next_send(self, nth: int) -> tuple[threading.Event, threading.Event]:
        """Block the nth send request (counted from now) before answering; returns (reached, release)."""
        reached, release = threading.Event(), threading.Event()
        with self._lock:
            self._hold = (self._sends_seen + nth, reached, release)
        return reached, release

    def inject_reply(self, source: str, text: str, account: str | None = None) -> None:
        """A member replied: a ``receive`` event on /api/v1/events."""
        self._publish({"envelope": {
            "source": source, "sourceNumber": source, "sourceUuid": self._uuid(source), "sourceName": "",
            "sourceDevice": 1, "timestamp": next(self._clock),
            "dataMessage": {"timestamp": next(self._clock), "message": text, "expiresInSeconds": 0, "viewOnce": False},
        }, "account": account or self.accounts[0]})

    # --- JSON-RPC --------------------------------------------------------------------
    def _uuid(self, recipient: str) -> str:
        return self._uuids.setdefault(recipient, str(uuid.uuid5(uuid.NAMESPACE_URL, f"signal:{recipient}")))

    def _publish(self, event: dict) -> None:
        for q in list(self._events):
            q.put(event)

    def handle(self, request) -> dict | None:
        """One JSON-RPC request object -> its response object (None for a notification)."""
        if not isinstance(request, dict):
            return _error(None, INVALID_REQUEST, f"unexpected type: {type(request).__name__.upper()}")
        request_id = request.get("id")
        if request.get("jsonrpc") != "2.0":
            return _error(request_id, INVALID_REQUEST, "only jsonrpc version 2.0 is supported")
        method = request.get("method")
        if not isinstance(method, str):
            return _error(request_id, INVALID_REQUEST, "method field must be set")
        params = request.get("params") or {}
        try:
            if not isinstance(params, dict):
                raise RpcError(INVALID_PARAMS, "params must be an object")
            account = self._account(params)
            if method == "send":
                result = self._send(account, params, request_id)
            elif method == "version":
                result = {"version": "0.13.x (quietdesk stand-in)"}
            else:
                raise RpcError(METHOD_NOT_FOUND, "Method not implemented")
        except RpcError as exc:
            return None if "id" not in request else _error(request_id, exc.code, exc.message, exc.data)
        if "id" not in request:
            return None
        return {"jsonrpc": "2.0", "result": result, "id": request_id}

    def _account(self, params: dict) -> str:
        account = params.pop("account", None)
        if account is not None:
            if account not in self.accounts:
                raise RpcError(INVALID_PARAMS, "Specified account does not exist")
            return account
        if len(self.accounts) != 1:
            raise RpcError(INVALID_PARAMS, "Method requires valid account parameter")
        return self.accounts[0]

    def _send(self, account: str, params: dict, request_id) -> dict:
        recipients = params.get("recipient") or []
        recipients = [recipients] if isinstance(recipients, str) else list(recipients)
        usernames = params.get("username") or []
        usernames = [usernames] if isinstance(usernames, str) else list(usernames)
        targets = []
        for r in recipients:
            if isinstance(r, str) and r.startswith("u:"):
                usernames.append(r[2:])
            elif not isinstance(r, str) or not E164.fullmatch(r):
                raise RpcError(USER_ERROR, "Invalid phone number")
            else:
                targets.append(r)
        for name in usernames:
            if not isinstance(name, str) or not USERNAME.fullmatch(name):
                raise RpcError(USER_ERROR, "Invalid username")
            if f"u:{name}" in self.unregistered:
                raise RpcError(USER_ERROR, f"The user {name} is not registered.")
            targets.append(f"u:{name}")
        if params.get("groupId"):
            raise RpcError(USER_ERROR, "Invalid group id")
        if not targets:
            raise RpcError(USER_ERROR, "No recipients given")
        message = params.get("message") or ""
        if not message:
            raise RpcError(USER_ERROR,
                           "Sending empty message is not allowed, either a message, attachment or sticker must be given.")
        self._maybe_hold()
        with self._lock:
            timestamp = next(self._clock)
            results = []
            for target in targets:
                address = {"uuid": self._uuid(target), "number": None if target.startswith("u:") else target,
                           "username": target[2:] if target.startswith("u:") else None}
                outcome = {"recipientAddress": address}
                if target in self.unregistered:
                    outcome["type"] = "UNREGISTERED_FAILURE"
                elif target in self.untrusted:
                    outcome["type"] = "IDENTITY_FAILURE"
                elif self.rate_limit_after is not None and len(self.sent) >= self.rate_limit_after:
                    outcome["type"] = "RATE_LIMIT_FAILURE"
                    outcome["retryAfterSeconds"] = self.retry_after
                    if self.proof_required:
                        outcome["token"] = str(uuid.uuid4())
                else:
                    outcome["type"] = "SUCCESS"
                    self.sent.append(SentMessage(account, target, message, timestamp, request_id))
                results.append(outcome)
        if any(r["type"] == "SUCCESS" for r in results):
            for r in results:
                if r["type"] == "SUCCESS":
                    self._publish({"envelope": {"source": account, "sourceNumber": account, "timestamp": next(self._clock),
                                                "receiptMessage": {"when": next(self._clock), "isDelivery": True,
                                                                   "isRead": False, "isViewed": False,
                                                                   "timestamps": [timestamp]}},
                                   "account": account})
            return {"timestamp": timestamp, "results": results}
        types = {r["type"] for r in results}
        data = {"response": {"timestamp": timestamp, "results": results}}
        if types == {"IDENTITY_FAILURE"}:
            raise RpcError(UNTRUSTED_KEY_ERROR, "Failed to send message due to untrusted identities", data)
        if types == {"RATE_LIMIT_FAILURE"}:
            raise RpcError(RATE_LIMIT_ERROR, "Failed to send message due to rate limiting", data)
        raise RpcError(USER_ERROR, "Failed to send message", data)

    def _maybe_hold(self) -> None:
        with self._lock:
            self._sends_seen += 1
            hold = self._hold
            if hold is None or hold[0] != self._sends_seen:
                return
            self._hold = None
        hold[1].set()
        hold[2].wait(30)


def _error(request_id, code: int, message: str, data=None) -> dict:
    return {"jsonrpc": "2.0", "error": {"code": code, "message": message, "data": data}, "id": request_id}


class _Handler(BaseHTTPRequestHandler):
    owner: SignalServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes

    def log_message(self, *args):  # quiet
        pass

    def setup(self):
        super().setup()
        self.owner._connections.add(self.connection)

    def finish(self):
        self.owner._connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def _reply(self, status: int, body: object | None = None, content_type="application/json") -> None:
        raw = b"" if body is None else json.dumps(body).encode("utf-8")
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        if raw:
            self.wfile.write(raw)

    def do_GET(self):  # noqa: N802
        if self.path == "/api/v1/check":
            return self._reply(200)
        if self.path.split("?")[0] == "/api/v1/events":
            return self._events()
        if self.path == "/api/v1/rpc":
            return self._reply(405)
        return self._reply(404)

    def do_PUT(self):  # noqa: N802
        self._reply(405 if self.path.startswith("/api/v1/") else 404)

    def do_POST(self):  # noqa: N802
        if self.path != "/api/v1/rpc":
            return self._reply(404 if not self.path.startswith("/api/v1/") else 405)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            return self._reply(415)
        self.owner.requests += 1
        try:
            parsed = json.loads(body)
        except ValueError as exc:
            return self._reply(200, _error(None, PARSE_ERROR, str(exc)))
        if isinstance(parsed, list):
            if not parsed:
                return self._reply(200, _error(None, INVALID_REQUEST, "invalid request"))
            answers = [a for a in (self.owner.handle(r) for r in parsed) if a is not None]
            return self._reply(200, answers) if answers else self._reply(201)
        if parsed is None:
            return self._reply(200, _error(None, INVALID_REQUEST, "invalid request"))
        answer = self.owner.handle(parsed)
        if answer is None:
            return self._reply(201)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._reply(200, answer)

    def _events(self):
        q: queue.Queue = queue.Queue()
        self.owner._events.append(q)
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            self.close_connection = True
            while True:
                try:
                    event = q.get(timeout=15)
                except queue.Empty:
                    self.wfile.write(b":\n\n")  # keep-alive
                    self.wfile.flush()
                    continue
                if event is None:
                    return
                self.wfile.write(b"event:receive\ndata:" + json.dumps(event).encode() + b"\n\n")
                self.wfile.flush()
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            return
        finally:
            self.owner._events.remove(q)
