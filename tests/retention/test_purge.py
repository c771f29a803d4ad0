"""quietdesk purge: each category's rule, what is never purged, legal holds, the record of each run."""

import datetime
import io
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.circulation.models import Hold, InterlibraryLoan, Loan, ReadingHistoryEntry
from quietdesk.records.models import (
    ComputerSession,
    ComputerUseDay,
    Program,
    ProgramRegistration,
    ReferenceNote,
)
from quietdesk.retention import legal_holds, purge, schedule
from quietdesk.retention.inventory import inventory
from quietdesk.retention.models import PurgeRun
from quietdesk.vault import api as vault
from quietdesk.vault.models import DataKey
from tests.audit.helpers import about
from tests.personas import PersonaTestCase
from tests.retention import dataset
from tests.retention.dataset import AS_OF, days

DIRECTOR = Actor("director", "director")


class Rollback(Exception):
    pass


class FootageDir:
    """Each test gets its own footage directory."""

    def setUp(self):
        super().setUp()
        self.footage = Path(tempfile.mkdtemp()) / "footage"
        self.footage.mkdir()
        self._footage_dir = override_settings(QUIETDESK_FOOTAGE_DIR=str(self.footage))
        self._footage_dir.enable()
        schedule.reset()

    def tearDown(self):
        self._footage_dir.disable()
        schedule.reset()
        super().tearDown()


def run(**kwargs) -> PurgeRun:
    return purge.Purger(as_of=AS_OF, **kwargs).run()


