"""quietdesk bench pages --json [--users 50] [--seconds 60] [--think-ms 1000] [--patrons 200]

Pages under load. Serves quietdesk with gunicorn as deployed (deploy/gunicorn.conf.py:
2 workers x 4 threads, the private access log) on production settings, read from a
configuration file of its own, on loopback, over a fresh SQLite data directory
(migrated, the demo library, one account per simulated member of staff, open cases).
Then USERS simulated staff sign in for real (Argon2 passwords; directors pass their
second factor with a TOTP code, as the tests' personas do) and work at once for
SECONDS, each pausing THINK_MS (0.5x to 1.5x, at random) between pages as a person does:

* circulation staff (4 in 5): find a patron by card, check an item out to them,
  check it in; again with the next item;
* directors (1 in 5): open a case page, find a patron by card.

Every page is a GET of the form, a POST, and the page it redirects to, each timed
as one request. A TLS proxy is stood in for by X-Forwarded-Proto: https from loopback
(production settings redirect plain HTTP and mark cookies Secure).

users              simulated staff working at once
seconds            length of the measured window (sign-ins come before it)
requests           page requests completed in the window
errors             requests that failed: a connection error, an unexpected status, or a page
                   without what the step must show (a form error, say)
p50_ms, p95_ms, p99_ms   latency of those requests
static_requests, static_p95_ms   the stylesheet, fetched by the same users from the same
                   server in the same window after each page (as a browser with a cold cache)
p95_ratio_to_static      p95_ms / static_p95_ms: the baseline measured in the same run
requests_per_s     completed requests per second
server_cpu_ms_per_request  gunicorn's CPU time in the window per page request (its stylesheet
                   fetch included): the cost that other processes' load does not change
client_cpu_ms_per_request  the simulated staff's own CPU (this process) per page request
journeys           per journey: its requests and their p95
load_before, load_after  the machine's 1-minute load average (other processes share the cores)
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

NEEDS_DATABASE = False
REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ITEMS_PER_USER = 6
CASES = 20
OTP_ROLES = ("director", "privacy_officer", "sysadmin")


def add_arguments(parser):
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think-ms", type=int, default=1000)
    parser.add_argument("--patrons", type=int, default=200)


# --- the server ---------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(config_file: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(QUIETDESK_CONFIG=str(config_file), PYTHONPATH=str(REPO), **extra)
    return env


def _write_private(path: Path, text: str) -> Path:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    return path


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, check=False, timeout=900)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result.stdout


def prepare(root: Path, users: int, patrons: int) -> tuple[Path, dict]:
    """A production installation in ``root``: its configuration file, data, staff and cases."""
    secret = _write_private(root / "secret-key", secrets.token_urlsafe(50))
    config_file = _write_private(root / "quietdesk.env", "\n".join([
        "QUIETDESK_MODE=production",
        f"QUIETDESK_SECRET_KEY_FILE={secret}",
        "QUIETDESK_ALLOWED_HOSTS=127.0.0.1",
        f"QUIETDESK_DATA_DIR={root / 'var'}",
        "QUIETDESK_PROXY_COUNT=1",
        "QUIETDESK_EMAIL_HOST=127.0.0.1",
        f"QUIETDESK_EMAIL_PORT={_free_port()}",  # nothing listens: the director's email fails at once
    ]) + "\n")
    # The demo library is made in demo mode (it refuses production), over the same data.
    seed_env = _env(config_file, QUIETDESK_MODE="demo")
    _run([str(BIN / "quietdesk"), "migrate", "--no-input", "-v0"], seed_env)
    _run([str(BIN / "quietdesk"), "demo", "--patrons", str(patrons)], seed_env)
    plan = json.loads(_run([sys.executable, "-m", "bench.pages", "seed", str(users), str(patrons)], seed_env))
    _run([str(BIN / "quietdesk"), "collectstatic", "--no-input", "-v0"], _env(config_file))
    return config_file, plan


def seed(users: int, patrons: int) -> dict:
    """Child process, demo mode: one account per simulated member of staff, their items, open cases."""
    import django

    django.setup()
    from django.db import transaction

    from quietdesk.audit.service import Actor
    from quietdesk.circulation.models import Item
    from quietdesk.core import demo_library
    from quietdesk.core.models import Branch
    from quietdesk.legal import services as legal
    from quietdesk.staff.models import StaffUser
    from quietdesk.staff.roles import Role

    branch = Branch.objects.order_by("code").first()
    plan: dict = {"users": [], "cases": [], "cards": [demo_library.card_number(i) for i in range(patrons)]}
    director = None
    for number in range(users):
        role = Role.DIRECTOR if number % 5 == 4 else Role.CIRCULATION
        with transaction.atomic():
            user = StaffUser.objects.create(username=f"bench{number:03d}", role=role, branch=branch)
            password = demo_library.new_password()
            user.set_password(password)
            user.save()
            key = demo_library.give_authenticator(user) if role.value in OTP_ROLES else None
            items = [f"BENCH{number:03d}{k:02d}" for k in range(ITEMS_PER_USER)]
            Item.objects.bulk_create([Item(barcode=b, title=f"Bench title {b}", branch=branch) for b in items])
        plan["users"].append({"username": user.username, "password": password, "role": role.value,
                              "totp_key": key, "items": items})
        director = director or (user if role == Role.DIRECTOR else None)
    for number in range(CASES):
        case = legal.do_open_case(Actor.for_user(director), {
            "requester": "immigration_officer", "category": "circulation", "document": "ice_administrative_warrant",
            "officer_name": f"Officer {number}", "agency": "ICE", "purpose": "asked about a patron's loans",
        }, user=director)
        plan["cases"].append(str(case.pk))
    return plan


class Server:
    def __init__(self, config_file: Path, root: Path):
        self.port = _free_port()
        self.log = open(root / "gunicorn.log", "wb")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "quietdesk.wsgi:application", "-c", str(REPO / "deploy" / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{self.port}"],
            env=_env(config_file), cwd=REPO, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {(root / 'gunicorn.log').read_text()[-2000:]}")
            try:
                if Client(self.port).request("GET", "/healthz").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer /healthz in 60 s")
            time.sleep(0.2)

    def cpu_seconds(self) -> float:
        """CPU time used so far by gunicorn's processes (master and workers)."""
        ticks = 0
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.proc.pid:  # the process group gunicorn leads
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        import signal

        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()


