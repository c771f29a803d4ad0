"""The patron pages in every language: lang and dir, the "not yet reviewed" notice, ILRC red-card links."""

import html
import re
from pathlib import Path

from django.conf import settings

from quietdesk.audit.models import AccessEntry
from quietdesk.guide import redcards
from quietdesk.guide.defaults import seed_demo
from quietdesk.guide.models import TranslationReview
from tests.personas import PersonaTestCase

PATRON_PAGES = ("", "privacy/", "what-we-keep/", "your-records/", "resources/", "know-your-rights/", "transparency/")
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
NOTICE = {  # what a patron reads, in the page's language (the English copy is checked separately)
    "es": "Esta traducción todavía no ha sido revisada por una persona.",
    "zh-hans": "此翻译尚未经过人工审核。",
    "vi": "Bản dịch này chưa được một người xem xét lại.",
    "ht": "Pèsonn poko revize tradiksyon sa a.",
    "ar": "لم يراجع أي شخص هذه الترجمة بعد.",
}
ENGLISH_NOTICE = "This translation has not yet been reviewed by a person."


def body(response) -> str:
    return html.unescape(response.content.decode())


def visible(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", body(response)).split())


class PatronPageLanguagesTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed_demo()

    def test_the_four_new_languages_are_offered_one_of_them_right_to_left(self):
        self.assertEqual(set(NOTICE), set(TRANSLATED))
        switcher = body(self.client.get("/en/"))
        for code, name in settings.LANGUAGES:
            self.assertIn(f'lang="{code}">{name}</a>', switcher)

    def test_each_language_renders_each_patron_page_with_lang_and_dir(self):
        for code, _name in settings.LANGUAGES:
            direction = "rtl" if code == "ar" else "ltr"
            for page in PATRON_PAGES:
                url = f"/{code}/{page}"
                r = self.client.get(url)
                self.assertEqual(r.status_code, 200, url)
                self.assertIn(f'<html lang="{code}" dir="{direction}">', body(r), url)
                self.assertEqual(r["Content-Language"], code, url)

    def test_an_unreviewed_translation_says_so_in_its_language_and_in_english_on_every_page(self):
        self.assertFalse(TranslationReview.objects.filter(reviewed=True).exists())
        for code in TRANSLATED:
            for page in PATRON_PAGES:
                text = visible(self.client.get(f"/{code}/{page}"))
                self.assertIn(NOTICE[code], text, f"/{code}/{page}")
                self.assertIn(ENGLISH_NOTICE, text, f"/{code}/{page}")
        # The English copy is marked as English and left to right, inside an Arabic page.
        ar = body(self.client.get("/ar/privacy/"))
        self.assertRegex(ar, r'<p lang="en" dir="ltr"><strong>' + re.escape(ENGLISH_NOTICE))
        self.assertIn('href="/en/privacy/" hreflang="en"', ar)
        for page in PATRON_PAGES:  # English is the original: no notice
            self.assertNotIn(ENGLISH_NOTICE, visible(self.client.get(f"/en/{page}")))

    def test_spanish_starts_not_reviewed_by_a_data_choice(self):
        row = TranslationReview.objects.get(language="es")
        self.assertFalse(row.reviewed)

    def test_the_director_marks_a_language_reviewed_and_its_notice_disappears(self):
        self.login(self.director)
        page = visible(self.client.get("/guide/languages/"))
        self.assertIn("Kreyòl ayisyen (ht) No: pages show the notice", page)
        before = AccessEntry.objects.count()
        r = self.client.post("/guide/languages/", {"language": "ht", "state": "reviewed", "confirm": "on"})
        self.assertRedirects(r, "/guide/languages/")
        self.assertEqual(AccessEntry.objects.count(), before + 1)
        last = AccessEntry.objects.order_by("-seq").first()
        self.assertEqual((last.action, last.basis), ("guide_change", "translation ht marked reviewed by a person"))
        self.client.logout()
        for page in PATRON_PAGES:
            self.assertNotIn(NOTICE["ht"], visible(self.client.get(f"/ht/{page}")))
            self.assertNotIn(ENGLISH_NOTICE, visible(self.client.get(f"/ht/{page}")))
            self.assertIn(NOTICE["vi"], visible(self.client.get(f"/vi/{page}")))  # the others still say it
        self.login(self.director)
        self.assertIn("Kreyòl ayisyen (ht) Yes", visible(self.client.get("/guide/languages/")))
        self.client.post("/guide/languages/", {"language": "ht", "state": "not_reviewed"})
        self.client.logout()
        self.assertIn(NOTICE["ht"], visible(self.client.get("/ht/")))

    def test_marking_reviewed_needs_the_confirmation_and_only_the_director_may(self):
        self.login(self.director)
        before = AccessEntry.objects.count()
        r = self.client.post("/guide/languages/", {"language": "ar", "state": "reviewed"})
        self.assertEqual(r.status_code, 200)
        self.assertIn("Tick this to confirm that a person has reviewed the translation.", visible(r))
        self.assertFalse(TranslationReview.objects.filter(language="ar", reviewed=True).exists())
        self.assertEqual(AccessEntry.objects.count(), before)
        for bad in ({}, {"language": "fr", "state": "reviewed", "confirm": "on"}, {"language": "ar", "state": "x"}):
            self.assertEqual(self.client.post("/guide/languages/", bad).status_code, 200)
        self.assertFalse(TranslationReview.objects.filter(reviewed=True).exists())
        for user in (self.desk, self.manager, self.privacy, self.admin):
            self.client.logout()
            self.login(user)
            self.assertEqual(self.client.get("/guide/languages/").status_code, 403)
            r = self.client.post("/guide/languages/", {"language": "ar", "state": "reviewed", "confirm": "on"})
            self.assertEqual(r.status_code, 403)
        self.assertFalse(TranslationReview.objects.filter(reviewed=True).exists())

    def test_red_card_links_point_to_the_ilrc_edition_or_the_ilrc_page_with_a_note(self):
        for code, expected in (("en", redcards.EDITIONS["en"]), ("es", redcards.EDITIONS["es"]),
                               ("ht", redcards.EDITIONS["ht"])):
            r = body(self.client.get(f"/{code}/know-your-rights/"))
            self.assertIn(f'<a href="{expected}" rel="noreferrer">', r, code)
        self.assertIn("Kat wouj ILRC a nan lang sa a (PDF)", visible(self.client.get("/ht/know-your-rights/")))
        notes = {"vi": "Trang đó bằng tiếng Anh. Trên trang đó, hãy chọn thẻ bằng ngôn ngữ của quý vị.",
                 "zh-hans": "该页面是英文的。请在该页面上选择您的语言版本的卡片。",
                 "ar": "تلك الصفحة باللغة الإنجليزية. اختر فيها البطاقة بلغتك."}
        for code, note in notes.items():
            r = self.client.get(f"/{code}/know-your-rights/")
            self.assertIn(f'<a href="{redcards.ILRC_PAGE}" rel="noreferrer" hreflang="en">', body(r), code)
            self.assertIn(note, visible(r), code)
        self.assertTrue(all(url.startswith("https://www.ilrc.org/") for url in redcards.EDITIONS.values()))

    def test_staff_sheets_write_arabic_right_to_left(self):
        self.login(self.desk)
        sheet = body(self.client.get("/guide/red-cards/ar/"))
        self.assertIn('<div class="redcards" lang="ar" dir="rtl">', sheet)
        self.assertIn("لك الحق في التزام الصمت.", sheet)
        self.assertIn('<div class="sign-lang" lang="ar" dir="rtl">', body(self.client.get("/guide/areas/signs/")))
        cards = body(self.client.get("/guide/red-cards/"))
        self.assertIn(f'<a href="{redcards.EDITIONS["ht"]}" rel="noreferrer">the ILRC\'s card in this language</a>', cards)
        self.assertIn("no ILRC file linked for this language", cards)


def test_patron_page_css_uses_logical_properties_so_it_works_right_to_left():
    static = Path(settings.BASE_DIR)
    for css in ("guide/static/quietdesk/public.css", "guide/static/quietdesk/guide.css"):
        text = (static / css).read_text(encoding="utf-8")
        assert not re.search(r"(margin|padding|border)-(left|right)\b|text-align:\s*(left|right)|[\s{;](left|right)\s*:",
                             text), css
    site = (static / "core/static/quietdesk/site.css").read_text(encoding="utf-8")
    for rule in (".skip { position:absolute; inset-inline-start:-999px; }", "margin-inline-end:auto",
                 "text-align:start", "padding-inline-start: 40%"):
        assert rule in site
