"""Home pages say what waits on this person; the grouped menu shows only what the role can use."""

import datetime

from django.urls import reverse
from django.utils import timezone

from quietdesk.alerts import services as alerts
from quietdesk.audit.service import Actor
from quietdesk.core import nav
from quietdesk.legal.models import Case
from tests.legal.helpers import open_case
from tests.personas import PersonaTestCase


class HomeTests(PersonaTestCase):
    def test_desk_home_offers_the_daily_actions_and_someone_is_asking(self):
        self.login(self.desk)
        page = self.client.get("/")
        self.assertContains(page, 'class="button danger big-ask"')
        for label in ("Check out", "Check in", "Find a patron", "Register a patron", "Holds shelf"):
            self.assertContains(page, label)
        self.assertNotContains(page, 'id="waiting-badge"')
        self.assertNotContains(page, 'id="waiting-cases"')

    def test_director_home_lists_open_cases_most_urgent_first_with_deadlines(self):
        today = timezone.localdate()
        calm = open_case(requester="law_enforcement")
        late = open_case(requester="immigration_officer", document="grand_jury_subpoena")
        Case.objects.filter(pk=late.pk).update(return_date=today - datetime.timedelta(days=1))
        staff = open_case(requester="law_enforcement", concerns_staff=True)
        Case.objects.filter(pk=staff.pk).update(arrived_at=timezone.now() - datetime.timedelta(days=2))
        closed = open_case(requester="public")
        Case.objects.filter(pk=closed.pk).update(state="closed")
        self.login(self.director)
        page = self.client.get("/").content.decode()
        cases = page[page.index('id="waiting-cases"'):page.index('id="waiting-alerts"')]
        self.assertLess(cases.index(late.pseudonym), cases.index(staff.pseudonym))
        self.assertLess(cases.index(staff.pseudonym), cases.index(calm.pseudonym))
        self.assertNotIn(closed.pseudonym, cases)
        self.assertIn("overdue", cases)
        self.assertIn("Tell the staff member (three days)", cases)
        self.assertIn("Return date", cases)
        self.assertIn('id="waiting-failures"', page)
        self.assertIn("The purge has never run", page)
        # The badge, on every page.
        other = self.client.get(reverse("patrons:find")).content.decode()
        self.assertIn('id="waiting-badge"', other)

    def test_person_in_charge_sees_reports_to_verify(self):
        report = alerts.do_file_report(Actor("desk", "circulation"), {"activity": "Agents by the door"})
        self.login(self.manager)
        page = self.client.get("/")
        self.assertContains(page, f"Report {report.ref} to verify")
        self.assertContains(page, reverse("alerts:detail", args=[report.id]))
        self.assertNotContains(page, 'id="waiting-cases"')  # the person in charge sees no case

    def test_menu_is_grouped_marks_the_page_and_shows_only_what_the_role_can_use(self):
        self.login(self.desk)
        page = self.client.get(reverse("circulation:checkin")).content.decode()
        self.assertIn('<a href="/circulation/checkin/" aria-current="page">Check in</a>', page)
        self.assertIn('id="nav-desk">Desk<', page)
        self.assertNotIn("Access log", page)
        self.assertNotIn('id="nav-privacy"', page)
        self.assertIn('<nav class="subnav" aria-label="Desk">', page)
        can = {"find_patron": True}
        menu = nav.menu_for(can, "patrons:detail")  # a page not in the menu marks its app's group
        self.assertEqual(menu["current_group"], "desk")
        self.assertEqual([g["key"] for g in menu["groups"]], ["desk"])


class ApprovalsOnTheHomePageTests(PersonaTestCase):
    def test_an_account_change_waits_on_the_directors_home_page_not_the_askers(self):
        from quietdesk.staff import services as staff

        staff.do_request(self.admin, staff.Kind.CREATE, username="newdesk", role="circulation")
        self.login(self.director)
        page = self.client.get(reverse("core:home")).content.decode()
        self.assertIn("Account change waiting for approval", page)
        self.assertIn("newdesk", page)
        # The one who asked (or a director who asked) is not the second person: nothing waits on them.
        self.assertEqual(staff.pending_approvals(self.admin), [])
        staff.do_request(self.director, staff.Kind.CREATE, username="otherdesk", role="circulation")
        self.assertEqual([t for t, _ in staff.pending_approvals(self.director) if "otherdesk" in t], [])
