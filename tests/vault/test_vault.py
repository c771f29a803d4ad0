import os
import stat

from django.core.management import call_command
from django.test import TransactionTestCase

from quietdesk.audit.service import Actor
from quietdesk.patrons.models import Patron
from quietdesk.patrons.services import do_register_patron, do_shred_patron, view_patron
from quietdesk.vault import api, datakeys, keys, rotation
from quietdesk.vault.backup import BackupError, make_backup, restore_backup
from quietdesk.vault.models import DataKey
from tests.personas import patron_data

ACTOR = Actor.system("test")


class VaultTests(TransactionTestCase):
    """TransactionTestCase: backups and restores work on the committed database."""

    def setUp(self):
        self.alice = do_register_patron(ACTOR, patron_data(1, given_name="Alice"))
        self.bruno = do_register_patron(ACTOR, patron_data(2, given_name="Bruno"))

    def test_keyring_is_private_and_outside_the_database(self):
        path = keys.keyring_path()
        self.assertTrue(path.exists())
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        kek = keys.keyring().kek(keys.keyring().current_kek)
        for wrapped in DataKey.objects.values_list("wrapped", flat=True):
            self.assertNotIn(kek, bytes(wrapped))

    def test_keyring_readable_by_others_is_refused(self):
        path = keys.keyring_path()
        os.chmod(path, 0o644)
        keys.forget_cached_keyring()
        try:
            with self.assertRaisesRegex(keys.KeyringError, "chmod 600"):
                keys.keyring()
        finally:
            os.chmod(path, 0o600)
            keys.forget_cached_keyring()

    def test_each_patron_has_their_own_random_key(self):
        rows = list(DataKey.objects.filter(kind="patron").values_list("wrapped", flat=True))
        self.assertEqual(len({bytes(r) for r in rows}), len(rows))

    def test_shred_makes_data_unreadable(self):
        do_shred_patron(ACTOR, self.alice, reason="test")
        self.assertTrue(api.is_shredded(self.alice.id))
        self.assertFalse(Patron.objects.filter(pk=self.alice.pk).exists())
        with self.assertRaises(api.SubjectShredded):
            view_patron(ACTOR, self.alice, purpose="test")  # the stale in-memory row
        self.assertEqual(view_patron(ACTOR, self.bruno, purpose="test")["given_name"], "Bruno")

    def test_shred_flushes_the_write_ahead_log_on_sqlite(self):
        # Once the shred commits, no copy of the wrapped key's page may wait in the -wal file.
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            do_shred_patron(ACTOR, self.alice, reason="test")
        flushed = [q for q in queries.captured_queries if "wal_checkpoint(TRUNCATE)" in q["sql"]]
        self.assertEqual(len(flushed), 1 if connection.vendor == "sqlite" else 0)

    def test_one_flush_per_transaction_and_the_busy_timeout_comes_back(self):
        from django.db import connection, transaction
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            do_shred_patron(ACTOR, self.alice, reason="test")
            do_shred_patron(ACTOR, self.bruno, reason="test")
        flushed = [q for q in queries.captured_queries if "wal_checkpoint(TRUNCATE)" in q["sql"]]
        self.assertEqual(len(flushed), 1 if connection.vendor == "sqlite" else 0)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout")
                self.assertEqual(cursor.fetchone()[0], 5000)

    def test_rotation_catches_a_key_wrapped_under_the_old_kek_behind_it(self):
        # A process that had not reread the keyring wraps a new key under the old KEK
        # while the walk is past that subject: rotation must still leave none behind.
        import uuid as uuid_mod

        from quietdesk.vault import crypto

        old = keys.keyring().current_kek
        rotation.start_rotation()
        rotation.BATCH, saved = 1, rotation.BATCH
        late = uuid_mod.UUID(int=1)  # sorts before every other subject

        def wrap_one_behind(n):
            if not DataKey.objects.filter(subject_id=late).exists():
                wrapped = crypto.wrap(keys.keyring().kek(old), old, late, 1, crypto.new_data_key())
                DataKey.objects.create(subject_id=late, kind="patron", dk_version=1, kek_version=old, wrapped=wrapped)

        try:
            rotation.rewrap_pending(progress=wrap_one_behind)
        finally:
            rotation.BATCH = saved
        self.assertFalse(DataKey.objects.exclude(kek_version=keys.keyring().current_kek).exists())

    def test_backup_shred_restore_keeps_shredded_patron_gone(self):
        backup = make_backup()
        self.assertNotIn(b"Alice", backup.read_bytes())
        self.assertNotIn(b"SQLite format", backup.read_bytes())  # the file itself is encrypted
        do_shred_patron(ACTOR, self.alice, reason="patron asked")
        restore_backup(backup)
        datakeys.cache.clear()
        self.assertFalse(Patron.objects.filter(pk=self.alice.pk).exists())
        self.assertFalse(DataKey.objects.filter(subject_id=self.alice.pk).exists())
        with self.assertRaises(api.SubjectShredded):
            view_patron(ACTOR, self.alice, purpose="test")
        bruno = Patron.objects.get(pk=self.bruno.pk)
        self.assertEqual(view_patron(ACTOR, bruno, purpose="test")["given_name"], "Bruno")

    def test_restored_rows_without_replay_are_still_unreadable(self):
        """Even a raw restore (no replay) cannot open a shredded patron: the vault refuses."""
        do_shred_patron(ACTOR, self.alice, reason="test")
        datakeys.cache.clear()
        with self.assertRaises(api.SubjectShredded):
            datakeys.get(self.alice.id)

    def test_damaged_backup_is_refused(self):
        backup = make_backup()
        data = bytearray(backup.read_bytes())
        data[len(data) // 2] ^= 0xFF
        backup.write_bytes(bytes(data))
        with self.assertRaises(BackupError):
            restore_backup(backup)
        backup.write_bytes(bytes(data[: len(data) // 3]))
        with self.assertRaises(BackupError):
            restore_backup(backup)

    def test_rotate_rewraps_and_retire_destroys_old_version(self):
        old = keys.keyring().current_kek
        backup = make_backup()
        call_command("keys", "rotate", stdout=open(os.devnull, "w"))
        new = keys.keyring().current_kek
        self.assertEqual(new, old + 1)
        self.assertFalse(DataKey.objects.exclude(kek_version=new).exists())
        datakeys.cache.clear()
        self.assertEqual(view_patron(ACTOR, self.alice, purpose="test")["given_name"], "Alice")
        from quietdesk.audit.verify import verify

        self.assertTrue(verify().ok)  # the log still verifies after a rotation
        rotation.retire(old)
        # The old backup's data keys were wrapped by the retired version: unreadable now.
        restore_backup(backup)
        self.assertTrue(verify().ok)  # and after restoring a backup from before it
        datakeys.cache.clear()
        with self.assertRaisesRegex(keys.KeyringError, "retired"):
            view_patron(ACTOR, Patron.objects.get(pk=self.alice.pk), purpose="test")

    def test_rotation_resumes_after_interruption(self):
        rotation.start_rotation()
        rotation.BATCH, saved = 1, rotation.BATCH
        try:
            calls = []

            def stop_after_first(n):
                calls.append(n)
                raise KeyboardInterrupt

            with self.assertRaises(KeyboardInterrupt):
                rotation.rewrap_pending(progress=stop_after_first)
            remaining = DataKey.objects.exclude(kek_version=keys.keyring().current_kek).count()
            self.assertGreater(remaining, 0)
            self.assertEqual(rotation.rewrap_pending(), remaining)
            self.assertEqual(rotation.rewrap_pending(), 0)
        finally:
            rotation.BATCH = saved
        datakeys.cache.clear()
        self.assertEqual(view_patron(ACTOR, self.bruno, purpose="t")["given_name"], "Bruno")


class StaffSecretTests(TransactionTestCase):
    def test_staff_secret_path_cannot_open_patron_data(self):
        from quietdesk.vault import staff_secrets

        patron = do_register_patron(ACTOR, patron_data(9))
        with self.assertRaises(api.DecryptionError):
            staff_secrets.open_seed(patron.id, patron.card_number_ct)


def test_pdf_library_cannot_log_patron_characters():
    import logging

    assert logging.getLogger("fpdf").getEffectiveLevel() >= logging.ERROR
    assert logging.getLogger("fpdf.output").getEffectiveLevel() >= logging.ERROR


class RestoreLogTests(TransactionTestCase):
    """A restore writes itself and the shreds it replays to the access log, and refuses to
    roll the log back behind a signed checkpoint unless forced (issue: "Restore")."""

    def setUp(self):
        self.alice = do_register_patron(ACTOR, patron_data(1, given_name="Alice"))

    def test_a_restore_logs_itself_and_the_shreds_it_replays(self):
        from quietdesk.audit.events import Event
        from quietdesk.audit.models import AccessEntry
        from quietdesk.audit.verify import verify

        backup = make_backup()
        do_shred_patron(ACTOR, self.alice, reason="patron asked")
        restored = restore_backup(backup)
        self.assertEqual(restored.removed["replayed"], 1)
        replay = AccessEntry.objects.get(action=Event.SHRED_REPLAY)
        self.assertIn("replayed after a restore", replay.basis)
        self.assertEqual(replay.subject, "")
        restore = AccessEntry.objects.get(action=Event.RESTORE)
        self.assertIn(backup.name, restore.basis)
        self.assertTrue(verify().ok)

    def test_rolling_back_behind_a_checkpoint_is_refused_unless_forced(self):
        from io import StringIO

        from django.core.management import CommandError

        from quietdesk.audit.events import Event
        from quietdesk.audit.models import AccessEntry
        from quietdesk.audit.verify import verify

        backup = make_backup()
        do_register_patron(ACTOR, patron_data(2, given_name="Bruno"))
        call_command("audit", "checkpoint", stdout=StringIO(), stderr=StringIO())
        last = AccessEntry.objects.order_by("-seq").first().seq
        with self.assertRaisesRegex(CommandError, f"REFUSED.*#{last}"):
            call_command("restore", str(backup), "--yes", stdout=StringIO())
        self.assertTrue(Patron.objects.filter(pk=self.alice.pk).exists())
        self.assertEqual(Patron.objects.count(), 2)  # nothing was restored
        err = StringIO()
        call_command("restore", str(backup), "--yes", "--force", stdout=StringIO(), stderr=err)
        self.assertIn("WARNING", err.getvalue())
        self.assertEqual(Patron.objects.count(), 1)
        self.assertIn(f"FORCED behind signed checkpoint #{last}",
                      AccessEntry.objects.get(action=Event.RESTORE).basis)
        self.assertTrue(verify().ok)

    def test_a_backup_that_keeps_every_checkpointed_entry_restores(self):
        from io import StringIO

        call_command("audit", "checkpoint", stdout=StringIO(), stderr=StringIO())
        backup = make_backup()
        restored = restore_backup(backup)
        self.assertIsNone(restored.rolled_back_past)
