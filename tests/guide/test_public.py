"""Patron pages: no sign-in, no cookies, no session, no scripts, nothing from elsewhere, every word translated."""

import html
import re
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import TestCase

from quietdesk.guide import privacy_notice, translations
from quietdesk.guide.defaults import seed_demo
from tests.personas import PersonaTestCase

PAGES = ("", "privacy/", "what-we-keep/", "your-records/", "resources/", "know-your-rights/")
LANGUAGES = [code for code, _ in settings.LANGUAGES]
CATALOG = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.po"


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(page).split())


class PublicPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        from quietdesk.core.models import Branch

        Branch.objects.create(code="central", name="Central")
        seed_demo()

    def test_every_page_in_every_language_is_public_and_sets_nothing(self):
        for language in LANGUAGES:
            for page in PAGES:
                url = f"/{language}/{page}"
                r = self.client.get(url)
                self.assertEqual(r.status_code, 200, url)
                self.assertNotIn("Set-Cookie", r.headers, url)
                self.assertEqual(r.cookies, {}, url)
                self.assertEqual(r["Content-Language"], language, url)
                body = r.content.decode()
                direction = "rtl" if language == "ar" else "ltr"
                self.assertIn(f'<html lang="{language}" dir="{direction}">', body, url)
                self.assertIn("default-src 'self'", r["Content-Security-Policy"], url)
                self.assertNotRegex(body, r"<script|<iframe|<img|<object|<embed|\sstyle=|\son[a-z]+=", url)
                for tag in re.findall(r"<link\b[^>]*>", body):
                    self.assertRegex(tag, r'href="/', f"{url}: {tag}")
                self.assertLess(len(r.content), 20_000, f"{url} is too heavy for an old phone")
        self.assertEqual(Session.objects.count(), 0)

    def test_translated_pages_show_no_english_catalog_string(self):
        """Every string the pages use is in each catalog and translated: no English msgid shows through.

        The languages are marked reviewed first: the "not yet reviewed" notice is shown in
        English too on purpose (tests/guide/test_languages.py).
        """
        from quietdesk.guide.models import TranslationReview

        for language in LANGUAGES[1:]:
            TranslationReview.objects.update_or_create(language=language, defaults={"reviewed": True})
            catalog = translations.catalog_path(CATALOG.parents[2], language)
            entries = [e for e in translations.parse_po(catalog) if e.msgstr and e.msgstr[0] != e.msgid]
            seen = 0
            for page in PAGES:
                text = visible_text(self.client.get(f"/{language}/{page}").content.decode())
                for e in entries:
                    english = " ".join(e.msgid.split("%(")[0].split())
                    if len(english) > 12:
                        self.assertNotIn(english, text, f"/{language}/{page} shows English: {english!r}")
                seen += len(text)
            self.assertGreater(seen, 2000, language)
        self.assertIn("Conozca sus derechos", visible_text(self.client.get("/es/know-your-rights/").content.decode()))
        self.assertIn("اعرف حقوقك", visible_text(self.client.get("/ar/know-your-rights/").content.decode()))

    def test_language_is_the_url_prefix_only(self):
        self.assertEqual(self.client.get("/fr/").status_code, 404)
        self.assertEqual(self.client.get("/know-your-rights/").status_code, 404)
        r = self.client.get("/en/", HTTP_ACCEPT_LANGUAGE="es", HTTP_COOKIE="django_language=es")
        self.assertIn("Your privacy at the library", r.content.decode())
        r = self.client.get("/es/")
        self.assertIn('href="/en/"', r.content.decode())  # the switch is a plain link
        self.assertIn('hreflang="en" lang="en">English</a>', r.content.decode())

    def test_the_privacy_notice_is_built_from_sections_others_can_add(self):
        keys = [s.key for s in privacy_notice.sections("en")]
        guide_keys = ["keeps", "never", "protection", "who", "rights"]  # others (stats) add sections around them
        self.assertEqual([k for k in keys if k in guide_keys], guide_keys)
        privacy_notice.register("extra", lambda language: privacy_notice.Section("extra", "Cookies on this site", ["None at all."]), 45)
        try:
            body = self.client.get("/en/privacy/").content.decode()
            self.assertIn("Cookies on this site", body)
            self.assertLess(body.index("Who can see your records"), body.index("Cookies on this site"))
        finally:
            privacy_notice._BUILDERS.pop("extra")

    def test_what_we_keep_uses_the_retention_schedule_when_there_is_one(self):
        import quietdesk.retention as retention

        had = hasattr(retention, "public_schedule")
        original = getattr(retention, "public_schedule", None)
        try:
            retention.public_schedule = lambda: {"circulation": "Until you return the item", "bogus": "x"}
            en = self.client.get("/en/what-we-keep/").content.decode()
            self.assertIn("<td>What you borrow and return</td><td>Until you return the item</td>", en)
            self.assertIn("Only as long as it is needed, then deleted", en)  # what the schedule leaves out
            self.assertNotIn("bogus", en)
            # Not translated by the retention app: shown in English, marked as English, and listed.
            es = self.client.get("/es/what-we-keep/").content.decode()
            self.assertIn('<td lang="en">Until you return the item</td>', es)
            self.assertEqual(privacy_notice.untranslated_periods("es"), ["circulation"])

            def translated():
                from django.utils.translation import get_language

                return {"circulation": "Hasta que lo devuelva" if get_language() == "es" else "Until returned"}

            retention.public_schedule = translated
            es = self.client.get("/es/what-we-keep/").content.decode()
            self.assertIn("<td>Hasta que lo devuelva</td>", es)
            self.assertEqual(privacy_notice.untranslated_periods("es"), [])

            def broken():
                raise ValueError("bad schedule")

            retention.public_schedule = broken
            self.assertEqual(self.client.get("/es/what-we-keep/").status_code, 200)
            del retention.public_schedule
            self.assertEqual(privacy_notice.retention_periods("en"), {})
        finally:
            if had:
                retention.public_schedule = original
            elif hasattr(retention, "public_schedule"):
                del retention.public_schedule


class StaffStayInEnglishTests(PersonaTestCase):
    def test_staff_pages_ignore_the_browser_language(self):
        self.login(self.desk)
        r = self.client.get("/guide/", HTTP_ACCEPT_LANGUAGE="es")
        self.assertIn("Staff guide", r.content.decode())
        self.assertNotIn("Content-Language", r.headers)
        r = self.client.post("/guide/edit/contacts/add/", {}, HTTP_ACCEPT_LANGUAGE="es")
        self.assertEqual(r.status_code, 403)

    def test_a_signed_in_member_of_staff_reads_the_patron_pages_too(self):
        self.login(self.desk)
        self.assertEqual(self.client.get("/es/").status_code, 200)
