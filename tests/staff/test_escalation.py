"""Issue 12, section 3: staff administration cannot be used to escalate.

The reproduction first (the administrator makes a circulation account for themselves
and tries to read a patron), then each rule of ``quietdesk/staff/approval.py``.
"""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from quietdesk.audit.models import AccessEntry
from quietdesk.staff import services
from quietdesk.staff.approval import Kind
from quietdesk.staff.models import EnrollmentCode, SealedTOTPDevice, StaffChange, StaffUser
from tests.personas import PASSWORD, PersonaTestCase, make_staff

from .helpers import ask_for_account, code_on, decide

SIGN_IN = "/staff/sign-in/"


class ReproductionTests(PersonaTestCase):
    def test_administrator_cannot_make_themselves_a_desk_account_that_reads_patrons(self):
        """Tried as an attacker would: before the fix, the account existed at once, its password
        was on the administrator's screen, and it read a patron's name and card."""
        patron_page = reverse("patrons:detail", args=[self.patron.id])
        self.login(self.admin)
        r = ask_for_account(self.client, "admin-at-the-desk", "circulation", self.branch)
        self.assertEqual(r.status_code, 302)
        page = self.client.get(reverse("staff:admin_list"))
        self.assertContains(page, "Waiting for the director")
        self.assertIsNone(code_on(page))
        self.assertNotContains(page, "password (shown once)")
        # Nothing exists: no account, no password, no code.
        self.assertFalse(StaffUser.objects.filter(username="admin-at-the-desk").exists())
        self.assertFalse(EnrollmentCode.objects.exists())
        change = StaffChange.objects.get(username="admin-at-the-desk")
        self.assertEqual(change.state, StaffChange.State.PENDING)

        # The administrator cannot approve it: not the page, not the service.
        self.assertEqual(decide(self.client, change).status_code, 404)
        admin_with_factor = self.client.get("/").wsgi_request.user
        with self.assertRaisesMessage(services.ChangeError, "Only the director"):
            services.do_approve(admin_with_factor, change, services.binding(change))

        # So the account cannot sign in or read anyone.
        self.client.logout()
        for password in (PASSWORD, "", "admin-at-the-desk"):
            r = self.client.post(SIGN_IN, {"username": "admin-at-the-desk", "password": password})
            self.assertEqual(r.status_code, 200)  # the form again: refused
        self.assertRedirects(self.client.get(patron_page), f"{SIGN_IN}?next={patron_page}",
                             fetch_redirect_response=False)

        # Even once the director approves, the administrator never holds a way in: the code went
        # to the director, and the account has no password until the code is used.
        self.client.logout()
        self.login(self.director)
        approved = decide(self.client, change)
        self.assertIsNotNone(code_on(approved))
        account = StaffUser.objects.get(username="admin-at-the-desk")
        self.assertFalse(account.has_usable_password())
        self.client.logout()
        self.login(self.admin)
        self.assertIsNone(code_on(self.client.get(reverse("staff:change", args=[change.id]))))
        self.client.logout()
        r = self.client.post(SIGN_IN, {"username": "admin-at-the-desk", "password": PASSWORD})
        self.assertEqual(r.status_code, 200)


class SecondPersonTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.designee = make_staff("designee", "director", branch=cls.branch)

    def pending(self, username="newdesk", role="circulation", as_user=None):
        self.login(as_user or self.admin)
        ask_for_account(self.client, username, role, self.branch)
        self.client.logout()
        return StaffChange.objects.get(username=username)

    def test_approval_by_someone_without_a_second_factor_is_refused(self):
        change = self.pending()
        # A director whose session has not passed the second factor reaches nothing.
        self.client.force_login(self.designee)
        r = decide(self.client, change)
        self.assertRedirects(r, reverse("staff:otp_verify"), fetch_redirect_response=False)
        # A director account without an authenticator is signed out.
        bare = make_staff("bare-director", "privacy_officer")
        SealedTOTPDevice.objects.filter(user=bare).delete()
        StaffUser.objects.filter(pk=bare.pk).update(role="director")
        self.client.force_login(StaffUser.objects.get(pk=bare.pk))
        r = decide(self.client, change)
        self.assertRedirects(r, reverse("staff:no_authenticator"), fetch_redirect_response=False)
        # And the service itself refuses a user that did not pass the second factor.
        with self.assertRaisesMessage(services.ChangeError, "second factor"):
            services.do_approve(get_user_model().objects.get(pk=self.director.pk), change, services.binding(change))
        change.refresh_from_db()
        self.assertEqual(change.state, StaffChange.State.PENDING)
        self.assertFalse(StaffUser.objects.filter(username="newdesk").exists())

    def test_an_approval_counts_once(self):
        change = self.pending()
        self.login(self.director)
        first = decide(self.client, change)
        code = code_on(first)
        self.assertIsNotNone(code)
        stored = EnrollmentCode.objects.get(account__username="newdesk").code_hash
        again = decide(self.client, change, bound_to=services.binding(change))
        self.assertIsNone(code_on(again))
        self.assertContains(self.client.get(again["Location"]), "already decided")
        self.assertEqual(StaffUser.objects.filter(username="newdesk").count(), 1)
        self.assertEqual(EnrollmentCode.objects.get(account__username="newdesk").code_hash, stored)

    def test_an_approval_is_bound_to_the_exact_request(self):
        change = self.pending()
        shown = services.binding(change)
        # The request changes after the director opened it (role, branch, username).
        for field, value in (("role", "director"), ("branch", self.other_branch), ("username", "someone-else")):
            original = getattr(change, field)
            setattr(change, field, value)
            change.save()
            self.login(self.director)
            r = decide(self.client, change, bound_to=shown)
            self.assertIsNone(code_on(r))
            self.assertContains(self.client.get(r["Location"]), "not the one you were shown")
            setattr(change, field, original)
            change.save()
        # Nor does one request's approval fit another.
        other = self.pending(username="otherdesk")
        r = decide(self.client, other, bound_to=shown)
        self.assertIsNone(code_on(r))
        self.assertEqual(StaffChange.objects.filter(state=StaffChange.State.PENDING).count(), 2)
        self.assertFalse(StaffUser.objects.filter(username__in=["newdesk", "otherdesk", "someone-else"]).exists())

    def test_the_director_alone_is_not_a_second_person(self):
        """Rule: the director is the second person only when someone else asked. A director's
        own request waits for another director or designee."""
        change = self.pending(as_user=self.director)
        self.assertEqual(change.state, StaffChange.State.PENDING)
        self.assertFalse(StaffUser.objects.filter(username="newdesk").exists())
        self.login(self.director)
        page = self.client.get(reverse("staff:change", args=[change.id]))
        self.assertContains(page, "someone else must approve it")
        self.assertNotContains(page, ">Approve<")
        r = decide(self.client, change)
        self.assertIsNone(code_on(r))
        change.refresh_from_db()
        self.assertEqual(change.state, StaffChange.State.PENDING)
        # The designee, a second director with a second factor, approves it.
        self.client.logout()
        self.login(self.designee)
        self.assertIsNotNone(code_on(decide(self.client, change)))
        change.refresh_from_db()
        self.assertEqual((change.state, change.decided_by), (StaffChange.State.APPLIED, self.designee))

    def test_nobody_approves_a_change_to_their_own_account(self):
        self.login(self.admin)
        r = self.client.post(reverse("staff:admin_detail", args=[self.director.pk]), {"action": "reset"})
        self.assertEqual(r.status_code, 302)
        change = StaffChange.objects.get(kind=Kind.RESET, account=self.director)
        self.client.logout()
        self.login(self.director)
        self.assertIsNone(code_on(decide(self.client, change)))
        self.assertTrue(SealedTOTPDevice.objects.filter(user=self.director, confirmed=True).exists())
        self.client.logout()
        self.login(self.designee)
        self.assertIsNotNone(code_on(decide(self.client, change)))
        self.director.refresh_from_db()
        self.assertFalse(self.director.has_usable_password())
        self.assertFalse(SealedTOTPDevice.objects.filter(user=self.director).exists())

    def test_role_change_into_patron_data_waits_and_then_signs_out(self):
        other = self.client_class()
        other.force_login(self.admin)
        self.login(self.admin)
        # The administrator may not make any account an administrator, nor change their own.
        self.client.post(reverse("staff:admin_detail", args=[self.desk.pk]), {"role": "sysadmin", "branch": ""})
        self.client.post(reverse("staff:admin_detail", args=[self.admin.pk]), {"role": "circulation", "branch": ""})
        self.assertFalse(StaffChange.objects.exists())
        self.client.post(reverse("staff:admin_detail", args=[self.desk.pk]), {"role": "person_in_charge", "branch": ""})
        change = StaffChange.objects.get()
        self.desk.refresh_from_db()
        self.assertEqual(self.desk.role, "circulation")  # not yet
        desk_session = self.client_class()
        desk_session.force_login(self.desk)
        self.client.logout()
        self.login(self.director)
        r = decide(self.client, change)
        self.assertIsNone(code_on(r))  # a desk role needs no new authenticator: the password stays
        self.desk.refresh_from_db()
        self.assertEqual(self.desk.role, "person_in_charge")
        self.assertTrue(self.desk.check_password(PASSWORD))
        self.assertEqual(desk_session.get("/").status_code, 302)  # signed out everywhere

    def test_promotion_to_a_second_factor_role_comes_with_an_enrollment_code(self):
        self.login(self.admin)
        self.client.post(reverse("staff:admin_detail", args=[self.desk.pk]), {"role": "privacy_officer", "branch": ""})
        self.client.logout()
        self.login(self.director)
        self.assertIsNotNone(code_on(decide(self.client, StaffChange.objects.get())))
        self.desk.refresh_from_db()
        self.assertEqual(self.desk.role, "privacy_officer")
        self.assertFalse(self.desk.has_usable_password())  # the old password cannot enrol an authenticator

    def test_refused_and_expired_requests_change_nothing(self):
        change = self.pending()
        self.login(self.director)
        r = decide(self.client, change, "refuse")
        self.assertContains(self.client.get(r["Location"]), "Refused")
        self.assertFalse(StaffUser.objects.filter(username="newdesk").exists())
        self.assertIsNone(code_on(decide(self.client, change)))  # refused stays refused
        stale = self.pending(username="staledesk")
        StaffChange.objects.filter(pk=stale.pk).update(requested_at=timezone.now() - datetime.timedelta(days=8))
        self.login(self.director)
        r = decide(self.client, StaffChange.objects.get(pk=stale.pk))
        self.assertContains(self.client.get(r["Location"]), "no longer be approved")
        self.assertFalse(StaffUser.objects.filter(username="staledesk").exists())

    def test_the_director_makes_administrator_accounts_at_once(self):
        """An administrator reads no patron data: the director's own change applies, and the code
        is shown to the director."""
        self.login(self.director)
        r = ask_for_account(self.client, "second-admin", "sysadmin")
        self.assertEqual(r.status_code, 200)
        self.assertIsNotNone(code_on(r))
        account = StaffUser.objects.get(username="second-admin")
        self.assertEqual(account.role, "sysadmin")
        self.assertFalse(account.has_usable_password())
        # The administrator cannot ask for one, reset one, or deactivate the director.
        self.client.logout()
        self.login(self.admin)
        r = ask_for_account(self.client, "third-admin", "sysadmin")
        self.assertContains(r, "Only the director", status_code=400)
        for data in ({"action": "reset"}, {"action": "deactivate"}):
            self.client.post(reverse("staff:admin_detail", args=[account.pk]), data)
            self.client.post(reverse("staff:admin_detail", args=[self.director.pk]), {"action": "deactivate"})
        self.director.refresh_from_db()
        self.assertTrue(self.director.is_active)
        self.assertFalse(StaffChange.objects.filter(kind__in=[Kind.RESET, Kind.DEACTIVATE]).exists())

    def test_taking_access_away_applies_at_once(self):
        desk_session = self.client_class()
        desk_session.force_login(self.desk)
        self.login(self.admin)
        self.client.post(reverse("staff:admin_detail", args=[self.desk.pk]), {"action": "deactivate"})
        self.desk.refresh_from_db()
        self.assertFalse(self.desk.is_active)
        self.assertEqual(desk_session.get("/").status_code, 302)
        self.client.logout()
        r = self.client.post(SIGN_IN, {"username": "desk", "password": PASSWORD})
        self.assertEqual(r.status_code, 200)

    def test_every_step_is_in_the_access_log(self):
        before = AccessEntry.objects.filter(action="staff_account").count()
        change = self.pending()  # asked
        self.login(self.director)
        code = code_on(decide(self.client, change))  # applied
        self.client.post(reverse("staff:admin_detail", args=[self.desk.pk]), {"action": "end_sessions"})
        bases = list(AccessEntry.objects.filter(action="staff_account").order_by("seq")
                     .values_list("actor", "basis")[before:])
        self.assertEqual(len(bases), 3, bases)
        self.assertEqual(bases[0][0], "admin")
        self.assertIn("asked; waits for a second person", bases[0][1])
        self.assertEqual(bases[1][0], "director")
        self.assertIn("approved by director; enrollment code issued to director", bases[1][1])
        self.assertIn("signed out everywhere for desk", bases[2][1])
        for _actor, basis in bases:
            self.assertNotIn(code.replace("-", "")[:8], basis.replace("-", ""))
