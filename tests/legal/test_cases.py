"""Who may see a case, and what a case may do."""

import datetime

from django.core import mail
from django.utils import timezone

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.legal import services
from quietdesk.legal.models import CaseEvent
from tests.legal.helpers import open_case
from tests.personas import PersonaTestCase


class CaseVisibilityTests(PersonaTestCase):
    def setUp(self):
        self.plain = open_case(self.desk, requester="law_enforcement", officer_name="Officer Plain")
        self.secret = open_case(self.desk, requester="law_enforcement", document="national_security_letter",
                                officer_name="Agent Hush")
        mail.outbox.clear()

    def test_nondisclosure_comes_from_the_document(self):
        self.assertFalse(self.plain.nondisclosure)
        self.assertTrue(self.secret.nondisclosure)

    def test_director_sees_both(self):
        self.login(self.director)
        page = self.client.get("/requests/cases/").content.decode()
        self.assertIn(self.plain.pseudonym, page)
        self.assertIn(self.secret.pseudonym, page)
        page = self.client.get(f"/requests/cases/{self.secret.id}/").content.decode()
        self.assertIn("Agent Hush", page)
        self.assertIn("Non-disclosure", page)

    def test_privacy_officer_sees_the_plain_case_only(self):
        self.login(self.privacy)
        page = self.client.get("/requests/cases/").content.decode()
        self.assertIn(self.plain.pseudonym, page)
        self.assertNotIn(self.secret.pseudonym, page)
        self.assertEqual(self.client.get(f"/requests/cases/{self.plain.id}/").status_code, 200)
        for url in (f"/requests/cases/{self.secret.id}/", f"/requests/cases/{self.secret.id}/incident-report.pdf",
                    f"/requests/desk/{self.secret.id}/"):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        # and may not decide
        self.assertEqual(self.client.post(f"/requests/cases/{self.plain.id}/close/", {}).status_code, 404)

    def test_desk_manager_and_admin_see_no_case(self):
        for user in (self.manager, self.admin, self.desk):
            self.client.force_login(user) if not user.needs_second_factor else self.login(user)
            self.assertEqual(self.client.get("/requests/cases/").status_code, 403)
            self.assertEqual(self.client.get(f"/requests/cases/{self.plain.id}/").status_code, 404)

    def test_reading_a_case_file_is_logged(self):
        self.login(self.director)
        before = AccessEntry.objects.filter(action="case_view", case_ref=self.plain.pseudonym).count()
        self.client.get(f"/requests/cases/{self.plain.id}/")
        self.assertGreater(AccessEntry.objects.filter(action="case_view", case_ref=self.plain.pseudonym).count(), before)

    def test_marking_nondisclosure_hides_it_from_the_privacy_officer(self):
        self.login(self.director)
        r = self.client.post(f"/requests/cases/{self.plain.id}/update/", {
            "requester": "law_enforcement", "category": "", "document": "court_order", "nondisclosure": "on",
            "reason": "The officer came back with a court order."})
        self.assertEqual(r.status_code, 302)
        self.client.logout()
        self.login(self.privacy)
        self.assertEqual(self.client.get(f"/requests/cases/{self.plain.id}/").status_code, 404)

    def test_update_refuses_unknown_words(self):
        self.login(self.director)
        r = self.client.post(f"/requests/cases/{self.plain.id}/update/", {"requester": "cia", "document": "none"})
        self.assertEqual(r.status_code, 400)
        self.assertIn("Valid requesters: staff, patron_self", r.content.decode())


