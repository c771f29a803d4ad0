"""The staff guide: who sees what, editing by the director, drills played through the desk pages."""

import html
import re

from django.conf import settings
from django.test import override_settings

from quietdesk.audit.models import AccessEntry
from quietdesk.guide import drills, procedure
from quietdesk.guide.defaults import seed_demo
from quietdesk.guide.models import Contact, DrillCompletion, Note, Resource, Zone
from tests.personas import PersonaTestCase


def text(response) -> str:
    return html.unescape(response.content.decode())


class GuidePagesTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed_demo()

    def test_every_member_of_staff_reads_the_guide(self):
        for user in (self.desk, self.manager, self.director, self.privacy, self.admin):
            self.client.logout()
            self.login(user)
            for url in ("/guide/", "/guide/officers/", "/guide/areas/", "/guide/contacts/", "/guide/drills/",
                        "/guide/talking-points/", "/guide/self-care/", "/guide/resources/", "/guide/red-cards/",
                        "/guide/red-cards/es/", "/guide/qr/", "/guide/areas/signs/"):
                self.assertEqual(self.client.get(url).status_code, 200, f"{user.username} {url}")

    def test_the_officers_page_shows_the_engines_words(self):
        self.login(self.desk)
        page = text(self.client.get("/guide/officers/"))
        for situation in procedure.all_situations():
            self.assertIn(f'<blockquote class="say">{situation.say}</blockquote>', page)
        for step in procedure.STEPS:
            self.assertIn(step.title, page)
        self.assertIn("Staff workroom", page)  # the library's own areas
        self.assertIn("Dana Whitfield (demo)", page)  # and contacts

    def test_only_the_director_edits(self):
        contact = Contact.objects.first()
        for user in (self.desk, self.manager, self.privacy, self.admin):
            self.client.logout()
            self.login(user)
            self.assertEqual(self.client.get("/guide/edit/contacts/add/").status_code, 403)
            r = self.client.post(f"/guide/edit/contacts/{contact.id}/", {"kind": "director", "name": "Changed"})
            self.assertEqual(r.status_code, 403)
            self.assertEqual(self.client.post("/guide/edit/defaults/").status_code, 403)
        contact.refresh_from_db()
        self.assertNotEqual(contact.name, "Changed")
        self.assertNotIn("/guide/edit/", text(self.client.get("/guide/contacts/")))

    def test_director_adds_edits_and_deletes_with_an_access_log_entry(self):
        self.login(self.director)
        before = AccessEntry.objects.count()
        r = self.client.post("/guide/edit/contacts/add/", {
            "kind": "counsel", "name": "Night counsel", "phone": "555 0199", "after_hours": "", "email": "",
            "note": "", "order": "5"})
        self.assertEqual(r.status_code, 302)
        contact = Contact.objects.get(name="Night counsel")
        self.assertEqual(AccessEntry.objects.count(), before + 1)
        last = AccessEntry.objects.order_by("-seq").first()
        self.assertEqual((last.action, last.basis.endswith("added")), ("guide_change", True))
        r = self.client.post(f"/guide/edit/contacts/{contact.id}/", {
            "kind": "counsel", "name": "Night counsel", "phone": "555 0198", "order": "5"})
        self.assertEqual(r.status_code, 302)
        contact.refresh_from_db()
        self.assertEqual(contact.phone, "555 0198")
        self.assertIn("555 0198", text(self.client.get("/guide/contacts/")))
        r = self.client.post(f"/guide/edit/contacts/{contact.id}/delete/", {"confirm": "on"})
        self.assertEqual(r.status_code, 302)
        self.assertFalse(Contact.objects.filter(pk=contact.pk).exists())
        last = AccessEntry.objects.order_by("-seq").first()
        self.assertEqual((last.action, "delete" in last.basis), ("guide_change", True))

    def test_bad_input_is_shown_and_nothing_is_written(self):
        self.login(self.director)
        counts = (Contact.objects.count(), Zone.objects.count(), Resource.objects.count(), Note.objects.count())
        for kind in ("contacts", "areas", "resources", "notes"):
            r = self.client.post(f"/guide/edit/{kind}/add/", {})
            self.assertEqual(r.status_code, 200, kind)
            self.assertIn('role="alert"', r.content.decode(), kind)
        r = self.client.post("/guide/edit/resources/add/", {
            "kind": "legal", "name": "X", "languages_text": "en, klingon", "order": "1"})
        self.assertIn("Unknown language code(s): klingon", text(r))
        r = self.client.post("/guide/edit/notes/add/", {
            "section": "self_care", "title": "Numbers", "body": "Call 123-45-6789", "order": "1"})
        self.assertIn("Social Security", text(r))
        self.assertEqual(
            counts, (Contact.objects.count(), Zone.objects.count(), Resource.objects.count(), Note.objects.count()))
        self.assertEqual(self.client.get("/guide/edit/nothing/add/").status_code, 404)

    def test_hostile_input_to_the_editing_pages_never_500s(self):
        self.login(self.director)
        long = "x" * 100_000
        cases = [
            ("post", "/guide/edit/prompts/add/", {"key": "nope", "text": long}),
            ("post", "/guide/edit/prompts/add/", {"key": "salute", "text": "t", "approved_on": "99999-99-99",
                                                  "order": "999999999999999999999"}),
            ("post", "/guide/edit/reviews/add/", {"page": "rights", "reviewed_on": "0000-00-00", "reviewed_by": long}),
            ("post", "/guide/edit/unknown/add/", {}),
            ("post", "/guide/languages/", {"language": "xx", "state": "reviewed", "confirm": "on"}),
            ("post", "/guide/languages/", {"language": long, "state": long}),
            ("post", "/guide/when-ice-succeeds/", {}),
            ("get", "/guide/edit/prompts/00000000-0000-0000-0000-000000000000/", {}),
            ("post", "/guide/edit/prompts/00000000-0000-0000-0000-000000000000/delete/", {"confirm": "on"}),
        ]
        for method, url, data in cases:
            with self.subTest(url=url, data={k: v[:20] for k, v in data.items()}):
                self.assertLess(getattr(self.client, method)(url, data).status_code, 500)

    def test_a_resource_has_a_description_per_language(self):
        self.login(self.director)
        r = self.client.post("/guide/edit/resources/add/", {
            "kind": "immigration", "name": "Help Center", "phone": "555-0177", "url": "example.org/help",
            "languages_text": "es, en, vi", "description_en": "Walk-in help.", "description_es": "Ayuda sin cita.",
            "public": "on", "order": "1"})
        self.assertEqual(r.status_code, 302)
        res = Resource.objects.get(name="Help Center")
        self.assertEqual(res.languages, ["es", "en", "vi"])
        self.assertEqual(res.description, {"en": "Walk-in help.", "es": "Ayuda sin cita."})
        self.assertEqual(res.url, "https://example.org/help")
        es = text(self.client.get("/es/resources/"))
        self.assertIn("Ayuda sin cita.", es)
        self.assertIn("Español, Inglés, Vietnamita", es)  # the language's name in the page's language
        self.assertIn("Walk-in help.", text(self.client.get("/en/resources/")))

    def test_defaults_fill_only_empty_sections(self):
        Note.objects.all().delete()
        self.login(self.director)
        self.client.post("/guide/edit/defaults/")
        self.assertTrue(Note.objects.filter(section="talking_points").exists())
        count = Note.objects.count()
        self.client.post("/guide/edit/defaults/")
        self.assertEqual(Note.objects.count(), count)

    def test_signs_red_cards_and_qr_codes(self):
        self.login(self.desk)
        signs = text(self.client.get("/guide/areas/signs/"))
        self.assertIn("Solo personal", signs)
        self.assertIn("Staff only", signs)
        self.assertIn("Área pública", signs)
        self.assertEqual(signs.count('class="sign '), Zone.objects.count())
        es = text(self.client.get("/guide/red-cards/es/"))
        self.assertEqual(es.count('class="redcard"'), 8)
        self.assertIn("Usted tiene derecho a guardar silencio.", es)
        self.assertIn("http://testserver/es/know-your-rights/", es)
        self.assertIn("<svg", es)
        self.assertIn("You have the right to remain silent.", text(self.client.get("/guide/red-cards/en/")))
        self.assertEqual(self.client.get("/guide/red-cards/fr/").status_code, 404)
        qr = text(self.client.get("/guide/qr/"))
        self.assertEqual(qr.count("<svg"), 3 * len(settings.LANGUAGES))  # index, rights, resources per language
        self.assertIn("http://testserver/es/resources/", qr)


