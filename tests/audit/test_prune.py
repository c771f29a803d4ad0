"""The access log's own retention: blank what is past its period, keep what a case or a
legal hold needs, drop the blanked prefix behind a signed checkpoint, and let
verification prove all of it (issue: "The log has a retention period of its own")."""

import datetime
import io

from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase

from quietdesk.audit import prune
from quietdesk.audit.events import Event, Keep
from quietdesk.audit.models import AccessEntry, LogAnchor
from quietdesk.audit.service import Actor, append, count_routine
from quietdesk.audit.verify import verify
from quietdesk.vault import checkpoints
from tests.audit.helpers import ACTOR, at

TODAY = datetime.datetime.now(datetime.UTC).date()
DAYS = {Keep.ROUTINE: 30, Keep.VIEW: 180, Keep.DISCLOSURE: 730, Keep.CASE: 730, Keep.ADMIN: 1095}


def ago(days):
    return TODAY - datetime.timedelta(days=days)


def add(event, day, **kwargs):
    with at(day), transaction.atomic():
        return append(ACTOR, event, **kwargs)


def verify_command() -> str:
    out = io.StringIO()
    call_command("audit", "verify", "--no-saved", stdout=out)
    return out.getvalue()


class PruneTests(TestCase):
    def setUp(self):
        prune._KEEP_HOOKS_SAVED = list(prune._KEEP_HOOKS)

    def tearDown(self):
        prune._KEEP_HOOKS[:] = prune._KEEP_HOOKS_SAVED

    def test_expired_views_are_blanked_and_the_chain_still_verifies(self):
        old = add(Event.VIEW, ago(200), basis="old view")
        recent = add(Event.VIEW, ago(10), basis="recent view")
        disclosure = add(Event.EXPORT, ago(200), basis="old export")
        summary = prune.prune(DAYS)
        self.assertEqual(summary.blanked, 1)
        entry = AccessEntry.objects.get(seq=old.seq)
        self.assertTrue(entry.pruned)
        self.assertEqual((entry.actor, entry.basis, entry.subject, entry.at), ("", "", "", ago(200).isoformat()))
        self.assertFalse(AccessEntry.objects.get(seq=recent.seq).pruned)
        self.assertFalse(AccessEntry.objects.get(seq=disclosure.seq).pruned)  # kept 730 days
        result = verify()
        self.assertTrue(result.ok, result.problem)
        self.assertIn("1 entry blanked", " ".join(result.pruned))
        # Pruning is itself logged.
        run = AccessEntry.objects.get(action=Event.LOG_PRUNE)
        self.assertIn("blanked 1", run.basis)

    def test_a_second_run_changes_nothing(self):
        add(Event.VIEW, ago(400))
        prune.prune(DAYS)
        before = list(AccessEntry.objects.values_list("seq", "entry_hash", "body_digest"))
        self.assertEqual(prune.prune(DAYS).blanked, 0)
        self.assertEqual(list(AccessEntry.objects.values_list("seq", "entry_hash", "body_digest")), before)

    def test_open_cases_and_held_patrons_keep_their_entries(self):
        kept = add(Event.CASE_VIEW, ago(900), case_ref="C-OPEN")
        gone = add(Event.CASE_VIEW, ago(900), case_ref="C-DONE")
        held_ref = "r1:held"
        held = add(Event.VIEW, ago(400), basis="held")
        AccessEntry.objects.filter(seq=held.seq).update(subject=held_ref)  # (see the adversary test for real refs)
        prune.register_keep(lambda rules: rules.case_refs.add("C-OPEN"))
        prune.register_keep(lambda rules: rules.subject_held.append(lambda ref: ref == held_ref))
        summary = prune.prune(DAYS)
        self.assertEqual(summary.kept, 2)
        self.assertFalse(AccessEntry.objects.get(seq=kept.seq).pruned)
        self.assertTrue(AccessEntry.objects.get(seq=gone.seq).pruned)
        self.assertFalse(AccessEntry.objects.get(seq=held.seq).pruned)

    def test_the_blanked_prefix_is_dropped_behind_a_signed_anchor(self):
        for _ in range(3):
            add(Event.VIEW, ago(400))
        add(Event.STAFF_ACCOUNT, ago(1))
        summary = prune.prune(DAYS, sign=checkpoints.sign)
        self.assertEqual(summary.removed, 3)
        self.assertEqual(AccessEntry.objects.order_by("seq").first().seq, 4)
        anchor = LogAnchor.objects.get()
        self.assertEqual(anchor.first_kept, 4)
        self.assertIsNone(checkpoints.anchor_problem(anchor))
        text = verify_command()
        self.assertIn("entries #4 to #", text)
        self.assertIn("dropped on", text)
        # The first kept entry cannot be altered or removed unnoticed.
        AccessEntry.objects.filter(seq=4).update(actor="someone else")
        with self.assertRaisesRegex(CommandError, "#4"):
            verify_command()

    def test_a_forged_anchor_is_refused(self):
        add(Event.VIEW, ago(400))
        add(Event.STAFF_ACCOUNT, ago(1))
        prune.prune(DAYS, sign=checkpoints.sign)
        LogAnchor.objects.update(head_hash="0" * 64)
        with self.assertRaisesRegex(CommandError, "anchor"):
            verify_command()

    def test_blanking_before_the_period_is_caught(self):
        young = add(Event.VIEW, ago(10))
        add(Event.VIEW, ago(400))
        prune.prune(DAYS)
        # A forger blanks a young entry and claims it for the recorded run.
        run = AccessEntry.objects.get(action=Event.LOG_PRUNE)
        e = AccessEntry.objects.get(seq=young.seq)
        from quietdesk.audit import chain

        digest = chain.body_digest(chain.body(e.at, e.actor, e.role, e.subject, e.case_ref, e.categories,
                                              e.basis, e.restricted))
        AccessEntry.objects.filter(seq=young.seq).update(body_digest=digest, basis="", pruned_by=run.seq)
        result = verify()
        self.assertFalse(result.ok)
        self.assertIn("not by prune run", result.problem.reason)

    def test_routine_counts_become_daily_summaries_that_expire_quickly(self):
        with transaction.atomic():
            for _ in range(3):
                count_routine(Actor("desk-1", "circulation"), Event.CHECKOUT)
            count_routine(Actor("desk-1", "circulation"), Event.RETURN)
        from quietdesk.audit.models import RoutineTally

        RoutineTally.objects.update(day=ago(2))
        summary = prune.prune(DAYS)
        self.assertEqual(summary.routine_summaries, 1)
        entry = AccessEntry.objects.get(action=Event.ROUTINE_SUMMARY)
        self.assertEqual(entry.subject, "")
        self.assertIn("checkout=3", entry.basis)
        self.assertIn("return=1", entry.basis)
        self.assertFalse(RoutineTally.objects.exists())

    def test_the_purge_command_prunes_the_log_by_the_schedule(self):
        add(Event.VIEW, ago(400))
        out = io.StringIO()
        call_command("purge", "--no-progress", stdout=out)
        self.assertIn("Access log: 1 entries past their period blanked", out.getvalue())
        self.assertTrue(verify().ok)

    def test_periods_come_from_the_schedule(self):
        from quietdesk.retention import schedule

        s = schedule.load()
        self.assertEqual(s.access_log_days, {"routine": 30, "view": 180, "disclosure": 730, "case": 730,
                                             "admin": 1095})
