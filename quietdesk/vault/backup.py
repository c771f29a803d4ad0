"""Encrypted, consistent backups and restores.

* SQLite: the online backup API copies a consistent snapshot while the server
  runs; PostgreSQL: ``pg_dump --format=custom``.
* The snapshot is encrypted with the keyring's backup key as it is written
  (AES-256-GCM in 1 MiB chunks, each bound to its position and to whether it
  is the last, so chunks cannot be reordered, dropped or truncated unnoticed).
  Patron fields inside were already sealed; this also covers staff names and
  the access log.
* A backup records, inside its encryption, where its access log ends (the last
  entry's number and hash). A restore refuses to roll the log back behind the newest
  signed checkpoint (``vault.checkpoints``: one is written after every disclosure and
  on a schedule) unless forced, and says so loudly: entries lost that way may record
  disclosures.
* After every restore the shred list is replayed (a patron shredded after the
  backup was taken stays gone), and the restore and each replayed shred are written
  to the access log.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connection
from django.utils import timezone

from . import keys, rotation

MAGIC_V1 = b"QDBACKUP1\n"
MAGIC = b"QDBACKUP2\n"  # v2: a sealed metadata record (JSON) before the chunks
CHUNK = 1 << 20

class BackupError(RuntimeError):
    pass

def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"

def _encrypt_stream(src, dst, meta: dict) -> None:
    aead = AESGCM(keys.keyring().backup_key)
    dst.write(MAGIC)
    nonce = secrets.token_bytes(12)
    sealed_meta = aead.encrypt(nonce, json.dumps(meta).encode(), MAGIC + b"meta")
    dst.write(struct.pack(">I", len(sealed_meta)) + nonce + sealed_meta)
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

def _read_meta(src, aead: AESGCM) -> dict:
    header = src.read(4)
    if len(header) < 4:
        raise BackupError("The backup is truncated (its last part is missing).")
    (length,) = struct.unpack(">I", header)
    nonce, sealed = src.read(12), src.read(length)
    try:
        return json.loads(aead.decrypt(nonce, sealed, MAGIC + b"meta"))
    except (InvalidTag, ValueError):
        raise BackupError("The backup is damaged or was made with another keyring.") from None


def _decrypt_stream(src, dst) -> dict | None:
    """Decrypt ``src`` into ``dst``; returns the backup's metadata (None for a version 1 backup)."""
    magic = src.read(len(MAGIC))
    if magic not in (MAGIC, MAGIC_V1):
        raise BackupError("Not a quietdesk backup file.")
    aead = AESGCM(keys.keyring().backup_key)
    meta = _read_meta(src, aead) if magic == MAGIC else None
    index = 0
    while True:
        header = src.read(4)
        if len(header) < 4:
            raise BackupError("The backup is truncated (its last part is missing).")
        (length,) = struct.unpack(">I", header)
        nonce, sealed = src.read(12), src.read(length)
        for last in (False, True):
            try:
                dst.write(aead.decrypt(nonce, sealed, magic + struct.pack(">Q?", index, last)))
                break
            except InvalidTag:
                continue
        else:
            raise BackupError("The backup is damaged or was made with another keyring.")
        if last:
            if src.read(1):
                raise BackupError("The backup has data after its end.")
            return meta
        index += 1

def _tool(name: str) -> str:  # pragma: no cover — PostgreSQL only: the PostgreSQL leg of scripts/test runs it
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client).")
    return path


def _pg_env() -> tuple[list[str], dict]:  # pragma: no cover — PostgreSQL only: the PostgreSQL leg of scripts/test runs it
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432),
            "--username", db.get("USER") or "postgres"]
    return args, env | {"PGDATABASE": db["NAME"]}

def _log_end() -> dict:
    from quietdesk.audit.models import AccessEntry

    last = AccessEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    return {"log_last": last[0] if last else 0, "log_head": last[1] if last else ""}


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
                meta = _snapshot_log_end(snapshot)
                snapshot.close()
                _encrypt_stream(io.BytesIO(data), out, meta | {"made_at": stamp})
            else:  # pragma: no cover — PostgreSQL only: the PostgreSQL leg of scripts/test runs it
                args, env = _pg_env()
                # Read before the dump starts: the dump holds at least these entries (appends
                # only add), so a restore never claims more than the backup has.
                meta = _log_end() | {"made_at": stamp}
                proc = subprocess.Popen(  # noqa: S603 (fixed argv, no shell)
                    [_tool("pg_dump"), "--format=custom", "--no-owner", *args],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                )
                try:
                    _encrypt_stream(proc.stdout, out, meta)
                except BaseException:
                    # A failed write (a full disk) must not leave pg_dump blocked on its pipe,
                    # holding its snapshot and every table's lock: a later restore would wait for ever.
                    proc.kill()
                    proc.communicate()
                    raise
                _, err = proc.communicate()  # stdout is drained: this reads stderr and waits
                if proc.returncode != 0:
                    raise BackupError(f"pg_dump failed: {err.decode(errors='replace').strip()}")
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    finally:
        if partial.exists():
            partial.unlink()
    return target