class CaseLifecycleTests(PersonaTestCase):
    def setUp(self):
        self.actor = Actor.for_user(self.director)
        self.login(self.director)

    def test_states(self):
        case = open_case(self.desk, requester="immigration_officer", document="administrative_subpoena",
                         return_date=timezone.localdate() + datetime.timedelta(days=10))
        self.client.post(f"/requests/cases/{case.id}/move/", {"state": "with_director"})
        self.client.post(f"/requests/cases/{case.id}/move/", {"state": "with_counsel"})
        case.refresh_from_db()
        self.assertEqual(case.state, "with_counsel")
        r = self.client.post(f"/requests/cases/{case.id}/decide/", {"verdict": "disclose", "support": "counsel agrees"})
        case.refresh_from_db()
        self.assertEqual(case.verdict, "")  # a subpoena cannot be answered with disclosure
        self.assertIn("signed by a judge", msgs(r))
        self.client.post(f"/requests/cases/{case.id}/decide/", {"verdict": "refuse", "support": ""})
        case.refresh_from_db()
        self.assertEqual((case.state, case.verdict), ("refused", "refuse"))
        self.client.post(f"/requests/cases/{case.id}/close/", {"note": "answered in writing"})
        case.refresh_from_db()
        self.assertEqual(case.state, "closed")
        self.client.post(f"/requests/cases/{case.id}/reopen/")
        case.refresh_from_db()
        self.assertEqual(case.state, "with_director")

    def test_disclosure_needs_documented_support(self):
        case = open_case(self.desk, requester="law_enforcement", document="judicial_search_warrant")
        with self.assertRaisesMessage(services.CaseError, "III.C.2.i"):
            services.do_decide(self.actor, case, "disclose", "  ")
        case = services.do_decide(self.actor, case, "disclose", "Warrant verified with the court clerk.",
                                  user=self.director)
        self.assertEqual((case.state, case.decided_by), ("decided", self.director))
        page = self.client.get(f"/requests/cases/{case.id}/").content.decode()
        self.assertIn("Warrant verified with the court clerk.", page)

    def test_cannot_close_with_an_unproduced_order(self):
        case = open_case(self.desk, requester="law_enforcement", document="court_order", category="circulation")
        with self.assertRaisesMessage(services.CaseError, "record a decision"):
            services.do_close(self.actor, case)
        services.do_decide(self.actor, case, "disclose", "Order reviewed by counsel.")
        with self.assertRaisesMessage(services.CaseError, "nothing has been produced"):
            services.do_close(self.actor, case)
        r = self.client.post(f"/requests/cases/{case.id}/close/", {})
        case.refresh_from_db()
        self.assertNotEqual(case.state, "closed")
        self.assertEqual(r.status_code, 302)

    def test_invalid_moves(self):
        case = open_case(self.desk)
        with self.assertRaises(services.CaseError):
            services.do_move(self.actor, case, "produced")
        r = self.client.post(f"/requests/cases/{case.id}/move/", {"state": "closed"})
        self.assertIn("Unknown state", msgs(r))

    def test_staff_deadline_is_three_calendar_days(self):
        case = open_case(self.desk, requester="immigration_officer", concerns_staff=True)
        arrived = timezone.localtime(case.arrived_at).date()
        self.assertEqual(case.staff_inform_by, arrived + datetime.timedelta(days=3))
        page = self.client.get("/requests/cases/").content.decode()
        self.assertIn(f"Inform staff by {case.staff_inform_by:%Y-%m-%d}", page)
        self.client.post(f"/requests/cases/{case.id}/update/", {
            "requester": "immigration_officer", "document": "none", "concerns_staff": "on",
            "staff_informed_on": arrived.isoformat()})
        case.refresh_from_db()
        self.assertEqual(case.staff_informed_on, arrived)
        self.assertTrue(CaseEvent.objects.filter(case=case, kind="staff").exists())

    def test_incident_report(self):
        case = open_case(self.desk, requester="immigration_officer", document="ice_administrative_warrant",
                         officer_name="Officer Quill", badge="B-4471",
                         statement="Asked whether a patron was in the building.")
        r = self.client.get(f"/requests/cases/{case.id}/incident-report.pdf")
        self.assertEqual(r["Content-Type"], "application/pdf")
        text = pdf_text(r.content)
        for expected in ("Incident report", case.pseudonym, "Officer Quill", "B-4471",
                         "Asked whether a patron was in the building.", "Do not help find, serve",
                         "III.C.2.e"):
            self.assertIn(expected, text)
        self.assertTrue(AccessEntry.objects.filter(action="incident_report", case_ref=case.pseudonym).exists())


def msgs(response) -> str:
    from django.contrib.messages import get_messages

    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def pdf_text(data: bytes) -> str:
    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
