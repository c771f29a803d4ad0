"""The public privacy notice is generated from the configuration, in English and Spanish."""

import tempfile
from pathlib import Path

from django.test import TestCase, override_settings

from quietdesk.guide import privacy_notice
from quietdesk.privacy import vendor_register as vendors
from quietdesk.privacy.models import Vendor
from quietdesk.retention import schedule


class NoticeTests(TestCase):
    def page(self, language: str) -> str:
        r = self.client.get(f"/{language}/privacy/")
        self.assertEqual(r.status_code, 200)
        self.assertLess(len(r.content), 20_000)
        return r.content.decode()

    def test_every_part_the_issue_asks_for_in_both_languages(self):
        en, es = self.page("en"), self.page("es")
        for text in ("In short", "What the library keeps, why, and for how long", "Why:", "How long:",
                     "Who can see it:", "If police or immigration officers ask", "Your rights",
                     "The library&#x27;s systems and other companies&#x27; systems", "Statistics"):
            self.assertIn(text, en)
        for text in ("En resumen", "Lo que guarda la biblioteca, para qué y por cuánto tiempo", "Para qué:",
                     "Cuánto tiempo:", "Quién puede verlo:", "Si la policía o los agentes de inmigración preguntan",
                     "Los sistemas de la biblioteca y los de otras empresas", "Estadísticas"):
            self.assertIn(text, es)
        self.assertLess(en.index("In short"), en.index("What the library keeps, why"))  # the summary is on top
        # Each language's notice links the transparency report in that language.
        self.assertIn('href="/en/transparency/"', en)
        self.assertIn('href="/es/transparency/"', es)

    def test_the_notice_promises_no_more_than_the_policy_about_officers(self):
        """Sonoma III.B.3, III.C.2.i; ALA Q&A 26: the desk hands over nothing on its own, and the
        library gives records on a judge's document or a subpoena the law compels it to answer."""
        en = self.page("en").replace("&#x27;", "'")
        self.assertIn("Staff at the desk hand over nothing on their own: the director is called first.", en)
        self.assertIn("only when an order or warrant signed by a judge requires it, or when the library director "
                      "and the library's lawyer conclude that the law compels it to answer a subpoena; and then "
                      "only what the document names.", en)
        self.assertIn("The records given are preserved with a copy of the document.", en)
        for stale in ("never hand over records", "get nothing without an order signed by a judge",
                      "Only an order signed by a judge"):
            self.assertNotIn(stale, en)
        es = self.page("es")
        self.assertIn("se llama primero al director", es)
        self.assertIn("la ley la obliga a responder a una citación", es)

    def test_a_retention_setting_changes_the_notice(self):
        before_en, before_es = self.page("en"), self.page("es")
        self.assertIn("Sign-up lists are deleted 1 day after the program", before_en)
        self.assertIn("Las inscripciones se borran 1 día después del programa", before_es)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "schedule.toml"
            path.write_text("[programs]\nregistration_days_after_program = 3\n[reference]\nfollow_up_note_days = 5\n"
                            "[circulation]\nreading_history_days = 90\n", encoding="utf-8")
            with override_settings(QUIETDESK_RETENTION_SCHEDULE=str(path)):
                schedule.reset()
                try:
                    en, es = self.page("en"), self.page("es")
                finally:
                    schedule.reset()
        self.assertIn("Sign-up lists are deleted 3 days after the program", en)
        self.assertIn("Las inscripciones se borran 3 días después del programa", es)
        self.assertIn("destroyed within 5 days", en)
        self.assertIn("se destruye en 5 días como máximo", es)
        self.assertIn("each entry is deleted 90 days after the return", en)
        self.assertNotIn("Sign-up lists are deleted 1 day", en)

    def test_vendors_statistics_and_contact_come_from_the_configuration(self):
        self.assertIn("lists no outside company", self.page("en"))
        Vendor.objects.create(name="OverDrive", categories="circulation,holds")
        Vendor.objects.create(name="")  # an unnamed, incomplete entry is not shown to the public
        en, es = self.page("en"), self.page("es")
        self.assertIn("OverDrive holds: What you borrow and return; Items you place on hold.", en)
        self.assertIn("OverDrive guarda: Lo que usted pide prestado y devuelve", es)
        with override_settings(QUIETDESK_DP_EPSILON_BUDGET=1.5, QUIETDESK_PRIVACY_CONTACT="Privacy office, Main Library"):
            en = self.page("en")
        self.assertIn("epsilon) is 1.5 per month", en)
        self.assertIn("Privacy office, Main Library", en)
        self.assertNotIn("Questions about your privacy</h2>", self.page("en"))

    def test_the_notice_follows_the_policy_engine(self):
        keys = [s.key for s in privacy_notice.sections("en")]
        self.assertEqual(keys[:2], ["summary", "keeps"])
        self.assertTrue({"requests", "vendors", "statistics"} <= set(keys))

    def test_vendor_promises_come_only_from_confirmed_clauses(self):
        """ALA Q&A 22: the notice claims a contract protects patrons only where the register
        confirms the clause, and says plainly where it does not (issue 13, section 5)."""
        Vendor.objects.create(name="Shelfware", categories="circulation")
        Vendor.objects.create(name="Printco", categories="computer_use", clauses={"no_sale": True, "legal_requests": True})
        Vendor.objects.create(name="Fullcover", categories="holds",
                              clauses={key: True for key, _label in vendors.CLAUSES})
        en, es = self.page("en"), self.page("es")
        self.assertNotIn("contracts require them to protect", en)
        self.assertIn("Shelfware holds: What you borrow and return. The library has not confirmed any privacy "
                      "clause in its contract.", en)
        self.assertIn("Printco holds: Your use of public computers and Wi-Fi. The library has confirmed that its "
                      "contract requires it to: not sell, share or rent your information; send any request for "
                      "your information, from police or anyone else, to the library. The library has not confirmed "
                      "that the contract requires it to: use your information only", en)
        fullcover = next(item for item in en.split("<li>") if "Fullcover holds" in item).split("</li>")[0]
        self.assertNotIn("has not confirmed", fullcover)
        self.assertIn("encrypt your information", fullcover)
        self.assertIn("Shelfware guarda: Lo que usted pide prestado y devuelve. La biblioteca no ha confirmado "
                      "ninguna cláusula de privacidad en su contrato.", es)
