"""From a fresh clone, `scripts/demo` and every command it and the README print work as printed.

A copy of this checkout's files (what `git clone` would give, plus uncommitted work)
is made in a temporary directory and `scripts/demo --port N` is run there for real:
setup, the configuration file, migrations, the demo library, the alerts worker, the
purge loop and gunicorn. Then, with no QUIETDESK_* variable in the environment and
from the clone's root, each command the demo printed and the README lists is run as
a person would type it, the printed logins, sample cards and barcodes are used at the
desk, and every file under the data directory is checked to be owner-only (0600,
directories 0700), again after a backup.

The clone shares this checkout's virtualenv (a symbolic link): PYTHONPATH points its
Python at the clone's own code, since the editable install points at this checkout.
A real fresh clone gets its own `.venv` from scripts/setup.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, HttpClient, free_port, parse_logins

pytestmark = [pytest.mark.slow]

SAMPLE_LINE = re.compile(r"^\s+(card numbers|items on the shelf|items out \(to check in\)):\s+(.*)$", re.M)
PASSWORD = re.compile(r"^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){2}$")
# The README's commands (its table), with real arguments, as typed from the checkout.
README_COMMANDS = [
    ".venv/bin/quietdesk policy decide --requester law_enforcement --category registration --json",
    ".venv/bin/quietdesk classify tests/documents/corpus/co_ca_production.txt --json",
    ".venv/bin/quietdesk retention show",
    ".venv/bin/quietdesk inventory",
    ".venv/bin/quietdesk keys status",
    ".venv/bin/quietdesk audit checkpoint",
    ".venv/bin/quietdesk audit verify",
    ".venv/bin/quietdesk backup",
    ".venv/bin/quietdesk selfcheck list",
    ".venv/bin/quietdesk i18n_check --no-extract",
]


def make_clone(dest: Path) -> Path:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    (dest / ".venv").symlink_to(ROOT / ".venv")
    return dest


def plain_env(clone: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_") and k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(clone)
    return env


def run_printed(command: str, clone: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(shlex.split(command), cwd=clone, env=plain_env(clone), capture_output=True,
                            text=True, timeout=300, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "ImproperlyConfigured" not in output and "Traceback" not in output, (
        f"`{command}` failed as printed ({result.returncode}):\n{output[-3000:]}")
    return result


def assert_private(data_dir: Path) -> int:
    """Every directory under the data directory 0700, every file 0600; returns how many files."""
    files = 0
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700, data_dir
    for root, dirs, names in os.walk(data_dir):
        for name in dirs:
            path = Path(root) / name
            assert stat.S_IMODE(path.lstat().st_mode) == 0o700, f"{path} is {stat.filemode(path.lstat().st_mode)}"
        for name in names:
            path = Path(root) / name
            assert stat.S_IMODE(path.lstat().st_mode) == 0o600, f"{path} is {stat.filemode(path.lstat().st_mode)}"
            files += 1
    return files


@pytest.fixture
def demo(tmp_path):
    """`scripts/demo --port N` running in a fresh copy of the checkout; yields (clone, port, output)."""
    stamp = ROOT / ".venv" / ".quietdesk-deps"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.is_file() or stamp.read_text().strip() != wanted:
        pytest.fail("The virtualenv does not match pyproject.toml: run scripts/setup first.", pytrace=False)
    clone = make_clone(tmp_path / "clone")
    port = free_port()
    log = tmp_path / "demo.log"
    env = plain_env(clone) | {"QUIETDESK_DEMO_PATRONS": "5"}
    with open(log, "wb") as out:
        proc = subprocess.Popen(["scripts/demo", "--port", str(port)], cwd=clone, env=env, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 600
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"scripts/demo exited ({proc.returncode}):\n{log.read_text()[-4000:]}")
            if "Serving the demo" in log.read_text(errors="replace"):
                try:
                    with opener.open(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                        if resp.status == 200:
                            break
                except OSError:
                    pass
            if time.monotonic() > deadline:
                raise AssertionError(f"scripts/demo did not serve in time:\n{log.read_text()[-4000:]}")
            time.sleep(0.5)
        yield clone, port, log.read_text()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
        # The alerts worker and the purge loop are in the same process group.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_everything_the_demo_and_readme_print_works_as_printed(demo):
    clone, port, output = demo
    assert (clone / "var" / "quietdesk.env").is_file()

    # Logins: passwords never start with a dash (or anything a shell or a form could misread).
    logins = parse_logins(output)
    assert {"desk", "manager", "director", "privacy", "admin"} <= set(logins)
    for login in logins.values():
        assert PASSWORD.fullmatch(login.password), login.password

    # Every command the demo printed, exactly as printed, from the clone's root.
    printed = re.findall(r"\(or run: ([^)]+)\)", output)
    printed += [line.strip() for line in output.split("Commands to try, from this directory:\n", 1)[1]
                .split("\n\n", 1)[0].splitlines()]
    assert ".venv/bin/quietdesk demo_code director" in printed
    assert any(c.startswith(".venv/bin/quietdesk policy decide ") for c in printed)
    assert any(c.startswith(".venv/bin/quietdesk classify ") for c in printed)
    results = {command: run_printed(command, clone) for command in dict.fromkeys(printed)}
    assert "DENY" in results[next(c for c in printed if " policy decide " in c)].stdout
    assert "This is: an ICE administrative warrant." in results[next(c for c in printed if " classify " in c)].stdout

    # The README's commands.
    for command in README_COMMANDS:
        run_printed(command, clone)
    assert list((clone / "var" / "backups").glob("quietdesk-sqlite-*.qdbackup"))

    # The printed logins, cards and barcodes work at the desk.
    samples = {name: value.split(", ") for name, value in SAMPLE_LINE.findall(output)}
    assert len(samples["card numbers"]) == 3 and samples["items on the shelf"] and samples["items out (to check in)"]
    desk = HttpClient(f"http://127.0.0.1:{port}")
    desk.get("/staff/sign-in/")
    desk.post("/staff/sign-in/", {"username": "desk", "password": logins["desk"].password, "next": ""})
    desk.get("/circulation/checkout/")
    page = desk.post("/circulation/checkout/", {"card_number": samples["card numbers"][0],
                                                "barcode": samples["items on the shelf"][0]})
    assert "is checked out, due" in page.text
    desk.get("/circulation/checkin/")
    page = desk.post("/circulation/checkin/", {"barcode": samples["items out (to check in)"][0]})
    assert "is checked in." in page.text
    # The director signs in with the code `demo_code` prints (the next step's, if this one was used).
    director = HttpClient(f"http://127.0.0.1:{port}")
    director.get("/staff/sign-in/")
    page = director.post("/staff/sign-in/", {"username": "director", "password": logins["director"].password,
                                             "next": ""})
    assert page.path == "/staff/sign-in/code/"
    code = run_printed(".venv/bin/quietdesk demo_code director", clone).stdout.split()[0]
    page = director.post("/staff/sign-in/code/", {"code": code})
    assert page.path == "/" and "Sign out" in page.text

    # Owner-only files, after the demo's setup and a backup (and a checkpoint, above).
    files = assert_private(clone / "var")
    assert files >= 8  # database, -wal, -shm, keyring, shred list, secret key, backup, checkpoint, ...
    run_printed(".venv/bin/quietdesk backup", clone)
    assert_private(clone / "var")