# --- a member of staff's browser ------------------------------------------------

@dataclass
class Response:
    status: int
    location: str
    text: str
    ms: float


@dataclass
class Client:
    """Cookies, CSRF tokens, redirects; one connection per request, as through a proxy."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    timeout: float = 30.0

    def request(self, method: str, path: str, form: dict | None = None) -> Response:
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1",
                   "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf, **form})
            headers |= {"Content-Type": "application/x-www-form-urlencoded",
                        "Origin": f"https://127.0.0.1:{self.port}"}
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
        finally:
            conn.close()
        ms = (time.perf_counter() - started) * 1000
        for header, value in resp.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if m := re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text):
            self.csrf = m.group(1)
        location = urllib.parse.urlsplit(resp.getheader("Location") or "").path
        return Response(resp.status, location, text, ms)


class StepError(Exception):
    pass


@dataclass
class Recorder:
    started: float = 0.0
    until: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    pages: list[tuple[str, float]] = field(default_factory=list)
    static: list[float] = field(default_factory=list)
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)

    def counting(self) -> bool:
        return self.started <= time.monotonic() < self.until

    def page(self, journey: str, ms: float) -> None:
        if self.counting():
            with self.lock:
                self.pages.append((journey, ms))

    def error(self, what: str) -> None:
        if self.counting():
            with self.lock:
                self.errors += 1
                if len(self.error_examples) < 5:
                    self.error_examples.append(what)


# Sign-ins hash Argon2 on the server (about 100 MB and a few hundred ms each): a few at a time.
SIGN_INS_AT_ONCE = threading.BoundedSemaphore(4)


class Staff(threading.Thread):
    def __init__(self, port: int, login: dict, plan: dict, rec: Recorder, think_ms: int, stylesheet: str,
                 signed_in: threading.Barrier, rng: random.Random):
        super().__init__(daemon=True)
        self.client, self.login, self.plan, self.rec = Client(port), login, plan, rec
        self.think_ms, self.stylesheet, self.signed_in, self.rng = think_ms, stylesheet, signed_in, rng
        self.failed: str | None = None

    # one timed request, checked
    def step(self, journey: str, method: str, path: str, form: dict | None = None, *,
             expect: int = 200, must: str | None = None) -> Response:
        try:
            resp = self.client.request(method, path, form)
        except OSError as exc:
            self.rec.error(f"{journey}: {method} {path}: {exc}")
            raise StepError from exc
        self.rec.page(journey, resp.ms)
        if resp.status != expect or (must is not None and must not in resp.text):
            self.rec.error(f"{journey}: {method} {path}: HTTP {resp.status}"
                           + (f", no {must!r}" if must and resp.status == expect else ""))
            raise StepError
        if self.rec.counting():  # the baseline: a static file, same server, same moment
            try:
                static = self.client.request("GET", self.stylesheet)
            except OSError:
                self.rec.error(f"static: GET {self.stylesheet}")
            else:
                with self.rec.lock:
                    self.rec.static.append(static.ms)
        time.sleep(self.think_ms / 1000 * self.rng.uniform(0.5, 1.5))
        return resp

    def sign_in(self) -> None:
        with SIGN_INS_AT_ONCE:
            self.client.timeout = 300.0
            try:
                self._sign_in()
            finally:
                self.client.timeout = 30.0

    def _sign_in(self) -> None:
        from django_otp.oath import totp

        c = self.client
        c.request("GET", "/staff/sign-in/")
        resp = c.request("POST", "/staff/sign-in/", {"username": self.login["username"],
                                                     "password": self.login["password"], "next": ""})
        if self.login["totp_key"]:
            if resp.status != 302 or c.request("GET", "/staff/sign-in/code/").status != 200:
                raise RuntimeError(f"{self.login['username']}: no second step ({resp.status} {resp.location})")
            key = self.login["totp_key"]
            seed = base64.b32decode(key + "=" * (-len(key) % 8))
            resp = c.request("POST", "/staff/sign-in/code/", {"code": f"{totp(seed):06d}"})
        if resp.status != 302 or resp.location != "/":
            raise RuntimeError(f"{self.login['username']}: sign-in ended with {resp.status} {resp.location}")

    def find(self, card: str) -> None:
        self.step("find a patron", "GET", "/patrons/find/")
        resp = self.step("find a patron", "POST", "/patrons/find/", {"by": "card_number", "query": card}, expect=302)
        self.step("find a patron", "GET", resp.location, must="Card number")

    def checkout_and_checkin(self, card: str, barcode: str) -> None:
        self.step("check out", "GET", "/circulation/checkout/")
        self.step("check out", "POST", "/circulation/checkout/", {"card_number": card, "barcode": barcode},
                  must="is checked out, due")
        self.step("check in", "GET", "/circulation/checkin/")
        self.step("check in", "POST", "/circulation/checkin/", {"barcode": barcode}, must="is checked in.")

    def run(self) -> None:
        try:
            self.sign_in()
        except Exception as exc:  # reported, and the run fails: a benchmark without its users means nothing
            self.failed = f"sign-in: {exc}"
        try:
            self.signed_in.wait(timeout=1800)
        except threading.BrokenBarrierError:
            return
        if self.failed:
            return
        cards, items, cases = self.plan["cards"], self.login["items"], self.plan["cases"]
        turn = self.rng.randrange(len(cards))
        time.sleep(self.rng.uniform(0, self.think_ms / 1000))  # not all in step
        while time.monotonic() < self.rec.until:
            turn += 1
            card = cards[turn % len(cards)]
            try:
                if self.login["role"] == "director":
                    self.step("open a case page", "GET", f"/requests/cases/{cases[turn % len(cases)]}/",
                              must="<h1")
                    self.find(card)
                else:
                    self.find(card)
                    self.checkout_and_checkin(card, items[turn % len(items)])
            except StepError:
                time.sleep(self.think_ms / 1000)


# --- the run ------------------------------------------------------------------

def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 1) if ordered else 0.0


def run(users: int, seconds: float, think_ms: int, patrons: int) -> dict:
    load_before = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory(prefix="quietdesk-bench-pages-") as tmp:
        root = Path(tmp)
        config_file, plan = prepare(root, users, max(patrons, 3))
        server = Server(config_file, root)
        try:
            probe = Client(server.port)
            page = probe.request("GET", "/staff/sign-in/").text
            stylesheet = urllib.parse.unquote(re.search(r'href="(/static/quietdesk/site\.[^"]+\.css)"', page).group(1))
            rec = Recorder()
            barrier = threading.Barrier(users + 1)
            staff = [Staff(server.port, login, plan, rec, think_ms, stylesheet, barrier, random.Random(n))
                     for n, login in enumerate(plan["users"][:users])]
            # Sign-ins (Argon2 on the server) are not measured: a few at a time, before the window.
            for member in staff:
                member.start()
            rec.started = time.monotonic() + 600  # not yet
            rec.until = rec.started + seconds
            barrier.wait(timeout=1800)
            failed = [m.failed for m in staff if m.failed]
            if failed:
                raise RuntimeError(f"{len(failed)} simulated staff could not sign in: {failed[:3]}")
            rec.started = time.monotonic() + min(5.0, think_ms / 1000 * 2)  # everyone under way first
            rec.until = rec.started + seconds
            time.sleep(max(0.0, rec.started - time.monotonic()))
            cpu_start, client_start = server.cpu_seconds(), time.process_time()
            time.sleep(max(0.0, rec.until - time.monotonic()))
            cpu_used, client_used = server.cpu_seconds() - cpu_start, time.process_time() - client_start
            for member in staff:
                member.join(timeout=120)
        finally:
            server.stop()
    latencies = [ms for _, ms in rec.pages]
    journeys = {}
    for name in ("find a patron", "check out", "check in", "open a case page"):
        samples = [ms for journey, ms in rec.pages if journey == name]
        journeys[name] = {"requests": len(samples), "p95_ms": _pct(samples, 0.95)}
    p95, static_p95 = _pct(latencies, 0.95), _pct(rec.static, 0.95)
    return {
        "users": users,
        "seconds": seconds,
        "think_ms": think_ms,
        "requests": len(latencies),
        "errors": rec.errors,
        "error_examples": rec.error_examples,
        "p50_ms": _pct(latencies, 0.50),
        "p95_ms": p95,
        "p99_ms": _pct(latencies, 0.99),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
        "static_requests": len(rec.static),
        "static_p95_ms": static_p95,
        "p95_ratio_to_static": round(p95 / static_p95, 1) if static_p95 else None,
        "requests_per_s": round(len(latencies) / seconds, 1),
        # The server's own CPU per page (the stylesheet's share included): what load does not change.
        "server_cpu_ms_per_request": round(cpu_used * 1000 / len(latencies), 1) if latencies else None,
        "client_cpu_ms_per_request": round(client_used * 1000 / len(latencies), 1) if latencies else None,
        "journeys": journeys,
        "cores": os.cpu_count(),
        "load_before": load_before,
        "load_after": round(os.getloadavg()[0], 2),
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["seed"]:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quietdesk.settings")
        print(json.dumps(seed(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        sys.exit("usage: quietdesk bench pages --json (this module's `seed` is for its own use)")
