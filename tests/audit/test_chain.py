import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import TestCase

from quietdesk.audit import chain, checkpoint
from quietdesk.audit.events import Event
from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor, append, record
from quietdesk.audit.verify import verify

ACTOR = Actor("desk", "circulation")
TABLE = AccessEntry._meta.db_table


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def rehash_all(entries):
    """Rebuild a fully consistent chain over ``entries`` as they are now (a forger's move)."""
    prev = chain.GENESIS
    for e in entries:
        digest = chain.body_digest(chain.body(e.at, e.actor, e.role, e.subject, e.case_ref, e.categories,
                                              e.basis, e.restricted))
        e.entry_hash = prev = chain.next_hash(prev, e.seq, e.at[:10], e.action, digest)
        e.save()


class ChainTests(TestCase):
    def setUp(self):
        for i in range(10):
            record(ACTOR, Event.VIEW, case_ref=f"C-T{i}", categories=["registration"], basis="desk view")
        self.assertTrue(verify().ok)

    def assert_broken_at(self, seq, fragment=""):
        with self.assertRaisesRegex(CommandError, rf"#{seq}\b.*{fragment}"):
            call_command("audit", "verify", "--no-saved", stdout=open("/dev/null", "w"))

    def test_intact_log_verifies(self):
        call_command("audit", "verify", "--no-saved", stdout=open("/dev/null", "w"))
        self.assertEqual(verify().entries, 10)

    def test_altered_body_is_named(self):
        sql(f"UPDATE {TABLE} SET case_ref = 'C-OTHER' WHERE seq = 4")  # noqa: S608
        self.assert_broken_at(4, "altered")

    def test_altered_time_of_day_is_named(self):
        sql(f"UPDATE {TABLE} SET at = %s WHERE seq = 2", ["2020-01-01T00:00:00Z"])  # noqa: S608
        self.assert_broken_at(2, "altered")

    def test_altered_event_is_named(self):
        sql(f"UPDATE {TABLE} SET action = 'search' WHERE seq = 7")  # noqa: S608
        self.assert_broken_at(7, "altered")

    def test_unmarking_a_restricted_entry_is_named(self):
        record(ACTOR, Event.PRODUCE, restricted=True)
        sql(f"UPDATE {TABLE} SET restricted = '' WHERE seq = 11")  # noqa: S608
        self.assert_broken_at(11, "altered")

    def test_altered_hash_is_named(self):
        sql(f"UPDATE {TABLE} SET entry_hash = %s WHERE seq = 6", ["0" * 64])  # noqa: S608
        self.assert_broken_at(6)

    def test_deleted_entry_is_named(self):
        sql(f"DELETE FROM {TABLE} WHERE seq = 5")  # noqa: S608
        self.assert_broken_at(6, "#5 to #5 are missing")

    def test_deleted_first_entry_is_named(self):
        sql(f"DELETE FROM {TABLE} WHERE seq = 1")  # noqa: S608
        self.assert_broken_at(2, "#1 to #1 are missing")

    def test_inserted_entry_is_named(self):
        e = AccessEntry.objects.get(seq=3)
        # A forged entry slipped in as #4, renumbering the rest would still break the links.
        sql(f"UPDATE {TABLE} SET seq = seq + 100 WHERE seq >= 4")  # noqa: S608
        AccessEntry.objects.create(seq=4, at=e.at, actor="forger", role="circulation", subject="",
                                   case_ref="", categories="registration", action="view", basis="x",
                                   restricted="", entry_hash="ab" * 32)
        sql(f"UPDATE {TABLE} SET seq = seq - 99 WHERE seq >= 104")  # noqa: S608
        self.assert_broken_at(4)

    def test_reordered_entries_are_named(self):
        a, b = AccessEntry.objects.get(seq=3), AccessEntry.objects.get(seq=7)
        for f in [*chain.BODY_COLUMNS, "action", "entry_hash"]:
            va, vb = getattr(a, f), getattr(b, f)
            setattr(a, f, vb)
            setattr(b, f, va)
        a.save()
        b.save()
        self.assert_broken_at(3)

    def test_blanking_a_body_outside_a_prune_run_is_named(self):
        # A forger keeps the digest (so the chain links) but erases what the entry said.
        e = AccessEntry.objects.get(seq=5)
        digest = chain.body_digest(chain.body(e.at, e.actor, e.role, e.subject, e.case_ref, e.categories,
                                              e.basis, e.restricted))
        sql(f"UPDATE {TABLE} SET body_digest = %s, actor = '', basis = '' WHERE seq = 5", [digest])  # noqa: S608
        self.assert_broken_at(5, "blanked outside any prune run")

    def test_append_writes_linked_entries(self):
        with transaction.atomic():
            entry = append(ACTOR, Event.VIEW, categories=["registration", "circulation"], basis="b")
        self.assertEqual(entry.seq, 11)
        self.assertEqual(entry.categories, "circulation,registration")
        self.assertEqual(verify().head, entry.entry_hash)

    def test_times_are_to_the_second(self):
        self.assertRegex(AccessEntry.objects.get(seq=1).at, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

    def test_separator_in_a_field_is_refused(self):
        with self.assertRaises(ValueError):
            record(ACTOR, Event.VIEW, basis="a\x1fb")

    def test_free_text_actions_are_refused(self):
        with self.assertRaisesRegex(TypeError, "records events"):
            record(ACTOR, "view")

    def test_routine_steps_are_refused(self):
        with self.assertRaisesRegex(ValueError, "routine step"):
            record(ACTOR, Event.CHECKOUT)

    def test_a_label_is_refused_as_a_subject(self):
        with self.assertRaisesRegex(ValueError, "sealed reference"):
            record(ACTOR, Event.VIEW, subject="P-ABCD-EFGH")


class CheckpointTests(TestCase):
    def setUp(self):
        for _ in range(5):
            record(ACTOR, Event.VIEW, categories=["registration"], basis="b")
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
        self.assertEqual(self.note.stat().st_mode & 0o777, 0o600)
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
        entries[1].basis = "rewritten"
        rehash_all(entries)
        self.assertTrue(verify().ok)
        with self.assertRaisesRegex(CommandError, "differ from checkpoint"):
            self.verify_with_checkpoint()

    def test_verifier_key_matches_signature(self):
        import base64
        from io import StringIO

        out = StringIO()
        call_command("audit", "verifier-key", stdout=out)
        name, keyid, b64 = out.getvalue().strip().split("+", 2)
        pub = base64.b64decode(b64)[1:]
        cp = checkpoint.parse_and_verify(self.note.read_text(), name, pub)
        self.assertEqual(cp.size, 5)


def test_append_outside_a_transaction_is_refused(db):
    import pytest

    # pytest's ``db`` fixture wraps the test in atomic(); leave it to check the guard.
    connection.in_atomic_block, saved = False, connection.in_atomic_block
    try:
        with pytest.raises(RuntimeError, match="same transaction"):
            append(ACTOR, Event.VIEW)
    finally:
        connection.in_atomic_block = saved
