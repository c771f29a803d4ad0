"""A request about a member of staff: the case page prompts the notice the ICE protocol's
bargaining clause asks for (tell them, give them a copy within three calendar days),
shows their own counsel and union, and records who gave the copy and when."""

import datetime

from django.utils import timezone

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.guide.models import Contact
from quietdesk.legal import employee
from quietdesk.legal.models import Case, CaseEvent
from tests.legal.helpers import open_case
from tests.personas import PersonaTestCase

DAY = datetime.timedelta(days=1)


class StaffNoticeTests(PersonaTestCase):
    def setUp(self):
        Contact.objects.create(kind=Contact.Kind.COUNSEL, name="Library Counsel LLP", phone="555-0110")
        Contact.objects.create(kind=Contact.Kind.STAFF_COUNSEL, name="Workers' Immigration Clinic",
                               phone="555-0170", after_hours="555-0171")
        Contact.objects.create(kind=Contact.Kind.UNION, name="Local 2112 steward", phone="555-0180")
        self.case = open_case(self.desk, requester="immigration_officer", document="administrative_subpoena",
                              category="registration", concerns_staff=True)
        self.login(self.director)
        self.url = f"/requests/cases/{self.case.id}/"

    def section(self, page: str) -> str:
        start = page.index('id="staff-notice"')
        return page[start:page.index("</section>", start)]

    def test_the_case_page_prompts_the_notice_with_their_own_contacts(self):
        page = self.section(self.client.get(self.url).content.decode())
        due = timezone.localdate() + 3 * DAY
        self.assertIn("This request concerns a member of staff", page)
        self.assertIn("Tell the staff member about the request as soon as possible.", page)
        self.assertIn(f"Give them a copy of the request by {due:%A %d %B %Y} (within three calendar days).", page)
        self.assertIn("ICE protocol: Collective bargaining", page)
        self.assertIn("The library&#x27;s counsel acts for the library, not for them.", page)
        # Their own counsel and union, tap to call; not the library's lawyer.
        self.assertIn("Workers&#x27; Immigration Clinic", page)
        self.assertIn('href="tel:555-0170"', page)
        self.assertIn("Local 2112 steward", page)
        self.assertNotIn("Library Counsel LLP", page)
        self.assertNotIn("non-disclosure", page)

    def test_under_non_disclosure_counsel_comes_first(self):
        Case.objects.filter(pk=self.case.pk).update(nondisclosure=True)
        page = self.section(self.client.get(self.url).content.decode())
        self.assertIn("Ask counsel what the law allows before telling the staff member anything", page)
        self.assertIn("18 U.S.C. 2709(c)", page)

    def test_recording_who_gave_the_copy_and_when(self):
        today = timezone.localdate()
        r = self.client.post(f"{self.url}staff-notice/", {"informed_on": today.isoformat(),
                                                         "copy_on": today.isoformat(),
                                                         "delivered_by": "R. Okafor, branch manager"})
        self.assertEqual(r.status_code, 302)
        case = Case.objects.get(pk=self.case.pk)
        self.assertEqual((case.staff_informed_on, case.staff_copy_on), (today, today))
        self.assertNotIn(b"Okafor", bytes(case.staff_copy_by_ct))
        page = self.client.get(self.url).content.decode()
        self.assertIn("by R. Okafor, branch manager", self.section(page))
        self.assertNotIn("Give them a copy", self.section(page))
        summaries = list(CaseEvent.objects.filter(case=case, kind="staff").values_list("summary", flat=True))
        self.assertEqual(summaries, [f"staff member told on {today}", f"copy of the request given on {today}"])
        entry = AccessEntry.objects.get(action="staff_notice")
        self.assertEqual(entry.case_ref, case.pseudonym)
        self.assertNotIn("Okafor", entry.basis)
        # Saving again without a name keeps the one recorded; nothing new is logged.
        self.client.post(f"{self.url}staff-notice/", {"informed_on": today.isoformat(), "copy_on": today.isoformat()})
        self.assertEqual(AccessEntry.objects.filter(action="staff_notice").count(), 1)
        self.assertIn("by R. Okafor", self.section(self.client.get(self.url).content.decode()))

    def test_bad_input_is_refused_and_nothing_changes(self):
        tomorrow = (timezone.localdate() + DAY).isoformat()
        for data, message in (
            ({"copy_on": timezone.localdate().isoformat()}, "Say who gave them the copy."),
            ({"copy_on": tomorrow, "delivered_by": "X"}, "between the request"),
            ({"informed_on": "2001-01-01"}, "between the request"),
            ({"delivered_by": "X"}, "Give the day the copy was given."),
        ):
            r = self.client.post(f"{self.url}staff-notice/", data, follow=True)
            self.assertContains(r, message)
        r = self.client.post(f"{self.url}staff-notice/", {"informed_on": "someday"})
        self.assertContains(r, "Enter a valid date.", status_code=400)
        case = Case.objects.get(pk=self.case.pk)
        self.assertEqual((case.staff_informed_on, case.staff_copy_on), (None, None))
        self.assertFalse(AccessEntry.objects.filter(action="staff_notice").exists())

    def test_only_deciders_record_and_only_for_a_staff_case(self):
        self.client.logout()
        self.login(self.privacy)
        self.assertIn("This request concerns a member of staff", self.client.get(self.url).content.decode())
        r = self.client.post(f"{self.url}staff-notice/", {"informed_on": timezone.localdate().isoformat()})
        self.assertIn(r.status_code, (403, 404))
        other = open_case(self.desk, requester="law_enforcement")
        self.assertNotIn('id="staff-notice"', self.client.get(f"/requests/cases/{other.id}/").content.decode())
        with self.assertRaisesMessage(employee.NoticeError, "not marked as concerning a member of staff"):
            employee.do_record(Actor.for_user(self.director), other, informed_on=timezone.localdate(), copy_on=None)

    def test_the_cases_list_flags_a_late_copy(self):
        Case.objects.filter(pk=self.case.pk).update(arrived_at=timezone.now() - 5 * DAY)
        page = self.client.get("/requests/cases/").content.decode()
        self.assertIn('class="late"', page)
        self.assertIn("Inform staff by", page)
        case = Case.objects.get(pk=self.case.pk)
        self.assertTrue(employee.prompt(case)["late"])
