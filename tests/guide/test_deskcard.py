"""The desk card PDF: rendered, one page, with the engine's scripts and the library's contacts."""

import subprocess

import pypdfium2 as pdfium
import pytest

from quietdesk.guide import deskcard, procedure
from quietdesk.guide.defaults import seed_demo
from quietdesk.guide.models import Contact
from quietdesk.legal import scripts
from quietdesk.policy import explain
from tests.personas import PersonaTestCase


def pdf_text(data: bytes) -> tuple[int, str]:
    doc = pdfium.PdfDocument(data)
    try:
        pages = len(doc)
        text = " ".join(doc[i].get_textpage().get_text_range() for i in range(pages))
    finally:
        doc.close()
    return pages, " ".join(text.replace("\r", " ").replace("\n", " ").split())


@pytest.mark.slow  # runs pdftoppm
class DeskCardTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed_demo()

    def test_the_desk_card_is_one_page_with_the_scripts_and_the_contacts(self):
        self.login(self.desk)
        r = self.client.get("/guide/desk-card.pdf")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/pdf")
        pages, text = pdf_text(r.content)
        self.assertEqual(pages, 1)
        for situation in procedure.desk_card_situations():
            self.assertIn(" ".join(situation.say.split()), text)
            self.assertIn(situation.title, text)
        for key in deskcard.DO:
            self.assertIn(explain.ACTION_TEXT[key], text)
        # Issue 13: decline, never deceive; under a judge's warrant, what to do if they will not wait.
        self.assertIn(" ".join(scripts.NEVER_DECEIVE.split()), text)
        self.assertIn(scripts.IF_THEY_REFUSE, text)
        self.assertNotIn("Do not delay", text)
        for contact in Contact.objects.all():
            self.assertIn(contact.name, text)
            self.assertIn(contact.phone, text)
        self.assertIn("SALUTE", text)

    def test_the_card_renders_to_one_image(self):
        data = deskcard.render("Biblioteca Pública (prueba): ñ, é, “quotes”", Contact.objects.all())
        result = subprocess.run(["pdftoppm", "-r", "50", "-png"], input=data, capture_output=True, check=True,
                                timeout=60)
        pngs = result.stdout.count(b"\x89PNG\r\n\x1a\n")
        self.assertEqual(pngs, 1)
        self.assertIn("Biblioteca Pública (prueba): ñ, é, “quotes”", pdf_text(data)[1])

    def test_many_contacts_still_fit_on_one_page(self):
        for i in range(20):
            Contact.objects.create(kind="other", name=f"Extra contact {i}", phone=f"555-01{i:02d}",
                                   after_hours="555-0000", email=f"c{i}@library.invalid", note="Call first")
        pages, text = pdf_text(deskcard.render("Library", Contact.objects.all()))
        self.assertEqual(pages, 1)
        self.assertIn("Extra contact 19", text)

    def test_no_contacts_says_so(self):
        Contact.objects.all().delete()
        pages, text = pdf_text(deskcard.render("Library", []))
        self.assertEqual(pages, 1)
        self.assertIn("No contacts yet", text)
