from django.urls import reverse

from quietdesk.audit.models import AccessEntry
from quietdesk.staff.models import SealedTOTPDevice, StaffUser
from tests.personas import PASSWORD, PersonaTestCase


class StaffAdminTests(PersonaTestCase):
    def test_only_the_administrator_and_director_manage_staff(self):
        for user in (self.desk, self.manager, self.privacy):
            self.login(user)
            self.assertEqual(self.client.get(reverse("staff:admin_list")).status_code, 403)
            self.assertEqual(self.client.get(reverse("staff:admin_detail", args=[self.desk.pk])).status_code, 404)

    def test_create_account_gets_a_one_time_password_and_is_logged(self):
        self.login(self.admin)
        r = self.client.post(reverse("staff:admin_list"), {"username": "newdesk", "role": "circulation", "branch": ""})
        self.assertContains(r, "shown once")
        user = StaffUser.objects.get(username="newdesk")
        self.assertTrue(user.password.startswith(("md5$", "argon2")))
        self.assertTrue(AccessEntry.objects.filter(action="staff_account", actor="admin", basis__contains="created").exists())
        r = self.client.post(reverse("staff:admin_list"), {"username": "newdesk", "role": "circulation"})
        self.assertContains(r, "taken")
        r = self.client.post(reverse("staff:admin_list"), {"username": "Bad Name!", "role": "nope"})
        self.assertContains(r, "lower-case")
        self.assertEqual(StaffUser.objects.filter(username__startswith="newdesk").count(), 1)

    def test_role_change_signs_the_account_out(self):
        other = self.client_class()
        other.force_login(self.desk)
        self.assertEqual(other.get("/").status_code, 200)
        self.login(self.admin)
        r = self.client.post(reverse("staff:admin_detail", args=[self.desk.pk]), {"role": "person_in_charge", "branch": ""})
        self.assertEqual(r.status_code, 302)
        self.desk.refresh_from_db()
        self.assertEqual(self.desk.role, "person_in_charge")
        self.assertEqual(other.get("/").status_code, 302)

    def test_director_resets_a_privileged_account_and_the_holder_is_told(self):
        from django.core import mail

        self.privacy.email = "po@example.org"
        self.privacy.save()
        self.login(self.director)
        url = reverse("staff:admin_detail", args=[self.privacy.pk])
        self.client.post(url, {"action": "reset_2fa"})
        self.assertFalse(SealedTOTPDevice.objects.filter(user=self.privacy).exists())
        self.assertEqual([m.to for m in mail.outbox], [["po@example.org"]])
        self.assertIn("second factor was reset", mail.outbox[0].subject)
        self.client.post(url, {"action": "deactivate"})
        self.privacy.refresh_from_db()
        self.assertFalse(self.privacy.is_active)
        self.client.logout()
        r = self.client.post(reverse("staff:login"), {"username": "privacy", "password": PASSWORD})
        self.assertEqual(r.status_code, 200)  # refused: inactive

    def test_administrator_cannot_take_over_privileged_accounts(self):
        self.login(self.admin)
        url = reverse("staff:admin_detail", args=[self.director.pk])
        for data in ({"action": "reset_2fa"}, {"action": "reset_password"}, {"action": "deactivate"},
                     {"role": "circulation", "branch": ""}):
            self.client.post(url, data)
        self.director.refresh_from_db()
        self.assertTrue(self.director.is_active)
        self.assertEqual(self.director.role, "director")
        self.assertTrue(SealedTOTPDevice.objects.filter(user=self.director).exists())
        self.assertTrue(self.director.check_password(PASSWORD))
        self.assertNotContains(self.client.get(url), "Reset password")

    def test_administrator_cannot_promote_anyone_or_themselves(self):
        self.login(self.admin)
        self.client.post(reverse("staff:admin_detail", args=[self.admin.pk]), {"role": "director", "branch": ""})
        self.client.post(reverse("staff:admin_detail", args=[self.desk.pk]), {"role": "director", "branch": ""})
        r = self.client.post(reverse("staff:admin_list"), {"username": "boss", "role": "director"})
        self.assertContains(r, "Only the director")
        self.admin.refresh_from_db()
        self.desk.refresh_from_db()
        self.assertEqual((self.admin.role, self.desk.role), ("sysadmin", "circulation"))
        self.assertFalse(StaffUser.objects.filter(username="boss").exists())

    def test_nobody_changes_their_own_account(self):
        self.login(self.director)
        self.client.post(reverse("staff:admin_detail", args=[self.director.pk]), {"role": "circulation", "branch": ""})
        self.director.refresh_from_db()
        self.assertEqual(self.director.role, "director")

    def test_admin_cannot_read_patrons(self):
        self.login(self.admin)
        self.assertEqual(self.client.get(reverse("patrons:detail", args=[self.patron.id])).status_code, 404)
