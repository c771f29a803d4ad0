"""The vault's refusals and corner cases: references in the access log that are not ours,
subjects whose key is gone, a keyring that is damaged or asked for a key it never had,
retiring the wrong key, bulk sealing, the key cache's bound, and `quietdesk keys`."""

import base64
import json
import threading
import uuid
from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase, TransactionTestCase

from quietdesk.audit.service import Actor
from quietdesk.patrons.services import do_register_patron
from quietdesk.vault import (
    api,
    checkpoints,
    crypto,
    datakeys,
    keys,
    rotation,
    staff_secrets,
    unseal,
)
from quietdesk.vault.models import DataKey
from tests.personas import patron_data

ACTOR = Actor.system("test")


class ReferenceTests(TestCase):
    def setUp(self):
        self.ana = do_register_patron(ACTOR, patron_data(1, given_name="Ana"))

    def test_only_well_formed_references_of_the_subject_match(self):
        with transaction.atomic():
            ref = api.log_ref(self.ana.id)
        matches = api.ref_matcher([self.ana.id])
        self.assertTrue(matches(ref))
        short = api.LOG_REF_PREFIX + base64.urlsafe_b64encode(b"too short").decode()
        for other in ("P-ABCD-EFGH", api.LOG_REF_PREFIX + "a", short):
            self.assertFalse(matches(other), other)

    def test_a_shredded_subject_matches_nothing(self):
        with transaction.atomic():
            ref = api.log_ref(self.ana.id)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(api.shred_many([self.ana.id]), 1)
        self.assertIsNone(datakeys.cache.get(self.ana.id))
        self.assertFalse(api.ref_matcher([self.ana.id])(ref))
        self.assertEqual(api.shred_many([]), 0)

    def test_a_subject_whose_key_row_is_gone_cannot_be_read(self):
        DataKey.objects.filter(subject_id=self.ana.id).delete()  # e.g. rows restored without their key
        datakeys.cache.clear()
        with self.assertRaisesRegex(api.SubjectShredded, "key no longer exists"):
            datakeys.get(self.ana.id)

    def test_a_field_sealed_under_another_key_version_is_refused(self):
        blob = bytearray(self.ana.given_name_ct)
        blob[2:4] = (99).to_bytes(2, "big")  # the header's data-key version
        with self.assertRaisesRegex(crypto.DecryptionError, "another key version"):
            unseal.open_field(self.ana.id, "patrons.patron", "given_name", self.ana.id, bytes(blob))

    def test_data_keys_describe_themselves_without_the_key(self):
        key = DataKey.objects.get(subject_id=self.ana.id)
        self.assertEqual(str(key), "data key for patron subject (v1)")


class NamesAndIndexesTests(TestCase):
    def test_an_empty_name_has_no_words(self):
        self.assertEqual(api.name_words(""), [])
        self.assertEqual(api.name_words("José Núñez-García"), ["jose", "nunez", "garcia"])

    def test_card_numbers_in_other_scripts_are_compared_by_their_letters_and_digits(self):
        self.assertEqual(crypto.normalize_exact("ｃａｒｄ－２１"), "CARD21")

    def test_an_empty_value_or_one_of_separators_has_no_index(self):
        index = api.blind_indexer("patrons_patron", "card_bidx", "exact")
        self.assertIsNone(index(""))
        self.assertIsNone(index(" - "))
        with self.assertRaisesRegex(ValueError, "needs a value with letters or digits"):
            api.required_blind_index("patrons_patron", "card_bidx", " - ")
        self.assertEqual(api.required_blind_index("patrons_patron", "card_bidx", "21-00"), index("2100"))

    def test_the_sealing_key_does_not_show_itself(self):
        self.assertEqual(repr(api.new_subject("patron").__dict__["_key"]), "<sealing key>")

    def test_an_empty_second_factor_seed_is_refused(self):
        with self.assertRaisesRegex(ValueError, "cannot be empty"):
            staff_secrets.seal_seed(uuid.uuid4(), "", new=True)

    def test_the_key_cache_keeps_the_most_recently_used_keys(self):
        cache = datakeys._Cache()
        with mock.patch.object(datakeys, "CACHE_SIZE", 2):
            for n in range(3):
                cache.put(n, (1, None))
        self.assertEqual((cache.get(0), cache.get(2)), (None, (1, None)))
        self.assertEqual(datakeys.insert_many([]), 0)


class BulkSealingTests(TransactionTestCase):
    def test_bulk_sealed_fields_open_like_any_other_and_keys_are_stored_only_in_a_transaction(self):
        subject_id = uuid.uuid4()
        subject = api.prepare_subjects("patron", [subject_id])[0]
        sealer = api.BulkSealer("records.note", batch=1)
        blobs = [sealer.seal(subject, "text", subject_id, value) for value in ("first", "second")]
        self.assertIsNone(sealer.seal(subject, "text", subject_id, ""))
        with self.assertRaisesRegex(RuntimeError, "in the transaction that creates their rows"):
            api.store_keys([subject.key_row])
        with transaction.atomic():
            self.assertEqual(api.store_keys([subject.key_row]), 1)
        opened = [unseal.open_field(subject_id, "records.note", "text", subject_id, b) for b in blobs]
        self.assertEqual(opened, ["first", "second"])


