"""Fixtures for end-to-end tests: real servers, real HTTP, a real browser.

* ``quietdesk_servers``: a session-scoped factory of REAL gunicorn servers. Each
  runs in a fresh data directory (QUIETDESK_MODE=demo), migrated and seeded with
  ``quietdesk demo`` (whose printed logins it parses). When QUIETDESK_DATABASE_URL
  is set, each server gets a fresh database on that PostgreSQL server, so the
  PostgreSQL leg runs these tests on PostgreSQL. Every server started is stopped,
  and every database made is dropped, when the session ends.
* ``quietdesk_server``: the shared server, started once per session (its mail goes
  to ``smtp_server``). A test that stops a server should start its own instead.
* ``smtp_server``: a real SMTP server on loopback (aiosmtpd) collecting messages.
* ``chromium_browser``: Debian's Chromium driven by Playwright. Module-scoped on
  purpose: while Playwright's sync API is alive the main thread has a running
  asyncio loop, and Django then refuses ORM calls in any later test in the session.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import email
import email.policy
import html
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from base64 import b32decode
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_HERE_BIN = Path(sys.executable).parent
BIN = _HERE_BIN if (_HERE_BIN / "gunicorn").exists() else ROOT / ".venv" / "bin"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

TOTP_STEP = 30


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Loopback only: never through a proxy named in the environment.
_NO_PROXY = urllib.request.ProxyHandler({})


# --- logins printed by `quietdesk demo` -----------------------------------

@dataclass(frozen=True)
class Login:
    username: str
    role: str
    password: str
    totp_key: str | None = None

    @property
    def seed(self) -> bytes:
        if not self.totp_key:
            raise ValueError(f"{self.username} has no authenticator")
        return b32decode(self.totp_key + "=" * (-len(self.totp_key) % 8))


_LOGIN_LINE = re.compile(r"^\s+(?P<username>\S+)\s+(?P<role>\S+)\s+password: (?P<password>\S+)\s*$")
_KEY_LINE = re.compile(r"^\s+authenticator key: (?P<key>[A-Z2-7]+)\b")


def parse_logins(text: str) -> dict[str, Login]:
    logins: dict[str, Login] = {}
    last = None
    for line in text.splitlines():
        if m := _LOGIN_LINE.match(line):
            last = Login(m["username"], m["role"], m["password"])
            logins[last.username] = last
        elif (m := _KEY_LINE.match(line)) and last is not None:
            logins[last.username] = last = Login(last.username, last.role, last.password, m["key"])
    return logins


# --- a small HTTP client (stdlib only, cookies, CSRF) ----------------------

@dataclass
class Page:
    method: str
    status: int
    url: str
    text: str

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.url).path


_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class HttpClient:
    """Cookies in a jar, redirects followed, the CSRF token taken from the last form seen.

    Every page received is kept in ``pages`` (tests use them as controls).
    """

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = CookieJar()
        self._opener = urllib.request.build_opener(_NO_PROXY, urllib.request.HTTPCookieProcessor(self.cookies))
        self._csrf: str | None = None
        self.pages: list[Page] = []

    def request(self, method: str, path: str, fields: dict | None = None, *, expect: int | None = 200) -> Page:
        data = urllib.parse.urlencode(fields, doseq=True).encode() if fields is not None else None
        url = urllib.parse.urljoin(self.base_url, path)
        assert url.startswith("http://127.0.0.1:"), url
        req = urllib.request.Request(url, data=data, method=method)  # noqa: S310 (loopback http only)
        if data is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self._opener.open(req, timeout=60) as resp:
                page = Page(method, resp.status, resp.geturl(), resp.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            page = Page(method, exc.code, exc.geturl(), exc.read().decode("utf-8", "replace"))
        self.pages.append(page)
        if m := _CSRF_INPUT.search(page.text):
            self._csrf = html.unescape(m.group(1))
        if expect is not None and page.status != expect:
            raise AssertionError(f"{method} {path}: HTTP {page.status}, expected {expect} (ended at {page.url})")
        return page

    def get(self, path: str, *, expect: int | None = 200) -> Page:
        return self.request("GET", path, expect=expect)

    def post(self, path: str, fields: dict, *, expect: int | None = 200) -> Page:
        """POST a form with the CSRF token of the last form seen (GET the form first if none)."""
        if self._csrf is None:
            self.get(path)
        return self.request("POST", path, {"csrfmiddlewaretoken": self._csrf, **fields}, expect=expect)


# --- PostgreSQL: a fresh database per server --------------------------------

def pg_bin(program: str) -> str:
    found = shutil.which(program)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{program}"), key=lambda p: int(p.parts[-3]))
    if not candidates:
        raise AssertionError(f"{program} not found (Debian package postgresql-client)")
    return str(candidates[-1])


class PostgresDatabase:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.name = f"qd_e2e_{secrets.token_hex(6)}"
        self.url = urllib.parse.urlunsplit(urllib.parse.urlsplit(base_url)._replace(path="/" + self.name))

    def _admin(self, statement: str) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.base_url, autocommit=True) as conn:
            conn.execute(sql.SQL(statement).format(sql.Identifier(self.name)))

    def create(self) -> None:
        self._admin("CREATE DATABASE {}")

    def drop(self) -> None:
        self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")

    def dump(self, path: Path) -> Path:
        """A plain-SQL pg_dump of the whole database."""
        result = subprocess.run(
            [pg_bin("pg_dump"), "--format=plain", "--no-owner", "--file", str(path), "--dbname", self.url],
            capture_output=True, text=True, timeout=120, check=False,
        )
        if result.returncode != 0:
            raise AssertionError(f"pg_dump failed: {result.stderr}")
        return path

    @property
    def port(self) -> int:
        return urllib.parse.urlsplit(self.url).port or 5432


# --- the gunicorn server ----------------------------------------------------

class QuietdeskServer:
    """One real gunicorn server with its own data directory (and database)."""

    def __init__(self, name: str, data_dir: Path, env: dict[str, str], database: PostgresDatabase | None):
        self.name = name
        self.data_dir = data_dir
        self.log_dir = data_dir / "logs"
        self.env = env
        self.database = database
        self.logins: dict[str, Login] = {}
        self.port: int | None = None
        self.base_url: str | None = None
        self._proc: subprocess.Popen | None = None
        self._used_steps: dict[str, int] = {}
        self.log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)

    # commands
    def manage(self, *args: str, check: bool = True, log: bool = True, timeout: float = 180) -> subprocess.CompletedProcess:
        """Run ``quietdesk ARGS`` against this server's data; output is kept in logs/commands.log."""
        result = subprocess.run(
            [str(BIN / "quietdesk"), *args], env=self.env, cwd=ROOT,
            capture_output=True, text=True, timeout=timeout, check=False,
        )
        if log:
            with open(self.log_dir / "commands.log", "a", encoding="utf-8") as fh:
                fh.write(f"$ quietdesk {' '.join(args)}  -> {result.returncode}\n{result.stdout}{result.stderr}\n")
        if check and result.returncode != 0:
            raise AssertionError(
                f"quietdesk {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result

    def access_entry_count(self) -> int:
        out = self.manage(
            "shell", "-c", "from quietdesk.audit.models import AccessEntry; print(AccessEntry.objects.count())",
            log=False,
        ).stdout
        return int(out.strip().splitlines()[-1])

    # process
    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 60) -> None:
        if self.running:
            return
        for _attempt in range(3):
            self.port = free_port()
            self.base_url = f"http://127.0.0.1:{self.port}"
            with open(self.log_dir / "gunicorn.stdout.log", "ab") as out, \
                    open(self.log_dir / "gunicorn.stderr.log", "ab") as err:
                self._proc = subprocess.Popen(
                    [str(BIN / "gunicorn"), "quietdesk.wsgi:application", "-c", str(GUNICORN_CONF),
                     "--bind", f"127.0.0.1:{self.port}"],
                    env=self.env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                    start_new_session=True,  # its own process group: stop() ends the workers too
                )
            atexit.register(self.stop)
            if self._wait_healthy(timeout):
                return
            in_use = "in use" in self.log_tail()
            self.stop()
            if not in_use:
                break
        raise AssertionError(f"gunicorn ({self.name}) did not become healthy:\n{self.log_tail()}")

    def _wait_healthy(self, timeout: float) -> bool:
        opener = urllib.request.build_opener(_NO_PROXY)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                return False
            with contextlib.suppress(OSError):
                with opener.open(f"{self.base_url}/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        return True
            time.sleep(0.2)
        return False

    def stop(self, timeout: float = 30) -> None:
        """Stop gunicorn (master and workers); SIGKILL whatever is left after ``timeout``."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        group = proc.pid
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(group, signal.SIGKILL)
                proc.wait(10)
        # Workers normally exit with the master; make sure none is left in the group.
        deadline = time.monotonic() + 10
        while True:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                break
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(group, signal.SIGKILL)
                break
            time.sleep(0.1)

    def log_tail(self, chars: int = 4000) -> str:
        parts = []
        for name in ("gunicorn.stderr.log", "gunicorn.stdout.log"):
            path = self.log_dir / name
            if path.exists():
                parts.append(f"--- {name}\n" + path.read_text(encoding="utf-8", errors="replace")[-chars:])
        return "\n".join(parts)

    # signing in
    def totp_code(self, username: str) -> str:
        """A valid code the server has not yet accepted (a code is good only once)."""
        seed = self.logins[username].seed
        while True:
            now = int(time.time()) // TOTP_STEP
            step = max(now, self._used_steps.get(username, -1) + 1)
            if step <= now + 1:  # the server accepts one step of drift either way
                break
            time.sleep(TOTP_STEP - time.time() % TOTP_STEP + 0.05)
        self._used_steps[username] = step
        from django_otp.oath import hotp

        return f"{hotp(seed, step):06d}"

    def client(self, sign_in_as: str | None = None) -> HttpClient:
        client = HttpClient(self.base_url)
        if sign_in_as:
            self.sign_in(client, sign_in_as)
        return client

    def sign_in(self, client: HttpClient, username: str) -> Page:
        login = self.logins[username]
        client.get("/staff/sign-in/")
        page = client.post("/staff/sign-in/", {"username": login.username, "password": login.password, "next": ""})
        if login.totp_key:
            assert page.path == "/staff/sign-in/code/", f"{username}: no second step asked for ({page.url})"
            page = client.post("/staff/sign-in/code/", {"code": self.totp_code(username)})
        assert page.path == "/", f"{username}: sign-in ended at {page.url}"
        assert "Sign out" in page.text
        return page


class ServerFactory:
    def __init__(self, tmp_path_factory: pytest.TempPathFactory):
        self._tmp = tmp_path_factory
        self.servers: list[QuietdeskServer] = []

    def start(self, name: str = "server", *, patrons: int = 5, extra_env: dict[str, str] | None = None) -> QuietdeskServer:
        data_dir = self._tmp.mktemp(f"qd-{name}-data")
        data_dir.chmod(0o700)
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_")}
        env.update(
            QUIETDESK_MODE="demo",
            # No configuration file: not the checkout's var/quietdesk.env (a demo's), nor /etc's.
            QUIETDESK_CONFIG="",
            QUIETDESK_DATA_DIR=str(data_dir),
            DJANGO_SETTINGS_MODULE="quietdesk.settings",
            PYTHONUNBUFFERED="1",
        )
        database = None
        base_url = os.environ.get("QUIETDESK_DATABASE_URL")
        if base_url:
            database = PostgresDatabase(base_url)
            database.create()
            env["QUIETDESK_DATABASE_URL"] = database.url
            # `quietdesk backup` runs pg_dump: the one matching the server's binaries.
            env["PATH"] = f"{Path(pg_bin('pg_dump')).parent}{os.pathsep}{env.get('PATH', '')}"
        env.update(extra_env or {})
        server = QuietdeskServer(name, data_dir, env, database)
        self.servers.append(server)  # registered first: cleaned up even if set-up fails
        server.manage("migrate", "--no-input", "-v", "0")
        server.logins = parse_logins(server.manage("demo", "--patrons", str(patrons)).stdout)
        missing = {"desk", "manager", "director", "privacy", "admin"} - set(server.logins)
        assert not missing, f"demo printed no login for {missing}"
        assert server.logins["director"].totp_key, "demo printed no authenticator key for director"
        server.start()
        return server

    def close(self) -> None:
        errors = []
        for server in reversed(self.servers):
            try:
                server.stop()
            finally:
                if server.database is not None:
                    try:
                        server.database.drop()
                    except Exception as exc:  # keep stopping the others
                        errors.append(f"{server.name}: could not drop {server.database.name}: {exc}")
        if errors:
            raise AssertionError("\n".join(errors))


@pytest.fixture(scope="session")
def quietdesk_servers(tmp_path_factory):
    factory = ServerFactory(tmp_path_factory)
    try:
        yield factory
    finally:
        factory.close()


@pytest.fixture(scope="session")
def quietdesk_server(quietdesk_servers, smtp_server) -> QuietdeskServer:
    return quietdesk_servers.start(
        "shared",
        extra_env={"QUIETDESK_EMAIL_HOST": smtp_server.host, "QUIETDESK_EMAIL_PORT": str(smtp_server.port)},
    )


# --- SMTP -------------------------------------------------------------------

@dataclass
class Mail:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    message: email.message.EmailMessage


@dataclass
class SmtpServer:
    host: str
    port: int
    messages: list[Mail] = field(default_factory=list)
    # hold_next_data(): the next DATA is kept (the server has the whole message) but its answer
    # waits, with the client blocked on it, until ``release`` is set; ``reached`` says it is there.
    holding: threading.Event = field(default_factory=threading.Event)
    reached: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def clear(self) -> None:
        self.messages.clear()

    def hold_next_data(self) -> None:
        self.reached.clear()
        self.release.clear()
        self.holding.set()

    def wait_for(self, count: int = 1, timeout: float = 10) -> list[Mail]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.messages)


class _Collector:
    def __init__(self, smtp: SmtpServer):
        self.smtp = smtp
        self.messages = smtp.messages

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.messages.append(
            Mail(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                data=data,
                message=email.message_from_bytes(data, policy=email.policy.default),
            )
        )
        if self.smtp.holding.is_set():
            self.smtp.holding.clear()
            self.smtp.reached.set()
            while not self.smtp.release.is_set():
                await asyncio.sleep(0.02)
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def smtp_server():
    from aiosmtpd.controller import Controller

    smtp = SmtpServer("127.0.0.1", free_port())
    controller = Controller(_Collector(smtp), hostname=smtp.host, port=smtp.port)
    controller.start()
    try:
        yield smtp
    finally:
        smtp.release.set()
        controller.stop()


# --- Chromium ---------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Debian's Chromium is missing at {CHROMIUM}: install it with `apt-get install chromium` "
            "(never `playwright install`). Browser tests do not skip.",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="module")
def chromium_browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(chromium_executable), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