def _snapshot_log_end(db: sqlite3.Connection) -> dict:
    from quietdesk.audit.models import AccessEntry

    try:
        row = db.execute(f"SELECT seq, entry_hash FROM {AccessEntry._meta.db_table} "  # noqa: S608
                         "ORDER BY seq DESC LIMIT 1").fetchone()
    except sqlite3.DatabaseError:
        return {"log_last": None, "log_head": ""}
    return {"log_last": row[0] if row else 0, "log_head": row[1] if row else ""}


class RollbackRefused(BackupError):
    """Restoring would lose access-log entries that a signed checkpoint vouches for."""


@dataclass
class Restored:
    removed: dict[str, int]
    log_last: int | None  # where the restored log ends
    rolled_back_past: int | None  # the checkpoint it was forced behind, if any


def _check_rollback(meta: dict | None, force: bool) -> int | None:
    """Refuse (unless forced) a backup whose log ends before the newest signed checkpoint."""
    from . import checkpoints

    newest = checkpoints.latest()
    if newest is None:
        return None
    path, cp = newest
    last = (meta or {}).get("log_last")
    if last is not None and last >= cp.size:
        return None
    what = (f"this backup's access log ends at entry #{last}" if last is not None
            else "this backup does not say where its access log ends (an old backup format)")
    if not force:
        raise RollbackRefused(
            f"REFUSED: {what}, but a signed checkpoint ({path.name}) vouches for entries up to #{cp.size}. "
            "Restoring it would erase access-log entries, which may record disclosures. If you must "
            "(the newer database is lost for good), run again with --force: the restore and what it "
            "rolled back will be written to the access log."
        )
    return cp.size


def restore_backup(path: Path, *, force: bool = False) -> Restored:
    """Replace the database with the backup's contents, then replay the shred list, and
    record both in the access log. Refuses to roll the log back behind the newest signed
    checkpoint unless ``force``.

    Stop the web server first: a restore swaps the whole database.
    """
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="qd-restore-") as tmp:
        plain = Path(tmp) / "snapshot"
        fd = os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(path, "rb") as src, os.fdopen(fd, "wb") as dst:
            meta = _decrypt_stream(src, dst)
        if meta is None and _engine() == "sqlite":
            snapshot = sqlite3.connect(plain)
            try:
                meta = _snapshot_log_end(snapshot)
            finally:
                snapshot.close()
        before = _log_end()["log_last"]
        forced_past = _check_rollback(meta, force)
        if _engine() == "sqlite":
            connection.close()
            source = sqlite3.connect(plain)
            try:
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
        else:  # pragma: no cover — PostgreSQL only: the PostgreSQL leg of scripts/test runs it
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
    removed = rotation.replay_shreds()
    restored = _log_end()["log_last"]
    _record_restore(path, meta, before, restored, forced_past, removed)
    return Restored(removed, restored, forced_past)


def _record_restore(path: Path, meta, before: int, restored: int, forced_past: int | None, removed) -> None:
    from django.db import transaction

    from quietdesk.audit.events import Event
    from quietdesk.audit.service import Actor, append

    from . import checkpoints

    basis = (f"restored {path.name} (made {(meta or {}).get('made_at', 'at an unknown time')}): the log went "
             f"from #{before} back to #{restored}; {removed.get('replayed', 0)} shred(s) replayed")
    if forced_past is not None:
        basis += f"; FORCED behind signed checkpoint #{forced_past}"
    with transaction.atomic():
        append(Actor.system("restore"), Event.RESTORE, basis=basis[:300])
    checkpoints.checkpoint_now()

def copy_keyring(dest: Path) -> Path:
    """For key custody: a copy of the keyring to store apart from the backups."""
    dest = Path(dest)
    shutil.copy2(keys.keyring_path(), dest)
    os.chmod(dest, 0o600)
    return dest
