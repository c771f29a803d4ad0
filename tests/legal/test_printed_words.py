"""Issue 14 §5: what is printed speaks the reader's language. The text a reader sees in the
production PDF, the incident report and the privacy audit PDF (extracted with pdfium) names
things in words, never by their internal codes, gives times in the library's time zone, and
never breaks a word in the middle of a table cell."""

import io
import re
import zipfile

from django.utils import timezone

from quietdesk.audit.service import Actor
from quietdesk.legal import words
from quietdesk.legal.models import Case, CaseEvent, Production
from quietdesk.privacy.audit_report import audit_pdf as pdf
from quietdesk.privacy.audit_report import build
from quietdesk.retention import legal_holds
from tests.legal.helpers import open_case, png_file
from tests.legal.test_cases import pdf_text
from tests.personas import PersonaTestCase

CODES = ("given_name", "family_name", "card_number", "law_enforcement", "unspecified", "judicial_search_warrant",
         "circulation,registration", "registration,circulation", "computer_use", "database_search",
         "person_in_charge", "privacy_officer", "with_director")


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


class ProductionAndIncidentReport(PersonaTestCase):
    def setUp(self):
        self.case = open_case(self.desk, requester="law_enforcement", document="judicial_search_warrant",
                              officer_name="Det. Rook")
        self.login(self.director)
        r = self.client.post(f"/requests/cases/{self.case.id}/scope/", {
            "card_number": "21000000000001", "document": "judicial_search_warrant",
            "categories": ["registration", "circulation"], "date_from": "2025-01-01", "date_to": "2025-03-31",
            "files": [png_file("order.png")]})
        self.assertEqual(r.status_code, 302)
        self.production = Production.objects.get()
        self.client.post(f"/requests/cases/{self.case.id}/decide/",
                         {"verdict": "disclose", "support": "Judge-signed warrant, checked with counsel."})
        r = self.client.post(f"/requests/cases/{self.case.id}/productions/{self.production.id}/produce/",
                             {"confirm": "on"})
        self.assertEqual(r.status_code, 302)
        self.production.refresh_from_db()

    def assert_no_codes(self, text: str) -> None:
        for code in CODES:
            self.assertNotIn(code, text)

    def test_the_production_pdf_names_fields_and_records_in_words_at_local_time(self):
        r = self.client.get(f"/requests/cases/{self.case.id}/productions/{self.production.id}/package.zip")
        data = b"".join(r.streaming_content) if r.streaming else r.content
        text = re.sub(r"\s+", " ", pdf_text(zipfile.ZipFile(io.BytesIO(data)).read("records/records.pdf")))
        for label in ("First name", "Last name", "Card number", "Date registered", "Search warrant signed by a judge",
                      "Registration (name, contact, card), Loans"):
            self.assertIn(label, text)
        self.assert_no_codes(text)
        produced = self.production.produced_at
        self.assertIn(local(produced), text)  # e.g. "2026-12-07 10:47 PST"
        self.assertNotIn(produced.isoformat(timespec="seconds"), text)

    def test_the_incident_report_names_who_asked_and_what_in_words(self):
        r = self.client.get(f"/requests/cases/{self.case.id}/incident-report.pdf")
        text = re.sub(r"\s+", " ", pdf_text(r.content))  # lines wrap where the page ends
        for label in ("Police, sheriff, FBI or another law enforcement officer", "Search warrant signed by a judge",
                      "Who asked: Law enforcement. Asked for: not recorded.", "Registration (name, contact, card), Loans",
                      "Disclose what the order names", local(self.case.arrived_at)):
            self.assertIn(label, text)
        self.assert_no_codes(text)
        self.assertNotIn(" / ", text)  # the old "law_enforcement / unspecified / ..." line
        opened = CaseEvent.objects.get(case=self.case, kind="opened")
        self.assertEqual(opened.summary, "Who asked: Law enforcement. Asked for: not recorded. "
                                         "Document: Search warrant signed by a judge.")

    def test_a_state_change_is_written_in_words(self):
        case = Case.objects.get(pk=self.case.pk)
        self.client.post(f"/requests/cases/{case.id}/close/", {})
        event = CaseEvent.objects.filter(case=case, kind="state").latest("at")
        self.assertEqual(event.summary, "Records produced → Closed")


class AuditPdf(PersonaTestCase):
    def test_the_audit_pdf_prints_words_whole_and_no_codes(self):
        director = Actor.for_user(self.director)
        legal_holds.do_place_legal_hold(director, reference="2026-CR-0042", served_on=timezone.localdate(),
                                  categories=["circulation", "registration"], date_from=timezone.localdate(),
                                  date_to=timezone.localdate(), all_patrons=True)
        self.login(self.director)
        page = self.client.get("/retention/legal-holds/").content.decode()
        self.assertIn("records (Loans, Registration (name, contact, card))", page)
        self.assertNotIn("circulation,registration", page)
        self.client.get(f"/patrons/{self.patron.id}/")  # an access-log entry for the review
        data = build.build(Actor.for_user(self.privacy))
        raw = pdf.render(data)
        from tests.privacy.test_audit_report import pdf_text as audit_text

        _pages, text = audit_text(raw)
        self.assertIn("2026-CR-0042", text)
        self.assertIn("Loans, Registration (name, contact, card)", text)
        self.assertIn("Director or designee", text)
        self.assertNotIn("circulation,registration", text)
        self.assertNotIn("'circulation', 'registration'", text)
        for code in ("computer_use", "database_search", "person_in_charge", "privacy_officer"):
            self.assertNotIn(code, text)
        # Every word of the inventory's category names is printed whole: no cell breaks one.
        flat = re.sub(r"\s+", " ", text)
        for key in ("registration", "circulation", "holds", "ill", "programs", "computer_use", "camera",
                    "reference", "database_search"):
            for word in words.category(key).replace("(", " ").replace(")", " ").replace(",", " ").split():
                self.assertIn(word, flat, f"{word!r} of {words.category(key)!r} is broken or missing")
        self.assertIn("Who Role Entries Patrons Categories", flat)  # table headings whole too
        self.assertIn(data["meta"]["generated_at"], text)  # the library's time, with its zone
        self.assertTrue(data["meta"]["generated_at"].endswith(("PST", "PDT")))
