"""The privacy audit never runs inside a web request: the page queues it, the worker builds
it (as the officer who asked, as their account is when it runs), and the page then serves
the stored HTML and PDF (0600, in the audit directory) to the privacy roles only. A failure
is shown, not hidden, and leaves no files; a double click queues one audit; a worker
restart fails the audit it was building."""

import datetime
import tempfile
from pathlib import Path
from unittest import mock

import pypdfium2
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from quietdesk.audit.events import Event
from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.outbound import claims, worker
from quietdesk.privacy.audit_report import audit_runs, files
from quietdesk.privacy.models import AuditRun
from tests.jobs import drain_jobs
from tests.personas import PersonaTestCase, make_staff


class AuditJobTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.officer = make_staff("privacy-officer", "privacy_officer", branch=None)

    def setUp(self):
        super().setUp()
        self.audit_dir = Path(tempfile.mkdtemp())
        settings = override_settings(QUIETDESK_AUDIT_DIR=self.audit_dir)
        settings.enable()
        self.addCleanup(settings.disable)

    def _queue(self) -> AuditRun:
        self.login(self.officer)
        r = self.client.post("/stats/audit/")
        run = AuditRun.objects.get()
        self.assertRedirects(r, f"/stats/audit/{run.pk}/", fetch_redirect_response=False)
        return run

    def test_the_page_queues_the_audit_and_the_worker_builds_it(self):
        run = self._queue()
        # Nothing was built in the request: no data, no files, no log entry of an audit.
        self.assertEqual((run.state, run.data), ("queued", {}))
        self.assertFalse(AccessEntry.objects.filter(action=Event.PRIVACY_AUDIT).exists())
        self.assertEqual(list(self.audit_dir.glob("**/*.pdf")), [])
        waiting = self.client.get(f"/stats/audit/{run.pk}/").content.decode()
        self.assertIn("Waiting for the worker", waiting)
        self.assertNotIn("6. Data flow map", waiting)
        self.assertEqual(self.client.get(f"/stats/audit/{run.pk}/privacy-audit.pdf").status_code, 404)

        self.assertEqual(drain_jobs(), 1)
        run.refresh_from_db()
        self.assertEqual(run.state, "done")
        self.assertIsNotNone(run.finished_at)
        entry = AccessEntry.objects.get(action=Event.PRIVACY_AUDIT)
        self.assertEqual(entry.actor, "privacy-officer")  # the job acted as the officer who asked

        page = self.client.get(f"/stats/audit/{run.pk}/").content.decode()
        self.assertIn("6. Data flow map", page)
        self.assertIn("Download the PDF", page)
        got = self.client.get(f"/stats/audit/{run.pk}/privacy-audit.pdf")
        self.assertEqual(got["Content-Type"], "application/pdf")
        self.assertIn(f'privacy-audit-{run.pk}.pdf', got["Content-Disposition"])
        body = b"".join(got.streaming_content)
        doc = pypdfium2.PdfDocument(body)
        self.assertGreaterEqual(len(doc), 3)
        html = b"".join(self.client.get(f"/stats/audit/{run.pk}/privacy-audit.html").streaming_content).decode()
        self.assertIn("Data flow map", html)
        for kind in ("pdf", "html"):
            path = files.stored(run.pk, kind)
            self.assertEqual(path.parent, self.audit_dir / "runs")
            self.assertEqual(path.stat().st_mode & 0o777, 0o600)
        self.assertEqual((self.audit_dir / "runs").stat().st_mode & 0o777, 0o700)

    def test_a_second_delivery_of_the_job_builds_nothing(self):
        run = self._queue()
        drain_jobs()
        self.assertEqual(audit_runs.run_queued(run.pk), "not queued")
        self.assertEqual(AccessEntry.objects.filter(action=Event.PRIVACY_AUDIT).count(), 1)

    def test_a_failed_audit_says_so_and_the_worker_carries_on(self):
        run = self._queue()
        with mock.patch("quietdesk.privacy.audit_report.build.build", side_effect=RuntimeError("boom")):
            drain_jobs()  # does not raise: the audit is marked failed
        run.refresh_from_db()
        self.assertEqual(run.state, "failed")
        self.assertEqual(run.failure, "RuntimeError while building the audit")
        page = self.client.get(f"/stats/audit/{run.pk}/").content.decode()
        self.assertIn("could not be built (RuntimeError while building the audit)", page)
        self.assertNotIn("boom", page)
        self.assertEqual(self.client.get(f"/stats/audit/{run.pk}/privacy-audit.pdf").status_code, 404)

    def test_an_audit_left_running_by_a_stopped_worker_says_so(self):
        run = self._queue()
        AuditRun.objects.filter(pk=run.pk).update(state="running")
        self.assertIn("The worker is building the audit", self.client.get(f"/stats/audit/{run.pk}/").content.decode())
        AuditRun.objects.filter(pk=run.pk).update(created_at=run.created_at - datetime.timedelta(hours=2))
        page = self.client.get(f"/stats/audit/{run.pk}/").content.decode()
        self.assertIn("the worker may have stopped", page)
        self.assertNotIn("The worker is building the audit", page)

    def test_an_officer_deactivated_or_demoted_before_the_worker_ran_gets_no_scan(self):
        # The job must not decrypt every free-text field as a privacy officer who no longer is one.
        for change in ({"role": "circulation"}, {"is_active": False}):
            with self.subTest(change=change):
                officer = make_staff(f"officer-{len(change)}-{next(iter(change))}", "privacy_officer", branch=None)
                run = audit_runs.do_request_audit(Actor.for_user(officer))
                for field, value in change.items():
                    setattr(officer, field, value)
                officer.save()
                with mock.patch("quietdesk.privacy.audit_report.build.build") as build:
                    self.assertEqual(audit_runs.run_queued(run.pk), "failed")
                build.assert_not_called()
                run.refresh_from_db()
                self.assertEqual((run.state, run.failure), ("failed", "the person who asked can no longer run audits"))

    def test_the_job_logs_under_the_requesters_current_role(self):
        run = audit_runs.do_request_audit(Actor.for_user(self.officer))
        self.officer.role = "director"  # still allowed to run audits, under another role
        self.officer.save()
        self.assertEqual(audit_runs.run_queued(run.pk), "done")
        entry = AccessEntry.objects.get(action=Event.PRIVACY_AUDIT)
        self.assertEqual((entry.actor, entry.role), ("privacy-officer", "director"))

    def test_a_double_click_queues_one_audit(self):
        self.login(self.officer)
        first = self.client.post("/stats/audit/")
        second = self.client.post("/stats/audit/")
        self.assertEqual(AuditRun.objects.filter(state="queued").count(), 1)
        self.assertEqual(first["Location"], second["Location"])
        AuditRun.objects.update(state="running")  # still one while the worker builds it
        self.assertEqual(self.client.post("/stats/audit/")["Location"], first["Location"])
        AuditRun.objects.update(state="done")  # once it is done, a new click is a new audit
        self.assertNotEqual(self.client.post("/stats/audit/")["Location"], first["Location"])

    def test_a_run_that_failed_after_its_files_were_written_leaves_no_files(self):
        # _complete stores the files before the transaction that marks the run done.
        run = audit_runs.do_request_audit(Actor.for_user(self.officer))
        with mock.patch.object(audit_runs, "append", side_effect=RuntimeError("log unavailable")):
            self.assertEqual(audit_runs.run_queued(run.pk), "failed")
        self.assertEqual(sorted(p.name for p in self.audit_dir.glob("**/*") if p.is_file()), [])

    def test_a_worker_restart_fails_the_audit_it_was_building(self):
        run = audit_runs.do_request_audit(Actor.for_user(self.officer))
        AuditRun.objects.filter(pk=run.pk).update(state="running")  # the worker died here
        summary = worker.recover_all()
        run.refresh_from_db()
        self.assertEqual((run.state, run.failure), ("failed", "the worker stopped while building it"))
        self.assertEqual(summary["privacy audits failed (worker stopped)"], 1)
        self.login(self.officer)
        self.assertIn("could not be built (the worker stopped while building it)",
                      self.client.get(f"/stats/audit/{run.pk}/").content.decode())

    def test_a_worker_restart_leaves_an_audit_a_live_worker_is_building(self):
        run = self._queue()
        job = DBTaskResult.objects.get()
        job.claim(claims.worker_id())  # this process: alive
        AuditRun.objects.filter(pk=run.pk).update(state="running")
        worker.recover_all()
        run.refresh_from_db()
        self.assertEqual(run.state, "running")

    def test_only_the_privacy_roles_download_the_files(self):
        run = audit_runs.do_audit(Actor.for_user(self.officer))
        for user, status in ((self.desk, 403), (self.manager, 403), (self.admin, 403), (self.director, 200)):
            self.login(user)
            for kind in ("pdf", "html"):
                self.assertEqual(self.client.get(f"/stats/audit/{run.pk}/privacy-audit.{kind}").status_code, status,
                                 (user.username, kind))

    def test_pruned_audits_take_their_files_with_them(self):
        with mock.patch.object(audit_runs, "KEEP_RUNS", 1), self.captureOnCommitCallbacks(execute=True):
            first = audit_runs.do_audit(Actor.for_user(self.officer))
        self.assertTrue(files.stored(first.pk, "pdf").exists())
        with mock.patch.object(audit_runs, "KEEP_RUNS", 1), self.captureOnCommitCallbacks(execute=True):
            second = audit_runs.do_audit(Actor.for_user(self.officer))
        self.assertFalse(AuditRun.objects.filter(pk=first.pk).exists())
        self.assertFalse(files.stored(first.pk, "pdf").exists())
        self.assertFalse(files.stored(first.pk, "html").exists())
        self.assertTrue(files.stored(second.pk, "pdf").exists())