class EveryRule(FootageDir, PersonaTestCase):
    def setUp(self):
        super().setUp()
        self.ids = dataset.build(returned=120)

    def test_each_category_follows_its_rule(self):
        ids = self.ids
        result = run()
        self.assertEqual(result.status, "done")
        loans = {loan.pk: loan for loan in Loan.objects.all()}
        # Never purged: items still out (even long overdue, even with the borrower deleted), fines owed.
        self.assertEqual(loans[ids["out_old"]].patron_id, ids["p1"])
        self.assertIn(ids["orphan_out"], loans)
        self.assertEqual((loans[ids["fine_owed"]].patron_id, loans[ids["fine_owed"]].fine_cents), (ids["p1"], 500))
        # Returned: link cut, then the anonymous row goes; today's return waits for its day to end.
        self.assertNotIn(ids["linked_returned"], loans)
        self.assertIn(ids["anon_today"], loans)
        self.assertEqual(len(loans), 4)
        self.assertEqual(result.counts["circulation.linked_returns"], 1)
        self.assertEqual(result.counts["circulation.returned_loans"], 121)
        # Reading history: what the patron erased goes, the rest stays (0 = until erased).
        self.assertEqual(list(ReadingHistoryEntry.objects.values_list("pk", flat=True)), [ids["history_kept"]])
        # Holds.
        holds = {h.pk: h for h in Hold.objects.all()}
        self.assertEqual((holds[ids["hold_waiting_old"]].status, holds[ids["hold_waiting_old"]].patron_id),
                         ("cancelled", None))
        self.assertEqual(holds[ids["hold_waiting_new"]].status, "waiting")
        self.assertEqual(holds[ids["hold_ready"]].status, "ready")
        self.assertNotIn(ids["hold_closed_anon"], holds)
        self.assertNotIn(ids["hold_closed_linked"], holds)
        # Interlibrary loans.
        self.assertEqual(set(InterlibraryLoan.objects.values_list("pk", flat=True)), {ids["ill_open"]})
        # Programs: registrations and the roster key gone the set number of days after; counts stay.
        old = Program.objects.get(pk=ids["program_old"])
        self.assertIsNone(old.roster_subject)
        self.assertIsNone(old.code_word_ct)
        self.assertEqual(old.registrations_destroyed_on, dataset.TODAY)
        self.assertFalse(ProgramRegistration.objects.filter(program=old).exists())
        self.assertEqual(ProgramRegistration.objects.filter(program_id=ids["program_yesterday"]).count(), 3)
        self.assertEqual(result.counts["programs.rosters"], 1)
        # Computer sessions: the one nobody ended is counted, then deleted.
        self.assertEqual(list(ComputerSession.objects.values_list("pk", flat=True)), [ids["session_now"]])
        self.assertEqual(ComputerUseDay.objects.get().sessions, 1)
        # Notes: the expired one is destroyed, key and all.
        self.assertEqual(list(ReferenceNote.objects.values_list("pk", flat=True)), [ids["note_live"]])
        self.assertFalse(DataKey.objects.filter(subject_id=ids["note_expired"]).exists())
        self.assertTrue(vault.is_shredded(ids["note_expired"]))
        # Footage: older than the camera's 14 days goes; newer stays; links are never followed.
        left = sorted(p.name for p in (self.footage / "door").iterdir())
        self.assertEqual(left, ["clip-001d.mp4", "clip-005d.mp4", "clip-013d.mp4", "link-out"])
        self.assertTrue((self.footage.parent / "not-footage.txt").exists())
        self.assertEqual(result.counts["camera.footage"], 3)
        # Registration expiry: unused for 36 months and told 30 days before (or no address to tell): gone,
        # key and all; not told yet: told now (once), kept; unused but with items out (p1): kept, not told.
        from django.core import mail

        from quietdesk.patrons.models import Patron

        for key in ("expire_no_email", "expire_told"):
            self.assertFalse(Patron.objects.filter(pk=ids[key]).exists(), key)
            self.assertFalse(DataKey.objects.filter(subject_id=ids[key]).exists(), key)
            self.assertTrue(vault.is_shredded(ids[key]), key)
        self.assertEqual(Patron.objects.get(pk=ids["expire_untold"]).expiry_notice_on, dataset.TODAY)
        self.assertTrue(Patron.objects.filter(pk=ids["p1"], expiry_notice_on__isnull=True).exists())
        self.assertEqual([m.to for m in mail.outbox], [["d6@example.org"]])
        self.assertEqual((result.counts["registration.expired"], result.counts["registration.notices"]), (2, 1))
        # Past the rule: nothing, once the purge ran.
        self.assertEqual([line for line in inventory(AS_OF) if line.past], [])

    def test_run_is_recorded_and_logged_without_personal_data(self):
        result = run()
        row = PurgeRun.objects.get(pk=result.pk)
        self.assertEqual(row.status, "done")
        self.assertGreater(row.batches, 0)
        self.assertEqual(row.counts, result.counts)
        entry = AccessEntry.objects.filter(action="purge").get()
        self.assertEqual(entry.actor, "system:purge")
        self.assertIn(f"run #{row.pk}: {row.total} records", entry.basis)
        text = str(row.counts) + str(row.held) + row.note + entry.basis
        for secret in ("Given", "Ana", "milagro", "tax forms", "2500"):
            self.assertNotIn(secret, text)

    def test_second_run_finds_nothing(self):
        run()
        again = run()
        self.assertEqual(again.total, 0)

    def test_dry_run_changes_nothing(self):
        before = dataset.snapshot()
        out = io.StringIO()
        call_command("purge", "--dry-run", "--as-of", AS_OF.isoformat(), stdout=out)
        self.assertEqual(dataset.snapshot(), before)
        self.assertFalse(PurgeRun.objects.exists())
        self.assertIn("120  anonymous returned loans", out.getvalue())
        self.assertIn("Dry run", out.getvalue())

    def test_command_summary(self):
        out = io.StringIO()
        call_command("purge", "--as-of", AS_OF.isoformat(), "--no-progress", "--batch-size", "25", stdout=out)
        text = out.getvalue()
        self.assertIn("Purge run #", text)
        self.assertIn("camera footage files", text)
        self.assertIn("records removed or anonymized in all", text)
        self.assertGreater(PurgeRun.objects.get().batches, 5)

    def test_interrupted_between_batches_then_rerun_is_the_same_as_one_run(self):
        # One uninterrupted run, measured inside a transaction that is then rolled back.
        try:
            with transaction.atomic():
                run(batch_size=10)
                expected = dataset.snapshot()
                raise Rollback
        except Rollback:
            pass
        expected.pop("footage")  # files are not rolled back: checked in test_purge_resume
        for stop_after in (1, 4, 9):
            with self.subTest(stop_after=stop_after):
                try:
                    with transaction.atomic():
                        seen = []

                        def crash(key, run_row, seen=seen, stop_after=stop_after):
                            seen.append(key)
                            if len(seen) == stop_after:
                                raise KeyboardInterrupt  # inside the batch: that batch rolls back
                        with self.assertRaises(KeyboardInterrupt):
                            purge.Purger(as_of=AS_OF, batch_size=10, on_batch=crash).run()
                        self.assertEqual(PurgeRun.objects.order_by("-pk").first().status, "interrupted")
                        run(batch_size=10)
                        state = dataset.snapshot()
                        state.pop("footage")
                        self.assertEqual(state, expected)
                        raise Rollback
                except Rollback:
                    pass


