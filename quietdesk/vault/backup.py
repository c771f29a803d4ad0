"""Encrypted, consistent backups and restores.

* SQLite: the online backup API copies a consistent snapshot while the server
  runs; PostgreSQL: ``pg_dump --format=custom``.
* The snapshot is encrypted with the keyring's backup key as it is written
  (AES-256-GCM in 1 MiB chunks, each bound to its position and to whether it
  is the last, so chunks cannot be reordered, dropped or truncated unnoticed).
  Patron fields inside were already sealed; this also covers staff names and
  the access log.
* After every restore the shred list is replayed: a patron shredded after the
  backup was taken stays gone.
"""

from __future__ import annotations

import io
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connection
from django.utils import timezone

from . import keys, rotation

MAGIC = b"QDBACKUP1\n"
CHUNK = 1 << 20

class BackupError(RuntimeError):
    pass

def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"

def _encrypt_stream(src, dst) -> None:
    aead = AESGCM(keys.keyring().backup_key)
    dst.write(MAGIC)
    index = 0
    chunk = src.read(CHUNK)
    while True:
        following = src.read(CHUNK)
        last = not following
        nonce = secrets.token_bytes(12)
        sealed = aead.encrypt(nonce, chunk, MAGIC + struct.pack(">Q?", index, last))
        dst.write(struct.pack(">I", len(sealed)) + nonce + sealed)
        if last:
            return
        chunk, index = following, index + 1

def _decrypt_stream(src, dst) -> None:
    if src.read(len(MAGIC)) != MAGIC:
        raise BackupError("Not a quietdesk backup file.")
    aead = AESGCM(keys.keyring().backup_key)
    index = 0
    while True:
        header = src.read(4)
        if len(header) < 4:
            raise BackupError("The backup is truncated (its last part is missing).")
        (length,) = struct.unpack(">I", header)
        nonce, sealed = src.read(12), src.read(length)
        for last in (False, True):
            try:
                dst.write(aead.decrypt(nonce, sealed, MAGIC + struct.pack(">Q?", index, last)))
                break
            except InvalidTag:
                continue
        else:
            raise BackupError("The backup is damaged or was made with another keyring.")
        if last:
            if src.read(1):
                raise BackupError("The backup has data after its end.")
            return
        index += 1

def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client).")
    return path


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432),
            "--username", db.get("USER") or "postgres"]
    return args, env | {"PGDATABASE": db["NAME"]}

def make_backup(dest_dir: Path | None = None) -> Path:
    dest_dir = Path(dest_dir or settings.BACKUP_DIR)
    dest_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    target = dest_dir / f"quietdesk-{_engine()}-{stamp}.qdbackup"
    partial = target.with_suffix(".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            if _engine() == "sqlite":
                connection.ensure_connection()
                snapshot = sqlite3.connect(":memory:")
                connection.connection.backup(snapshot)
                data = snapshot.serialize()
                snapshot.close()

                _encrypt_stream(io.BytesIO(data), out)
            else:
                args, env = _pg_env()
                proc = subprocess.Popen(  # noqa: S603 (fixed argv, no shell)
                    [_tool("pg_dump"), "--format=custom", "--no-owner", *args],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                )
                _encrypt_stream(proc.stdout, out)
                err = proc.stderr.read()
                if proc.wait() != 0:
                    raise BackupError(f"pg_dump failed: {err.decode(errors='replace').strip()}")
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    finally:
        if partial.exists():
            partial.unlink()
    return target

def restore_backup(path: Path) -> dict[str, int]:
    """Replace the database with the backup's contents, then replay the shred list.

    Stop the web server first: a restore swaps the whole database.
    """
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="qd-restore-") as tmp:
        plain = Path(tmp) / "snapshot"
        fd = os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(path, "rb") as src, os.fdopen(fd, "wb") as dst:
            _decrypt_stream(src, dst)
        if _engine() == "sqlite":
            connection.close()
            source = sqlite3.connect(plain)
            try:
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            connection.close()
            args, env = _pg_env()
            result = subprocess.run(  # noqa: S603
                [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 *args, "--dbname", env["PGDATABASE"], str(plain)],
                capture_output=True, env=env, check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_restore failed: {result.stderr.decode(errors='replace').strip()}")
    keys.forget_cached_keyring()
    return rotation.replay_shreds()

def copy_keyring(dest: Path) -> Path:
    """For key custody: a copy of the keyring to store apart from the backups."""
    dest = Path(dest)
    shutil.copy2(keys.keyring_path(), dest)
    os.chmod(dest, 0o600)
    return dest
