from django.core import mail
from django.test import override_settings
from django.urls import reverse

from quietdesk.staff.models import SealedTOTPDevice, StaffChange, StaffUser
from tests.e2e.conftest import free_port
from tests.jobs import drain_jobs
from tests.personas import PASSWORD, PersonaTestCase

from .helpers import ask_for_account, code_on, decide


class StaffAdminTests(PersonaTestCase):
    def test_only_the_administrator_and_director_manage_staff(self):
        for user in (self.desk, self.manager, self.privacy):
            self.login(user)
            self.assertEqual(self.client.get(reverse("staff:admin_list")).status_code, 403)
            self.assertEqual(self.client.get(reverse("staff:admin_detail", args=[self.desk.pk])).status_code, 404)

    def test_no_password_is_ever_shown(self):
        self.login(self.admin)
        r = ask_for_account(self.client, "newdesk", "circulation")
        page = self.client.get(r["Location"])
        self.assertNotContains(page, "password (shown once)")
        self.assertNotContains(page, 'class="secret"')
        self.client.logout()
        self.login(self.director)
        approved = decide(self.client, StaffChange.objects.get())
        self.assertIsNotNone(code_on(approved))
        self.assertNotContains(approved, "password:")
        self.assertFalse(StaffUser.objects.get(username="newdesk").has_usable_password())

    def test_bad_input_is_refused_and_writes_nothing(self):
        self.login(self.admin)
        ask_for_account(self.client, "newdesk", "circulation")
        r = ask_for_account(self.client, "newdesk", "circulation")
        self.assertContains(r, "already waiting", status_code=400)
        r = self.client.post(reverse("staff:admin_list"), {"username": "Bad Name!", "role": "nope", "email": "x"})
        self.assertContains(r, "lower-case", status_code=400)
        r = self.client.post(reverse("staff:admin_list"), {})
        self.assertEqual(r.status_code, 400)
        r = ask_for_account(self.client, "desk", "circulation")
        self.assertContains(r, "taken", status_code=400)
        self.assertEqual(StaffChange.objects.count(), 1)
        r = self.client.post(reverse("staff:admin_detail", args=[self.desk.pk]), {"role": "emperor"})
        self.assertEqual(r.status_code, 400)
        r = self.client.post(reverse("staff:admin_detail", args=[self.desk.pk]), {"action": "launch"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(StaffChange.objects.count(), 1)

    def test_a_decision_needs_a_valid_form(self):
        self.login(self.admin)
        ask_for_account(self.client, "newdesk", "circulation")
        self.client.logout()
        self.login(self.director)
        change = StaffChange.objects.get()
        for data in ({}, {"decision": "approve"}, {"binding": "x" * 200, "decision": "approve"}):
            r = self.client.post(reverse("staff:change_decide", args=[change.id]), data)
            self.assertEqual(r.status_code, 302)
        change.refresh_from_db()
        self.assertEqual(change.state, StaffChange.State.PENDING)
        self.assertEqual(self.client.get(reverse("staff:change_decide", args=[change.id])).status_code, 405)

    def test_administrator_cannot_take_over_privileged_accounts(self):
        self.login(self.admin)
        url = reverse("staff:admin_detail", args=[self.director.pk])
        for data in ({"action": "reset"}, {"action": "deactivate"}, {"role": "circulation", "branch": ""}):
            self.client.post(url, data)
        self.director.refresh_from_db()
        self.assertTrue(self.director.is_active)
        self.assertEqual(self.director.role, "director")
        self.assertTrue(SealedTOTPDevice.objects.filter(user=self.director).exists())
        self.assertTrue(self.director.check_password(PASSWORD))
        # At most a request waits for a second director.
        self.assertFalse(StaffChange.objects.exclude(state=StaffChange.State.PENDING).exists())

    def test_administrator_cannot_promote_anyone_or_themselves(self):
        self.login(self.admin)
        self.client.post(reverse("staff:admin_detail", args=[self.admin.pk]), {"role": "director", "branch": ""})
        self.client.post(reverse("staff:admin_detail", args=[self.desk.pk]), {"role": "director", "branch": ""})
        ask_for_account(self.client, "boss", "director")
        self.admin.refresh_from_db()
        self.desk.refresh_from_db()
        self.assertEqual((self.admin.role, self.desk.role), ("sysadmin", "circulation"))
        self.assertFalse(StaffUser.objects.filter(username="boss").exists())
        self.assertFalse(StaffChange.objects.filter(account=self.admin).exists())

    def test_nobody_changes_their_own_account(self):
        self.login(self.director)
        self.client.post(reverse("staff:admin_detail", args=[self.director.pk]), {"role": "circulation", "branch": ""})
        self.director.refresh_from_db()
        self.assertEqual(self.director.role, "director")
        self.assertFalse(StaffChange.objects.exists())

    def test_admin_cannot_read_patrons(self):
        self.login(self.admin)
        self.assertEqual(self.client.get(reverse("patrons:detail", args=[self.patron.id])).status_code, 404)

    def test_change_pages_hide_from_other_roles(self):
        self.login(self.admin)
        ask_for_account(self.client, "newdesk", "circulation")
        change = StaffChange.objects.get()
        self.assertEqual(self.client.get(reverse("staff:change", args=[change.id])).status_code, 200)
        for user in (self.desk, self.manager, self.privacy):
            self.client.logout()
            self.login(user)
            self.assertEqual(self.client.get(reverse("staff:change", args=[change.id])).status_code, 404)
            self.assertEqual(decide(self.client, change).status_code, 404)


@override_settings(QUIETDESK_DIRECTOR_EMAIL=["director@library.example"])
class NoticeTests(PersonaTestCase):
    def test_the_director_and_the_holder_are_emailed_without_the_code(self):
        self.desk.email = "desk@library.example"
        self.desk.save()
        self.login(self.admin)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("staff:admin_detail", args=[self.desk.pk]), {"action": "reset"})
        change = StaffChange.objects.get()
        self.assertEqual(mail.outbox, [])  # queued with the change: the outbound worker sends it
        self.assertContains(self.client.get(reverse("staff:change", args=[change.id])), "the director&#x27;s email is queued")
        drain_jobs()
        self.assertEqual([m.to for m in mail.outbox], [["director@library.example"]])
        self.assertIn("needs your approval", mail.outbox[0].subject)
        self.assertIn(str(change.id), mail.outbox[0].body)
        self.assertContains(self.client.get(reverse("staff:change", args=[change.id])), "The director was emailed")
        mail.outbox.clear()
        self.client.logout()
        self.login(self.director)
        with self.captureOnCommitCallbacks(execute=True):
            code = code_on(decide(self.client, change))
        drain_jobs()
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["desk@library.example", "director@library.example"])
        for message in mail.outbox:
            self.assertNotIn(code.replace("-", "")[:6], message.body.replace("-", ""))
        [to_holder] = [m for m in mail.outbox if m.to == ["desk@library.example"]]
        self.assertIn("sign-in of your quietdesk account was reset", to_holder.body)
        self.assertIn("by director", to_holder.body)
        change.refresh_from_db()
        self.assertEqual((change.asked_notice, change.done_notice), ("sent", "sent"))

    @override_settings(QUIETDESK_DIRECTOR_EMAIL=[])
    def test_no_notice_is_claimed_without_an_address(self):
        self.login(self.admin)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("staff:admin_detail", args=[self.desk.pk]), {"action": "end_sessions"})
        drain_jobs()
        self.assertEqual(mail.outbox, [])
        page = self.client.get(reverse("staff:change", args=[StaffChange.objects.get().id]))
        self.assertContains(page, "nobody was emailed")
        self.assertNotContains(page, "The director was emailed")

    @override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                       EMAIL_PORT=free_port(), EMAIL_TIMEOUT=2)
    def test_a_failed_email_is_shown_as_failed(self):
        """A loopback port that was just free: nothing listens, so the SMTP connection is refused."""
        self.login(self.admin)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("staff:admin_detail", args=[self.desk.pk]), {"action": "end_sessions"})
        drain_jobs()
        change = StaffChange.objects.get()
        self.assertEqual(change.done_notice, "failed")
        self.assertContains(self.client.get(reverse("staff:change", args=[change.id])), "failed")
