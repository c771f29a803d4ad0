"""The keyring: every secret key quietdesk holds, in one file outside the database.

Design notes
------------
* The keyring file (``KEY_DIR/keyring.json``, mode 0600) holds the versioned
  key-encryption keys (KEKs), the blind-index root key, the pseudonym key, the
  backup key and the access-log signing key. None of them is ever written to
  the database, a backup of the database, a log or a cache.
* Per-subject data keys are random (never derived from an id), and live in the
  database only wrapped by a KEK (see ``crypto.py``). Destroying an old KEK
  version (``quietdesk keys retire``) makes every backup taken before the
  rotation unreadable.
* The shred list (``KEY_DIR/shredded.list``) names every subject whose data key
  was destroyed. It is append-only and replayed after any restore, so a
  restored backup cannot bring a shredded patron back.
* Only modules inside ``quietdesk.vault`` may import this one (import-linter).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

KEYRING_FORMAT = 1
KEY_BYTES = 32


class KeyringError(RuntimeError):
    """The keyring is missing, unreadable or lacks a key that the data needs."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def write_private_file(path: Path, data: bytes) -> None:
    """Atomically replace ``path`` with ``data``, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@dataclass
class Keyring:
    keks: dict[int, bytes]
    current_kek: int
    index_key: bytes
    pseudonym_key: bytes
    backup_key: bytes
    signing_key: bytes  # Ed25519 private key, raw 32 bytes
    retired: list[int] = field(default_factory=list)

    @classmethod
    def generate(cls) -> Keyring:
        return cls(
            keks={1: secrets.token_bytes(KEY_BYTES)},
            current_kek=1,
            index_key=secrets.token_bytes(KEY_BYTES),
            pseudonym_key=secrets.token_bytes(KEY_BYTES),
            backup_key=secrets.token_bytes(KEY_BYTES),
            signing_key=secrets.token_bytes(KEY_BYTES),
        )

    def kek(self, version: int) -> bytes:
        try:
            return self.keks[version]
        except KeyError:
            if version in self.retired:
                raise KeyringError(
                    f"Key-encryption key version {version} was retired: data wrapped by it "
                    "(for example an old backup) can no longer be read. This is by design."
                ) from None
            raise KeyringError(
                f"Key-encryption key version {version} is not in the keyring at "
                f"{keyring_path()}. Restore the keyring from its custody copy."
            ) from None

    def to_json(self) -> bytes:
        doc = {
            "format": KEYRING_FORMAT,
            "kek": {str(v): _b64(k) for v, k in sorted(self.keks.items())},
            "current_kek": self.current_kek,
            "retired": sorted(self.retired),
            "index_key": _b64(self.index_key),
            "pseudonym_key": _b64(self.pseudonym_key),
            "backup_key": _b64(self.backup_key),
            "signing_key": _b64(self.signing_key),
        }
        return json.dumps(doc, indent=2).encode("utf-8") + b"\n"

    @classmethod
    def from_json(cls, raw: bytes) -> Keyring:
        try:
            doc = json.loads(raw)
            if doc.get("format") != KEYRING_FORMAT:
                raise KeyringError(f"Unknown keyring format {doc.get('format')!r}.")
            return cls(
                keks={int(v): _unb64(k) for v, k in doc["kek"].items()},
                current_kek=int(doc["current_kek"]),
                retired=[int(v) for v in doc.get("retired", [])],
                index_key=_unb64(doc["index_key"]),
                pseudonym_key=_unb64(doc["pseudonym_key"]),
                backup_key=_unb64(doc["backup_key"]),
                signing_key=_unb64(doc["signing_key"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyringError(f"The keyring at {keyring_path()} is damaged: {exc}") from None


def keyring_path() -> Path:
    return Path(settings.KEY_DIR) / "keyring.json"


def shred_list_path() -> Path:
    return Path(settings.KEY_DIR) / "shredded.list"


_lock = threading.Lock()
_cached: Keyring | None = None


def keyring() -> Keyring:
    """The keyring, created on first run (mode 0600) if it does not exist."""
    global _cached
    if _cached is not None:
        return _cached
    with _lock:
        if _cached is None:
            path = keyring_path()
            if path.exists():
                mode = path.stat().st_mode & 0o777
                if mode & 0o077:
                    raise KeyringError(
                        f"{path} is readable by others (mode {mode:o}); run: chmod 600 {path}"
                    )
                _cached = Keyring.from_json(path.read_bytes())
            else:
                ring = Keyring.generate()
                write_private_file(path, ring.to_json())
                _cached = ring
    return _cached


def save_keyring(ring: Keyring) -> None:
    global _cached
    with _lock:
        write_private_file(keyring_path(), ring.to_json())
        _cached = ring


def forget_cached_keyring() -> None:
    """For tests and after a keyring restore: reread the file on next use."""
    global _cached
    with _lock:
        _cached = None
    _shred_cache.clear()


# --- shred list -----------------------------------------------------------


class _ShredCache:
    """The shred list in memory, reread when the file changes."""

    def __init__(self) -> None:
        self.ids: frozenset[uuid.UUID] = frozenset()
        self.stamp: tuple[float, int] | None = None

    def clear(self) -> None:
        self.ids, self.stamp = frozenset(), None

    def current(self) -> frozenset[uuid.UUID]:
        try:  # os.stat on a str: this runs on every decryption, Path costs more than the stat
            st = os.stat(os.path.join(settings.KEY_DIR, "shredded.list"))
        except FileNotFoundError:
            self.clear()
            return self.ids
        stamp = (st.st_mtime, st.st_size)
        if stamp != self.stamp:
            self.ids = frozenset(read_shred_list())
            self.stamp = stamp
        return self.ids


_shred_cache = _ShredCache()


def read_shred_list() -> list[uuid.UUID]:
    return [subject_id for subject_id, _when in read_shred_list_dated()]


def read_shred_list_dated() -> list[tuple[uuid.UUID, str]]:
    """(subject, when it was shredded) for every line of the shred list."""
    path = shred_list_path()
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split("#", 1)[0].split()
        if parts:
            out.append((uuid.UUID(parts[0]), parts[1] if len(parts) > 1 else ""))
    return out


def append_to_shred_list(subject_id: uuid.UUID, when: str) -> None:
    """Durably record a shredded subject before its key is deleted."""
    path = shred_list_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="ascii") as fh:
        fh.write(f"{subject_id} {when}\n")
        fh.flush()
        os.fsync(fh.fileno())



def append_many_to_shred_list(subject_ids, when: str) -> None:
    """``append_to_shred_list`` for many subjects with one write and one fsync."""
    lines = "".join(f"{subject_id} {when}\n" for subject_id in subject_ids)
    if not lines:
        return
    path = shred_list_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="ascii") as fh:
        fh.write(lines)
        fh.flush()
        os.fsync(fh.fileno())

def is_shredded(subject_id: uuid.UUID) -> bool:
    return subject_id in _shred_cache.current()


def shredded_ids() -> frozenset[uuid.UUID]:
    """The shred list as it is now (one look at the file, for checking many ids)."""
    return _shred_cache.current()
