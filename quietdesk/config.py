"""The installation's configuration file: the QUIETDESK_* settings, one per line.

Every process of an installation (the ``quietdesk`` command, gunicorn's workers, the
alerts worker, cron jobs) reads the same file, so a command works as printed without
exporting anything first. The file used is the first that applies:

1. ``QUIETDESK_CONFIG``: a path (it must exist); set but empty: no file at all;
2. ``var/quietdesk.env`` in the checkout, which ``scripts/demo`` writes;
3. ``/etc/quietdesk/quietdesk.env``, for production.

With ``QUIETDESK_MODE=test`` in the environment no file is read unless QUIETDESK_CONFIG
names one: the test suite and benchmarks must never reach a library's data.

Format (the part of systemd's EnvironmentFile syntax that both understand alike):
``QUIETDESK_NAME=value`` lines, ``#`` comments, blank lines, and optionally the value
in matching single or double quotes. Secrets are better given as
``QUIETDESK_<NAME>_FILE=/path``, as in the environment. The environment wins: a setting
given in the environment, as QUIETDESK_<NAME> or QUIETDESK_<NAME>_FILE, ignores both
forms in the file. The file may name secrets or hold them, so quietdesk refuses one
that others can read or that anyone but its owner can write.

No Django here: settings.py imports this before anything else is configured.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import MutableMapping
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
DEMO_FILE = CHECKOUT / "var" / "quietdesk.env"
SYSTEM_FILE = Path("/etc/quietdesk/quietdesk.env")
_NAME = re.compile(r"QUIETDESK_[A-Z0-9_]+")
# Only the demo run's own settings are written to its file, never these.
_NOT_PERSISTED = ("QUIETDESK_CONFIG", "QUIETDESK_BIND")


class ConfigError(Exception):
    """The configuration file is missing, unreadable, too open or malformed."""


def find(environ: MutableMapping[str, str]) -> Path | None:
    """The configuration file this process should read, or None."""
    named = environ.get("QUIETDESK_CONFIG")
    if named is not None:
        if not named.strip():
            return None
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigError(f"QUIETDESK_CONFIG={named}: no such file.")
        return path
    if environ.get("QUIETDESK_MODE") == "test":
        return None
    for path in (DEMO_FILE, SYSTEM_FILE):
        if path.is_file():
            return path
    return None


def parse(text: str, origin: str) -> dict[str, str]:
    """KEY=value lines; an error names the file and line."""
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not _NAME.fullmatch(key):
            raise ConfigError(
                f"{origin}:{number}: expected QUIETDESK_NAME=value (only quietdesk's own settings belong here)."
            )
        if key == "QUIETDESK_CONFIG":
            raise ConfigError(f"{origin}:{number}: QUIETDESK_CONFIG cannot point elsewhere from inside the file.")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif value[:1] in "'\"":
            raise ConfigError(f"{origin}:{number}: the value of {key} opens a quote it does not close.")
        if key in values:
            raise ConfigError(f"{origin}:{number}: {key} is set twice.")
        values[key] = value
    return values


def read(path: Path) -> dict[str, str]:
    try:
        info = path.stat()
        if info.st_mode & 0o027:
            raise ConfigError(
                f"{path} is open to others (mode {stat.S_IMODE(info.st_mode):o}): it may name secrets. "
                f"Run: chmod 600 {path} (or 640, owned by root and the quietdesk group)."
            )
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path} cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text.") from None
    return parse(text, str(path))


def _base(key: str) -> str:
    return key[: -len("_FILE")] if key.endswith("_FILE") else key


def apply(values: dict[str, str], environ: MutableMapping[str, str]) -> None:
    """Put the file's values into the environment, where the environment says nothing of them."""
    given = {_base(k) for k in environ if k.startswith("QUIETDESK_")}
    for key, value in values.items():
        if _base(key) not in given:
            environ[key] = value


def load(environ: MutableMapping[str, str] | None = None) -> Path | None:
    """Find, read and apply the configuration file; returns its path (None: no file)."""
    environ = os.environ if environ is None else environ
    path = find(environ)
    if path is not None:
        apply(read(path), environ)
    return path


def _quote(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ConfigError("a value with a line break cannot be written to the configuration file.")
    if value and re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", value):
        return value
    if '"' in value:
        if "'" in value:
            raise ConfigError("a value with both kinds of quote cannot be written to the configuration file.")
        return f"'{value}'"
    return f'"{value}"'


def write_demo_file(environ: MutableMapping[str, str], path: Path = DEMO_FILE) -> Path:
    """The demo's file: the QUIETDESK_* settings the demo runs with, mode 0600.

    Refuses to replace a file that is not a demo's (a checkout may hold a real library's).
    """
    if path.exists() and read(path).get("QUIETDESK_MODE") != "demo":
        raise ConfigError(f"{path} exists and is not a demo's configuration: not replacing it.")
    data_dir = Path(environ.get("QUIETDESK_DATA_DIR") or "var").resolve()
    values = {k: v for k, v in sorted(environ.items()) if _NAME.fullmatch(k) and k not in _NOT_PERSISTED
              and not k.startswith("QUIETDESK_DEMO_")}
    values.update(QUIETDESK_MODE="demo", QUIETDESK_DATA_DIR=str(data_dir))
    lines = [
        "# Written by scripts/demo: the settings the demo runs with. Every quietdesk command",
        "# and gunicorn read this file (quietdesk/config.py); the environment wins over it.",
        *(f"{key}={_quote(value)}" for key, value in sorted(values.items())),
    ]
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
    return path


def main(argv: list[str]) -> int:
    """``python -m quietdesk.config demo-file``: used by scripts/demo."""
    if argv != ["demo-file"]:
        print("usage: python -m quietdesk.config demo-file", file=sys.stderr)
        return 2
    try:
        path = write_demo_file(os.environ)
    except ConfigError as exc:
        print(f"quietdesk: {exc}", file=sys.stderr)
        return 1
    print(f"Configuration written to {path}: quietdesk commands run from anywhere use the demo's data.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
