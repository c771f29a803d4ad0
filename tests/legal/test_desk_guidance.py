"""The guidance page for a person with an officer in front of them: who to call (from the
guide's contacts, tap to call), what the document is and names (from the document reader),
a photo that could not be read (a retake), and what the director confirms on the case."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from quietdesk.guide.models import Contact
from quietdesk.legal.models import Case, CaseDocument
from tests.legal.helpers import png_file
from tests.personas import PersonaTestCase

ORDER = (Path(__file__).resolve().parents[1] / "documents" / "corpus" / "co_ca_production.txt").read_text()


def order_pdf() -> SimpleUploadedFile:
    """The court order as a PDF with a text layer (read without OCR: fast)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in ORDER.splitlines():
        pdf.multi_cell(0, 6, line.encode("latin-1", "replace").decode("latin-1") or " ",
                       new_x="LMARGIN", new_y="NEXT")
    return SimpleUploadedFile("order.pdf", bytes(pdf.output()), content_type="application/pdf")


@override_settings(QUIETDESK_DIRECTOR_EMAIL=[], QUIETDESK_DIRECTOR_PHONE="")
class GuidancePageTests(PersonaTestCase):
    def setUp(self):
        Contact.objects.create(kind="director", name="Dana", phone="(707) 555-0100", after_hours="707 555 0101")
        Contact.objects.create(kind="designee", name="Luis", phone="707-555-0102")
        Contact.objects.create(kind="counsel", name="County Counsel", phone="+1 707 555 0110")
        self.login(self.desk)

    def ask(self, files, **data):
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post("/requests/", {"requester": "law_enforcement", "document": "read", "files": files,
                                                **data})
        return Case.objects.order_by("-opened_at").first(), r["Location"]

    def test_call_buttons_the_true_notice_and_the_document_summary(self):
        case, url = self.ask([order_pdf()])
        page = self.client.get(url).content.decode()
        # Tap to call the director and counsel, right under the verdict (the designee when there is no director).
        calls = page[page.index('id="verdict"'):page.index('id="say"')]
        self.assertIn('href="tel:7075550100"', calls)
        self.assertIn('href="tel:+17075550110"', calls)
        self.assertIn("Call counsel", calls)
        self.assertNotIn("designee", calls)
        # Never a notice that was not sent: no email is configured here.
        self.assertIn("No director email is set up", page)
        self.assertNotIn("has been emailed", page)
        # What the document is, in plain words.
        summary = page[page.index('id="document-summary"'):]
        for words in ("Court order signed by a judge", "a judge (Judge of the Superior Court)", "4 June 2025",
                      "Expired", "Records named", "1 found (in the case file, for the director)"):
            self.assertIn(words, summary)
        # The desk sees facts about the document only: what it names stays sealed in the case file.
        doc = CaseDocument.objects.get(case=case)
        self.assertEqual(doc.facts["named"], {"persons": 0, "premises": 0, "records": 1})
        self.assertNotIn("tax clinic", str(doc.facts))
        self.assertNotIn(b"tax clinic", bytes(doc.reading_ct))

    def test_the_director_confirms_what_the_reader_found(self):
        case, url = self.ask([order_pdf()])
        self.client.logout()
        self.login(self.director)
        page = self.client.get(url).content.decode()
        self.assertIn("the program sign-in sheet for the May 17, 2025 tax clinic", page)
        case_page = self.client.get(f"/requests/cases/{case.id}/").content.decode()
        self.assertIn('id="prefilled"', case_page)
        self.assertIn('<option value="programs" selected>', case_page)
        scope = self.client.get(f"/requests/cases/{case.id}/scope/").content.decode()
        self.assertIn('id="prefilled"', scope)
        self.assertIn('value="court_order" selected', scope)

    def test_a_photo_that_cannot_be_read_offers_a_retake(self):
        case, url = self.ask([png_file()])
        page = self.client.get(url).content.decode()
        self.assertIn("The photo could not be read.", page)
        self.assertIn("Lay the page flat", page)
        self.assertEqual(case.document, "unknown")
        r = self.client.post(f"/requests/desk/{case.id}/retake/", {"retake-files": [order_pdf()]})
        self.assertRedirects(r, url, fetch_redirect_response=False)
        case.refresh_from_db()
        self.assertEqual((case.document, case.document_source), ("court_order", "reader"))
        page = self.client.get(url).content.decode()
        self.assertNotIn("The photo could not be read.", page)
        self.assertIn("Court order signed by a judge", page)
        # A retake with nothing in it changes nothing and says why.
        r = self.client.post(f"/requests/desk/{case.id}/retake/", {}, follow=True)
        self.assertContains(r, "Nothing was added")