class KeyringTests(TestCase):
    def test_a_key_version_never_held_is_not_confused_with_a_retired_one(self):
        with self.assertRaisesRegex(keys.KeyringError, "not in the keyring"):
            keys.keyring().kek(999)

    def test_a_damaged_or_foreign_keyring_is_refused(self):
        doc = json.loads(keys.keyring().to_json())
        with self.assertRaisesRegex(keys.KeyringError, "Unknown keyring format"):
            keys.Keyring.from_json(json.dumps(doc | {"format": "other"}).encode())
        del doc["index_key"]
        with self.assertRaisesRegex(keys.KeyringError, "is damaged"):
            keys.Keyring.from_json(json.dumps(doc).encode())

    def test_a_failed_write_leaves_no_temporary_file(self):
        target = keys.keyring_path().parent / "elsewhere.json"
        with mock.patch.object(keys.os, "replace", side_effect=OSError("no space")), self.assertRaises(OSError):
            keys.write_private_file(target, b"{}")
        self.assertEqual(list(target.parent.glob(".elsewhere.json.*")), [])
        self.assertFalse(target.exists())

    def test_a_keyring_loaded_by_another_thread_meanwhile_is_used(self):
        ring = keys.keyring()
        keys.forget_cached_keyring()

        class LoadedMeanwhile:
            def __enter__(self):
                keys._cached = ring

            def __exit__(self, *exc):
                return False

        try:
            with mock.patch.object(keys, "_lock", LoadedMeanwhile()):
                self.assertIs(keys.keyring(), ring)
        finally:
            keys._lock = threading.Lock()
            keys.forget_cached_keyring()

    def test_blank_and_comment_lines_of_the_shred_list_are_skipped(self):
        path = keys.shred_list_path()
        before = path.read_text() if path.exists() else None
        gone = uuid.uuid4()
        try:
            keys.append_many_to_shred_list([], "2026-01-01")
            with path.open("a") as fh:
                fh.write("\n# written by hand\n")
            keys.append_many_to_shred_list([gone], "2026-01-01")
            self.assertEqual(keys.read_shred_list_dated()[-1], (gone, "2026-01-01"))
            self.assertNotIn(None, [s for s, _ in keys.read_shred_list_dated()])
        finally:
            if before is None:
                path.unlink()
            else:
                path.write_text(before)


class RetireAndStatusTests(TestCase):
    def test_only_an_old_empty_key_version_can_be_retired(self):
        current = keys.keyring().current_kek
        with self.assertRaisesRegex(ValueError, "current key cannot be retired"):
            rotation.retire(current)
        with self.assertRaisesRegex(ValueError, "not in the keyring"):
            rotation.retire(current + 50)
        do_register_patron(ACTOR, patron_data(3))
        ring = keys.keyring()
        ring.keks[current + 1] = ring.keks[current]  # a newer version, as if rotation had begun
        ring.current_kek = current + 1
        try:
            with self.assertRaisesRegex(ValueError, "still wrapped by version"):
                rotation.retire(current)
        finally:
            ring.current_kek = current
            del ring.keks[current + 1]

    def test_the_keys_command_reports_and_refuses_in_words(self):
        out = StringIO()
        do_register_patron(ACTOR, patron_data(4))
        call_command("keys", "status", stdout=out)
        status = json.loads(out.getvalue())
        self.assertEqual(status["current_kek"], keys.keyring().current_kek)
        self.assertGreaterEqual(sum(status["data_keys_by_kek_version"].values()), 1)
        with self.assertRaisesRegex(CommandError, "current key cannot be retired"):
            call_command("keys", "retire", str(keys.keyring().current_kek))
        out = StringIO()
        call_command("keys", "replay-shreds", stdout=out)
        self.assertEqual(json.loads(out.getvalue())["replayed"], 0)
        out = StringIO()
        call_command("keys", "rotate", "--resume", stdout=out, stderr=StringIO())
        self.assertIn("Re-wrapped 0 data keys", out.getvalue())


class SavedCheckpointTests(TestCase):
    def test_an_unreadable_checkpoint_file_is_listed_with_why(self):
        path = checkpoints.write("not a note", 5)
        found = [(p, cp, why) for p, cp, why in checkpoints.saved() if p == path]
        self.assertEqual(len(found), 1)
        self.assertIsNone(found[0][1])
        self.assertIn("not a signed note", found[0][2])

    def test_an_empty_log_gets_no_checkpoint(self):
        self.assertIsNone(checkpoints.checkpoint_now())

    def test_an_anchor_with_a_bad_note_is_not_trusted(self):
        anchor = mock.Mock(note="forged", first_kept=3, head_hash="0" * 64)
        self.assertIn("not valid", checkpoints.anchor_problem(anchor))



class RotateAndRetireCommandTests(TransactionTestCase):
    """TransactionTestCase: rotation rewrites the keyring and every data key (as in test_vault)."""

    def test_rotating_then_retiring_the_old_version_by_command(self):
        do_register_patron(ACTOR, patron_data(5))
        old = keys.keyring().current_kek
        out = StringIO()
        call_command("keys", "rotate", stdout=out, stderr=StringIO())
        self.assertIn(f"New key-encryption key version {old + 1} is now current", out.getvalue())
        out = StringIO()
        call_command("keys", "retire", str(old), stdout=out)
        self.assertEqual(out.getvalue().strip(), f"Key version {old} destroyed.")
        self.assertIn(old, keys.keyring().retired)