class LegalHolds(FootageDir, PersonaTestCase):
    def setUp(self):
        super().setUp()
        self.ids = dataset.build(returned=10)

    def test_patron_hold_keeps_that_patrons_records_only(self):
        from quietdesk.patrons.models import Patron

        p2 = Patron.objects.get(pk=self.ids["p2"])
        hold = legal_holds.do_place_legal_hold(DIRECTOR, reference="CV-1", served_on=days(1), patron=p2,
                                         categories=["circulation", "holds", "ill"], date_from=days(60), date_to=days(0))
        result = run()
        self.assertEqual(Loan.objects.get(pk=self.ids["linked_returned"]).patron_id, p2.pk)  # kept, linked
        self.assertEqual(Hold.objects.get(pk=self.ids["hold_waiting_new"]).status, "waiting")
        self.assertTrue(InterlibraryLoan.objects.filter(pk=self.ids["ill_closed_linked"], patron=p2).exists())
        self.assertFalse(Hold.objects.filter(pk=self.ids["hold_closed_linked"]).exists())  # p1's: purged
        self.assertEqual(result.held["circulation.linked_returns"], 1)
        lines = {line.what: line for line in inventory(AS_OF)}
        self.assertEqual(lines["returned loans still naming a borrower"].past, 0)
        self.assertEqual(lines["returned loans still naming a borrower"].held, 1)
        # Released: the next purge catches up.
        legal_holds.do_release_legal_hold(DIRECTOR, hold, reason="case closed")
        run()
        self.assertFalse(Loan.objects.filter(pk=self.ids["linked_returned"]).exists())
        self.assertFalse(InterlibraryLoan.objects.filter(pk=self.ids["ill_closed_linked"]).exists())

    def test_everyone_hold_by_dates_covers_anonymous_rows_programs_notes_and_footage(self):
        legal_holds.do_place_legal_hold(DIRECTOR, reference="GJ-7", served_on=days(1), all_patrons=True,
                                  categories=["circulation", "programs", "camera", "reference", "computer_use"],
                                  date_from=days(25), date_to=days(4))
        run()
        kept_returns = Loan.objects.filter(patron__isnull=True, returned_on__lte=days(9)).count()
        self.assertGreater(kept_returns, 0)
        self.assertFalse(Loan.objects.filter(patron__isnull=True, returned_on__lt=days(25)).exists())
        self.assertEqual(ProgramRegistration.objects.filter(program_id=self.ids["program_old"]).count(), 3)
        self.assertTrue(ReferenceNote.objects.filter(pk=self.ids["note_expired"]).exists())
        left = sorted(p.name for p in (self.footage / "door").iterdir())
        self.assertIn("clip-015d.mp4", left)  # inside the held dates
        self.assertIn("clip-020d.mp4", left)
        self.assertNotIn("clip-040d.mp4", left)  # outside them: purged

    def test_release_cuts_the_link_and_both_are_logged(self):
        from quietdesk.patrons.models import Patron

        p1 = Patron.objects.get(pk=self.ids["p1"])
        hold = legal_holds.do_place_legal_hold(DIRECTOR, reference="CV-2", served_on=days(1), patron=p1,
                                         categories=["circulation"], date_from=days(5), date_to=days(0))
        legal_holds.do_release_legal_hold(DIRECTOR, hold, reason="withdrawn")
        hold.refresh_from_db()
        self.assertIsNone(hold.patron_id)
        self.assertEqual([e.action for e in about(p1.id) if e.action.startswith("legal_hold")],
                         ["legal_hold", "legal_hold_release"])


class ScheduleChanges(FootageDir, PersonaTestCase):
    def test_program_registrations_gone_after_n_days(self):
        path = Path(tempfile.mkdtemp()) / "schedule.toml"
        path.write_text("[programs]\nregistration_days_after_program = 3\n", encoding="utf-8")
        with override_settings(QUIETDESK_RETENTION_SCHEDULE=str(path)):
            schedule.reset()
            ids = dataset.build(returned=1, footage=False)
            for age, expect_gone in ((2, False), (4, True)):
                as_of = AS_OF + datetime.timedelta(days=age - 10 + 1)  # program_old ended 10 days before AS_OF
                purge.Purger(as_of=as_of).run()
                gone = not ProgramRegistration.objects.filter(program_id=ids["program_old"]).exists()
                self.assertEqual(gone, expect_gone, age)
        schedule.reset()

    def test_returned_loans_kept_for_the_configured_days(self):
        path = Path(tempfile.mkdtemp()) / "schedule.toml"
        path.write_text("[circulation]\nreturned_loan_days = 7\n", encoding="utf-8")
        with override_settings(QUIETDESK_RETENTION_SCHEDULE=str(path)):
            schedule.reset()
            dataset.build(returned=60, footage=False)
            run()
            self.assertFalse(Loan.objects.filter(patron__isnull=True, returned_on__lt=days(7)).exists())
            self.assertTrue(Loan.objects.filter(patron__isnull=True, returned_on=days(7)).exists())
        schedule.reset()
