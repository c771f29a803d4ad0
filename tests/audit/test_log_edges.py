"""The access log's less travelled paths: who an entry names, routine counts, how the log is
split for parallel checking, what `audit checkpoint` and `audit verify` refuse, and how
pruning and its verification handle runs that changed nothing or records that expired."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase

from quietdesk.audit import chain, prune, verify, views
from quietdesk.audit.events import Event, Keep
from quietdesk.audit.models import AccessEntry, LogAnchor, RoutineTally
from quietdesk.audit.service import Actor, append, count_routine, record
from quietdesk.vault import checkpoints
from tests.audit.helpers import ACTOR, at

TODAY = datetime.datetime.now(datetime.UTC).date()
DAYS = {Keep.ROUTINE: 30, Keep.VIEW: 180, Keep.DISCLOSURE: 730, Keep.CASE: 730, Keep.ADMIN: 1095}


def add(event, day, **kwargs):
    with at(day), transaction.atomic():
        return append(ACTOR, event, **kwargs)


def ago(days):
    return TODAY - datetime.timedelta(days=days)


def run(*args) -> str:
    out = io.StringIO()
    call_command("audit", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


class ActorsAndCountsTests(TestCase):
    def test_a_patron_acting_on_their_own_records_is_never_named(self):
        actor = Actor.patron()
        self.assertEqual((actor.name, actor.role), ("patron (self-service)", "patron"))

    def test_the_actor_of_a_request_is_its_signed_in_user(self):
        user = SimpleNamespace(get_username=lambda: "dana", role="circulation", branch_id=3)
        self.assertEqual(Actor.from_request(SimpleNamespace(user=user)), Actor("dana", "circulation", 3))

    def test_only_routine_steps_are_counted(self):
        with transaction.atomic(), self.assertRaisesRegex(ValueError, "not a routine step"):
            count_routine(ACTOR, Event.VIEW)
        self.assertFalse(RoutineTally.objects.exists())

    def test_many_routine_steps_at_once_add_up(self):
        with transaction.atomic():
            count_routine(ACTOR, Event.CHECKOUT)
            count_routine(ACTOR, Event.CHECKOUT, 4)
        tally = RoutineTally.objects.get()
        self.assertEqual(tally.count, 5)
        self.assertEqual(str(tally), f"{tally.day} desk checkout x5")

    def test_entries_and_anchors_describe_themselves_without_a_subject(self):
        entry = AccessEntry.objects.get(seq=record(ACTOR, Event.VIEW, basis="looked").seq)
        self.assertEqual(str(entry), f"#{entry.seq} view")
        anchor = LogAnchor(first_kept=9, head_hash="0" * 64, note="", removed=8,
                           made_at=datetime.datetime.now(datetime.UTC), rules="")
        self.assertEqual(str(anchor), "anchor before #9")

    def test_a_restriction_is_registered_once(self):
        saved = list(views._RESTRICTIONS)
        try:
            def rule():
                return views.Q(pk=None)
            views.restrict(rule)
            views.restrict(rule)
            self.assertEqual(views._RESTRICTIONS.count(rule), 1)
        finally:
            views._RESTRICTIONS[:] = saved


class SplittingTheLogTests(TestCase):
    def test_an_empty_log_has_nothing_to_split_and_verifies(self):
        self.assertEqual(verify._ranges(4, 0, chain.GENESIS), [])
        result = verify.verify(workers=4)
        self.assertTrue(result.ok)
        self.assertEqual(result.entries, 0)

    def test_a_long_log_is_split_into_ranges_that_start_where_the_last_ended(self):
        AccessEntry.objects.bulk_create(
            AccessEntry(seq=n, at="2026-11-21T10:00:00Z", actor="a", role="r", subject="", case_ref="",
                        categories="", action="view", basis="", restricted="", entry_hash=f"{n:064x}")
            for n in range(1, 2501))
        ranges = verify._ranges(2, 0, chain.GENESIS)
        self.assertEqual(ranges, [(0, chain.GENESIS, 1, 1250), (1250, None, 1251, 2500)])

    def test_a_range_checks_from_the_stored_hash_before_it(self):
        for i in range(5):
            record(ACTOR, Event.VIEW, basis=f"read {i}")
        self.assertEqual(verify._check_range((2, None, 3, 5)), (3, None))

    def test_a_checkpoint_at_the_anchor_is_answered_with_the_anchors_hash(self):
        for _ in range(3):
            add(Event.VIEW, ago(400))
        add(Event.STAFF_ACCOUNT, ago(1))
        prune.prune(DAYS, sign=checkpoints.sign)
        anchor = LogAnchor.objects.get()
        result = verify.verify(frozenset({anchor.first_kept - 1}))
        self.assertEqual(result.hashes_at[anchor.first_kept - 1], anchor.head_hash)


class CommandRefusalTests(TestCase):
    def test_an_empty_log_is_not_signed(self):
        with self.assertRaisesRegex(CommandError, "empty"):
            run("checkpoint")

    def test_a_broken_log_is_not_signed(self):
        for i in range(3):
            record(ACTOR, Event.VIEW, basis=f"read {i}")
        AccessEntry.objects.filter(seq=2).update(basis="altered")
        with self.assertRaisesRegex(CommandError, "Refusing to sign a broken log: entry #2"):
            run("checkpoint")

    def test_a_damaged_checkpoint_on_file_stops_verification(self):
        record(ACTOR, Event.VIEW, basis="read")
        path = checkpoints.write("not a checkpoint", 1)
        try:
            with self.assertRaisesRegex(CommandError, f"Checkpoint {path} is not valid"):
                run("verify")
        finally:
            path.unlink()

    def test_checkpoints_of_an_empty_log_and_of_pruned_entries_are_consistent(self):
        empty = checkpoints.write(checkpoints.sign(0, chain.GENESIS), 0)
        for _ in range(3):
            add(Event.VIEW, ago(400))
        early = checkpoints.write(checkpoints.sign(1, AccessEntry.objects.get(seq=1).entry_hash), 1)
        add(Event.STAFF_ACCOUNT, ago(1))
        prune.prune(DAYS, sign=checkpoints.sign)
        try:
            text = run("verify")
        finally:
            empty.unlink()
            early.unlink()
        self.assertIn("1 older than the entries kept", text)


class PruneEdgeTests(TestCase):
    def setUp(self):
        self.saved_hooks = list(prune._KEEP_HOOKS)

    def tearDown(self):
        prune._KEEP_HOOKS[:] = self.saved_hooks

    def test_a_keep_hook_is_registered_once(self):
        def hook(rules):
            return None
        prune.register_keep(hook)
        prune.register_keep(hook)
        self.assertEqual(prune._KEEP_HOOKS.count(hook), 1)

    def test_periods_that_are_not_numbers_are_ignored(self):
        self.assertEqual(prune._parse_periods("view=180,case=soon,admin"), {"view": 180})

    def test_a_dry_run_counts_what_it_would_blank_and_changes_nothing(self):
        add(Event.VIEW, ago(400))
        summary = prune.prune(DAYS, dry_run=True)
        self.assertEqual(summary.as_dict(), {"blanked": 1, "kept_by_holds_or_cases": 0, "removed": 0,
                                             "routine_summaries": 0, "first_kept": None})
        self.assertFalse(AccessEntry.objects.filter(body_digest__isnull=False).exists())

    def test_progress_is_reported_per_batch(self):
        for _ in range(3):
            add(Event.VIEW, ago(400))
        seen = []
        prune.prune(DAYS, batch=2, progress=seen.append)
        self.assertEqual(seen, [2, 1])

    def test_a_keep_with_no_events_is_skipped(self):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(prune, "by_keep", lambda keep: frozenset() if keep is Keep.CASE else frozenset({Event.VIEW}))
            clause, params = prune._due_clause(DAYS, TODAY)
        self.assertEqual(clause.count("action IN"), len(Keep) - 1)

    def test_nothing_is_dropped_when_nothing_is_blanked_or_everything_is(self):
        add(Event.STAFF_ACCOUNT, ago(1))
        prune.prune(DAYS, sign=checkpoints.sign)  # nothing blanked: nothing before the first kept entry
        self.assertFalse(LogAnchor.objects.exists())
        AccessEntry.objects.update(body_digest="0" * 64)  # every entry blanked: no first kept entry
        prune._drop_prefix(checkpoints.sign, DAYS, prune.Summary())
        self.assertFalse(LogAnchor.objects.exists())

    def test_a_gap_below_the_first_kept_entry_is_left_for_verification(self):
        for _ in range(3):
            add(Event.VIEW, ago(400))
        add(Event.STAFF_ACCOUNT, ago(1))
        AccessEntry.objects.filter(seq=1).update(body_digest="0" * 64)  # blanked, before the first kept (#3)
        AccessEntry.objects.filter(seq=2).delete()  # the entry whose hash the anchor would need
        prune._drop_prefix(checkpoints.sign, DAYS, prune.Summary())
        self.assertFalse(LogAnchor.objects.exists())

    def _blank(self, seq, by, action=None):
        e = AccessEntry.objects.get(seq=seq)
        digest = chain.body_digest(chain.body(e.at, e.actor, e.role, e.subject, e.case_ref, e.categories,
                                              e.basis, e.restricted))
        AccessEntry.objects.filter(seq=seq).update(body_digest=digest, basis="", pruned_by=by,
                                                   **({"action": action} if action else {}))

    def test_entries_of_a_prune_run_whose_record_expired_are_described(self):
        old = add(Event.VIEW, ago(400))
        self._blank(old.seq, by=99)  # no run #99 in the log any more
        problem, words = prune.check_blanked()
        self.assertIsNone(problem)
        self.assertEqual(words, ["1 entry blanked by prune run #99, whose own record has since expired"])

    def test_a_blanked_entry_with_an_unknown_event_is_a_problem(self):
        add(Event.VIEW, ago(400))
        prune.prune(DAYS)
        run_seq = AccessEntry.objects.get(action=Event.LOG_PRUNE).seq
        AccessEntry.objects.filter(pruned_by=run_seq).update(action="teleport")
        problem, _ = prune.check_blanked()
        self.assertIn("unknown event 'teleport'", problem.reason)

    def test_a_blanked_entry_younger_than_its_period_is_a_problem(self):
        add(Event.VIEW, ago(400))
        prune.prune(DAYS)
        AccessEntry.objects.filter(pruned_by__isnull=False).update(at=ago(10).isoformat())
        problem, _ = prune.check_blanked()
        self.assertIn("before its period had passed", problem.reason)
