"""The encrypted backup file, part by part: a large database spans several sealed chunks; a
file that is not a backup, is cut short, has a damaged header or data after its end is
refused with a reason; a version 1 backup (no sealed metadata) still restores; a backup
that fails half-way leaves no partial file; and the keyring's custody copy is private."""

import io
import os
import sqlite3
import stat
import struct
import tempfile
import time
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase

from quietdesk.audit.service import Actor
from quietdesk.patrons.models import Patron
from quietdesk.patrons.services import do_register_patron
from quietdesk.vault import backup, keys
from quietdesk.vault.backup import MAGIC, MAGIC_V1, BackupError
from tests.personas import patron_data


def sealed(data: bytes, meta: dict | None = None) -> bytes:
    out = io.BytesIO()
    backup._encrypt_stream(io.BytesIO(data), out, meta or {"log_last": 0})
    return out.getvalue()


def opened(blob: bytes) -> tuple[bytes, dict | None]:
    out = io.BytesIO()
    meta = backup._decrypt_stream(io.BytesIO(blob), out)
    return out.getvalue(), meta


def version_1(data: bytes) -> bytes:
    """A backup as quietdesk wrote them before the sealed metadata record: one chunk."""
    aead, nonce = AESGCM(keys.keyring().backup_key), os.urandom(12)
    chunk = aead.encrypt(nonce, data, MAGIC_V1 + struct.pack(">Q?", 0, True))
    return MAGIC_V1 + struct.pack(">I", len(chunk)) + nonce + chunk


@pytest.mark.nodb
class TestStream:
    def test_a_large_database_spans_several_chunks_and_comes_back_whole(self):
        data = os.urandom(backup.CHUNK) * 2 + b"tail"
        blob = sealed(data, {"log_last": 7})
        assert blob.count(b"tail") == 0
        assert opened(blob) == (data, {"log_last": 7})

    def test_a_version_1_backup_has_no_metadata(self):
        assert opened(version_1(b"rows")) == (b"rows", None)

    @pytest.mark.parametrize("damage, reason", [
        (lambda b: b"SQLite format 3\x00" + b, "Not a quietdesk backup"),
        (lambda b: b[: len(MAGIC) + 2], "truncated"),
        (lambda b: b[: len(MAGIC)] + b[len(MAGIC):][:4] + bytes(12) + b[len(MAGIC) + 16:], "damaged"),
        (lambda b: b + b"x", "data after its end"),
    ])
    def test_a_damaged_file_is_refused_with_a_reason(self, damage, reason):
        with pytest.raises(BackupError, match=reason):
            opened(damage(sealed(b"rows")))

    def test_a_file_cut_after_its_metadata_is_truncated(self):
        meta_end = len(MAGIC) + 4 + 12 + struct.unpack(">I", sealed(b"rows")[len(MAGIC):len(MAGIC) + 4])[0]
        with pytest.raises(BackupError, match="truncated"):
            opened(sealed(b"rows")[:meta_end])

    def test_a_snapshot_without_an_access_log_says_so(self):
        assert backup._snapshot_log_end(sqlite3.connect(":memory:")) == {"log_last": None, "log_head": ""}


@pytest.mark.nodb
def test_the_keyrings_custody_copy_is_the_keyring_readable_by_its_owner_only(tmp_path):
    copy = backup.copy_keyring(tmp_path / "custody.json")
    assert copy.read_bytes() == keys.keyring_path().read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600


class BackupCommandTests(TransactionTestCase):
    def setUp(self):
        self.ana = do_register_patron(Actor.system("test"), patron_data(1, given_name="Ana"))

    def test_a_failed_backup_leaves_no_partial_file(self):
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        with mock.patch.object(backup, "_encrypt_stream", side_effect=OSError("disk full")), \
                self.assertRaises(OSError):
            backup.make_backup(folder)
        self.assertEqual(list(folder.iterdir()), [])
        if connection.vendor == "postgresql":
            # pg_dump was stopped, not left blocked on its pipe holding every table's lock.
            self.assertEqual(self._pg_dump_sessions(), 0)

    def _pg_dump_sessions(self) -> int:
        for _ in range(50):
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg_dump'")
                left = cursor.fetchone()[0]
            if not left:
                break
            time.sleep(0.1)
        return left

    def test_the_backup_command_writes_one_file_and_names_it(self):
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        out = StringIO()
        call_command("backup", "--dir", str(folder), stdout=out)
        made = list(folder.iterdir())
        self.assertEqual([str(p) for p in made], [out.getvalue().strip()])

    def test_a_version_1_backup_restores_and_reads_where_its_log_ends(self):
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        plain = io.BytesIO()
        backup._decrypt_stream(io.BytesIO(backup.make_backup(folder).read_bytes()), plain)
        old = folder / "old.qdbackup"
        old.write_bytes(version_1(plain.getvalue()))
        do_register_patron(Actor.system("test"), patron_data(2, given_name="Bruno"))
        restored = backup.restore_backup(old)
        self.assertEqual(Patron.objects.count(), 1)
        self.assertIsNotNone(restored.log_last)

    def test_the_restore_command_needs_a_file_and_a_yes(self):
        with self.assertRaisesRegex(CommandError, "No backup file"):
            call_command("restore", "/nonexistent/backup.qdbackup", "--yes")
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        made = backup.make_backup(folder)
        with self.assertRaisesRegex(CommandError, "--yes"):
            call_command("restore", str(made))
        out = StringIO()
        call_command("restore", str(made), "--yes", stdout=out, stderr=StringIO())
        self.assertIn(f"Restored {made.name}", out.getvalue())
        broken = folder / "broken.qdbackup"
        broken.write_bytes(b"not a backup")
        with self.assertRaisesRegex(CommandError, "Not a quietdesk backup"):
            call_command("restore", str(broken), "--yes")

