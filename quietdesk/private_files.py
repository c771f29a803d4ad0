"""What quietdesk writes to disk is readable by quietdesk alone.

The data directory holds the database, its write-ahead log, the keyring, the shred
list, backups, checkpoints and audit reports. Every process sets a umask of 077 as
soon as settings load (and gunicorn's configuration does it before forking), so a
file made by any library (SQLite's -wal and -shm, Django's storages) is 0600 and a
directory 0700; the places that create files also give the mode explicitly.

No Django here: settings.py uses it before Django is configured.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

UMASK = 0o077
DIR_MODE = 0o700
FILE_MODE = 0o600


def restrict_process() -> None:
    """Files and directories this process creates from now on are its owner's alone."""
    os.umask(UMASK)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700 directories; tighten it if it is ours and open."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for directory in reversed(missing):
        directory.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(directory, DIR_MODE)  # mkdir's mode is filtered by the umask; be explicit
    _tighten(path, DIR_MODE)
    return path


def create_private_file(path: Path) -> Path:
    """An empty file, 0600, unless it exists (then it is tightened if it is ours and open)."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        _tighten(path, FILE_MODE)
    else:
        os.close(fd)
    return path


def write_private(path: Path, data: bytes | str) -> Path:
    """Write ``path`` atomically, 0600, in a 0700 directory."""
    path = Path(path)
    private_dir(path.parent)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


# What quietdesk itself makes directly in the data directory. Camera footage is not
# here: the camera system writes it, and may need its group's access.
OWN_ENTRIES = (
    "quietdesk.sqlite3", "quietdesk.sqlite3-wal", "quietdesk.sqlite3-shm", "quietdesk.sqlite3-journal",
    "quietdesk.env", "keys", "backups", "checkpoints", "audit", "static", "drills",
)


def secure_data_dir(data_dir: Path) -> None:
    """The data directory 0700 and quietdesk's own files in it owner-only.

    Installations made before quietdesk set its umask have an open data directory and
    0644 database files: this closes them (each said once on standard error). What is
    deeper was made under the umask, or is unreachable once its parent is 0700. An
    existing directory is tightened only if it is empty or already holds quietdesk's
    data (a data directory given by mistake, such as /var, is never touched).
    """
    data_dir = Path(data_dir)
    if not data_dir.exists():
        private_dir(data_dir)
        return
    present = [data_dir / name for name in OWN_ENTRIES if os.path.lexists(data_dir / name)]
    if not present and any(data_dir.iterdir()):
        return
    _tighten(data_dir, DIR_MODE)
    for path in present:
        _tighten(path, DIR_MODE if path.is_dir() else FILE_MODE)


def _tighten(path: Path, mode: int) -> None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    current = stat.S_IMODE(info.st_mode)
    if stat.S_ISLNK(info.st_mode) or not current & 0o077 or info.st_uid != os.geteuid():
        return
    os.chmod(path, current & mode)
    print(f"quietdesk: {path} was open to others (mode {current:o}); now {current & mode:o}.", file=sys.stderr)
