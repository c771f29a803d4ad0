import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import TestCase

from quietdesk.audit import chain, checkpoint
from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor, append, record, verify

ACTOR = Actor("desk", "circulation")
TABLE = AccessEntry._meta.db_table


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


class ChainTests(TestCase):
    def setUp(self):
        for i in range(10):
            record(ACTOR, action="view", subject=f"P-TEST-{i:04d}", categories=["registration"], basis="desk view")
        self.assertTrue(verify().ok)

    def assert_broken_at(self, seq, fragment=""):
        with self.assertRaisesRegex(CommandError, rf"#{seq}\b.*{fragment}"):
            call_command("audit", "verify", "--no-saved", stdout=open("/dev/null", "w"))

    def test_intact_log_verifies(self):
        call_command("audit", "verify", "--no-saved", stdout=open("/dev/null", "w"))
        self.assertEqual(verify().entries, 10)

    def test_altered_entry_is_named(self):
        sql(f"UPDATE {TABLE} SET subject = 'P-OTHER-0000' WHERE seq = 4")  # noqa: S608
        self.assert_broken_at(4, "altered")

    def test_altered_hash_is_named(self):
        sql(f"UPDATE {TABLE} SET entry_hash = %s WHERE seq = 6", ["0" * 64])  # noqa: S608
        self.assert_broken_at(6)

    def test_deleted_entry_is_named(self):
        sql(f"DELETE FROM {TABLE} WHERE seq = 5")  # noqa: S608
        self.assert_broken_at(6, "#5 to #5 are missing")

    def test_inserted_entry_is_named(self):
        e = AccessEntry.objects.get(seq=3)
        # A forged entry slipped in as #4, renumbering the rest would still break the links.
        sql(f"UPDATE {TABLE} SET seq = seq + 100 WHERE seq >= 4")  # noqa: S608
        AccessEntry.objects.create(seq=4, at=e.at, actor="forger", role="circulation", subject="P-FAKE-0000",
                                   categories="registration", action="view", basis="x", entry_hash="ab" * 32)
        sql(f"UPDATE {TABLE} SET seq = seq - 99 WHERE seq >= 104")  # noqa: S608
        self.assert_broken_at(4)

    def test_reordered_entries_are_named(self):
        a, b = AccessEntry.objects.get(seq=3), AccessEntry.objects.get(seq=7)
        fields = [f for f in chain.COLUMNS if f != "seq"] + ["entry_hash"]
        for f in fields:
            va, vb = getattr(a, f), getattr(b, f)
            setattr(a, f, vb)
            setattr(b, f, va)
        a.save()
        b.save()
        self.assert_broken_at(3)

    def test_append_writes_linked_entries(self):
        with transaction.atomic():
            entry = append(ACTOR, action="view", subject="P-X", categories=["registration", "circulation"], basis="b")
        self.assertEqual(entry.seq, 11)
        self.assertEqual(entry.categories, "circulation,registration")
        self.assertEqual(verify().head, entry.entry_hash)

    def test_separator_in_a_field_is_refused(self):
        with self.assertRaises(ValueError):
            record(ACTOR, action="view", subject="P-X", basis="a\x1fb")


class CheckpointTests(TestCase):
    def setUp(self):
        for i in range(5):
            record(ACTOR, action="view", subject=f"P-CP-{i:04d}", categories=["registration"], basis="b")
        self.dir = Path(tempfile.mkdtemp())
        call_command("audit", "checkpoint", "--dir", str(self.dir), stdout=open("/dev/null", "w"),
                     stderr=open("/dev/null", "w"))
        self.note = next(self.dir.glob("checkpoint-*.txt"))

    def verify_with_checkpoint(self):
        call_command("audit", "verify", "--no-saved", str(self.note), stdout=open("/dev/null", "w"))

    def test_checkpoint_is_a_signed_note(self):
        text = self.note.read_text()
        lines = text.split("\n")
        self.assertEqual(lines[1], "5")
        self.assertEqual(lines[3], "")
        self.assertTrue(lines[4].startswith("\u2014 "))
        self.verify_with_checkpoint()

    def test_truncation_after_checkpoint_is_caught(self):
        sql(f"DELETE FROM {TABLE} WHERE seq >= 4")  # noqa: S608
        with self.assertRaisesRegex(CommandError, "vouches for 5 entries"):
            self.verify_with_checkpoint()

    def test_forged_checkpoint_is_refused(self):
        self.note.write_text(self.note.read_text().replace("\n5\n", "\n4\n"))
        with self.assertRaisesRegex(CommandError, "not valid"):
            self.verify_with_checkpoint()

    def test_rewritten_history_differs_from_checkpoint(self):
        # Rebuild a fully consistent chain with one entry changed: the chain verifies,
        # only the checkpoint (kept off the machine) can tell.
        entries = list(AccessEntry.objects.order_by("seq"))
        entries[1].subject = "P-REWRITTEN"
        prev = chain.GENESIS
        for e in entries:
            line = chain.canonical(e.seq, e.at, e.actor, e.role, e.subject, e.categories, e.action, e.basis)
            e.entry_hash = prev = chain.next_hash(prev, line)
            e.save()
        self.assertTrue(verify().ok)
        with self.assertRaisesRegex(CommandError, "differ from checkpoint"):
            self.verify_with_checkpoint()

    def test_verifier_key_matches_signature(self):
        from io import StringIO

        out = StringIO()
        call_command("audit", "verifier-key", stdout=out)
        name, keyid, b64 = out.getvalue().strip().split("+", 2)
        import base64

        pub = base64.b64decode(b64)[1:]
        cp = checkpoint.parse_and_verify(self.note.read_text(), name, pub)
        self.assertEqual(cp.size, 5)


def test_append_outside_a_transaction_is_refused(db):
    import pytest

    # pytest's ``db`` fixture wraps the test in atomic(); leave it to check the guard.
    connection.in_atomic_block, saved = False, connection.in_atomic_block
    try:
        with pytest.raises(RuntimeError, match="same transaction"):
            append(ACTOR, action="view")
    finally:
        connection.in_atomic_block = saved