class DrillFlowTests(PersonaTestCase):
    def play(self, slug: str, pick_best: bool = True) -> str:
        drill = drills.load_all(None).drills[slug]
        for number, step in enumerate(drill.steps, 1):
            url = f"/guide/drills/{slug}/{number}/"
            self.assertIn(step.question, text(self.client.get(url)))
            index = next(i for i, c in enumerate(step.choices) if c.best == pick_best)
            page = text(self.client.post(url, {"choice": str(index)}))
            self.assertIn(step.best.feedback, page)
            self.assertIn("; ".join(step.best.cite), page)
            if not pick_best:
                self.assertIn("The better answer:", page)
        return text(self.client.post(f"/guide/drills/{slug}/done/"))

    def test_desk_plays_a_drill_and_only_the_completion_is_kept(self):
        self.login(self.desk)
        page = self.play("officer-in-public-area")
        self.assertIn("Score: 4/4", page)
        completion = DrillCompletion.objects.get(staff=self.desk)
        self.assertEqual((completion.drill, completion.score, completion.out_of), ("officer-in-public-area", 4, 4))
        self.assertNotIn("qd_drill", self.client.session)
        # Again, badly: the latest attempt replaces the first, still one row.
        self.assertIn("Score: 0/4", self.play("officer-in-public-area", pick_best=False))
        self.assertEqual(DrillCompletion.objects.filter(staff=self.desk).count(), 1)
        self.assertEqual(DrillCompletion.objects.get(staff=self.desk).score, 0)

    def test_the_first_answer_counts(self):
        self.login(self.desk)
        drill = drills.load_all(None).drills["i200-asking-for-address"]
        wrong = next(i for i, c in enumerate(drill.steps[0].choices) if not c.best)
        self.client.post("/guide/drills/i200-asking-for-address/1/", {"choice": str(wrong)})
        self.client.post("/guide/drills/i200-asking-for-address/1/", {"choice": str(drill.steps[0].choices.index(drill.steps[0].best))})
        best = drill.steps[1].choices.index(drill.steps[1].best)
        self.client.post("/guide/drills/i200-asking-for-address/2/", {"choice": str(best)})
        self.assertIn("Score: 1/2", text(self.client.post("/guide/drills/i200-asking-for-address/done/")))

    def test_bad_answers_and_missing_steps(self):
        self.login(self.desk)
        for data in ({}, {"choice": "99"}, {"choice": "x"}):
            r = self.client.post("/guide/drills/officer-in-public-area/1/", data)
            self.assertEqual(r.status_code, 200)
            self.assertIn("Choose one answer.", r.content.decode())
        self.assertEqual(self.client.get("/guide/drills/officer-in-public-area/5/").status_code, 404)
        self.assertEqual(self.client.get("/guide/drills/officer-in-public-area/0/").status_code, 404)
        self.assertEqual(self.client.get("/guide/drills/no-such-drill/").status_code, 404)
        r = self.client.post("/guide/drills/officer-in-public-area/done/")
        self.assertRedirects(r, "/guide/drills/officer-in-public-area/1/", fetch_redirect_response=False)
        self.assertFalse(DrillCompletion.objects.exists())

    def test_training_records_are_for_the_person_in_charge(self):
        self.login(self.desk)
        self.play("search-warrant-computer-records")
        self.assertEqual(self.client.get("/guide/training/").status_code, 403)
        for user in (self.manager, self.director, self.privacy):
            self.client.logout()
            self.login(user)
            page = text(self.client.get("/guide/training/"))
            self.assertIn("A search warrant for computer records", page)
            self.assertIn("4/4", page)
            self.assertRegex(page, re.compile(r"desk: 1 of 10"))

    def test_library_drills_and_bad_files_from_the_drills_directory(self):
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "broken.yaml").write_text("title: [\n", encoding="utf-8")
            (Path(tmp) / "ours.yaml").write_text(
                "title: Our own drill\nsource: Us\nsummary: Local.\nsteps:\n"
                "  - situation: S\n    question: Q?\n    choices:\n"
                "      - {text: A, best: true, cite: Our policy, feedback: Right}\n"
                "      - {text: B, feedback: Wrong}\n", encoding="utf-8")
            with override_settings(DRILLS_DIR=Path(tmp)):
                self.login(self.director)
                page = text(self.client.get("/guide/drills/"))
                self.assertIn("Our own drill", page)
                self.assertIn("broken.yaml</code>, line 2: is not valid YAML", page)
                self.client.logout()
                self.login(self.desk)
                page = text(self.client.get("/guide/drills/"))
                self.assertIn("Our own drill", page)
                self.assertNotIn("broken.yaml", page)
                self.assertIn("1 drill file(s) could not be loaded", page)
