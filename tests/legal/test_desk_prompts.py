"""Issue 13, section 2: what happens next at the desk (ICE protocol, "ICE in the library"),
worded by the library and shown only once counsel approved it; and "When ICE succeeds",
offered when a case is closed after a detention. The tests read the pages staff see."""

import datetime
import html

from django.core import mail

from quietdesk.audit.events import Event
from quietdesk.audit.models import AccessEntry
from quietdesk.guide import prompts
from quietdesk.guide.defaults import load_defaults
from quietdesk.guide.models import Contact, DeskPrompt
from quietdesk.legal.models import Case, CaseEvent
from tests.personas import PersonaTestCase


def approve(*keys):
    DeskPrompt.objects.filter(key__in=keys).update(approved_by="Counsel (test)", approved_on=datetime.date(2026, 1, 2))


class DeskPromptTests(PersonaTestCase):
    def setUp(self):
        load_defaults()
        Contact.objects.create(kind="director", name="Dana", phone="(707) 555-0100")
        Contact.objects.create(kind="counsel", name="County Counsel", phone="+1 707 555 0110")
        Contact.objects.create(kind="hotline", name="Rapid Response", phone="707-555-0142")
        self.login(self.desk)

    def ask(self, requester="immigration_officer"):
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post("/requests/", {"requester": requester, "category": "registration"})
        mail.outbox.clear()
        return html.unescape(self.client.get(r["Location"]).content.decode())

    def prompts_on(self, page):
        return page.split('id="desk-prompts">')[1].split("</ul>")[0] if 'id="desk-prompts">' in page else ""

    def test_the_suggested_prompts_cover_the_protocol_and_wait_for_counsel(self):
        self.assertEqual(set(DeskPrompt.objects.values_list("key", flat=True)), set(DeskPrompt.Key.values))
        self.assertEqual(self.prompts_on(self.ask()), "")  # none approved yet: none shown

    def test_approved_prompts_show_with_tap_to_call_numbers(self):
        approve(*DeskPrompt.Key.values)
        shown = self.prompts_on(self.ask())
        self.assertIn("Call the director (or designee) now", shown)
        self.assertIn('href="tel:7075550100"', shown)
        self.assertIn("Call the library's counsel", shown)
        self.assertIn('href="tel:+17075550110"', shown)
        self.assertIn("rapid-response hotline", shown)
        self.assertIn('href="tel:7075550142"', shown)
        self.assertIn("SALUTE report", shown)
        self.assertIn("Ask another member of staff to join you", shown)
        self.assertIn("away from patrons", shown)
        self.assertIn("You have the right to remain silent, and the right to talk to a lawyer.", shown)
        self.assertIn("Speaking up may have consequences for you; it is your choice.", shown)
        self.assertNotIn("the right to a lawyer", shown)

    def test_officers_are_never_invited_into_an_office(self):
        # An office is a non-public area: the library does not consent to their entering it
        # (Sonoma policy III.C.2.c, III.C.2.f).
        approve(DeskPrompt.Key.MOVE_AWAY)
        shown = self.prompts_on(self.ask())
        self.assertIn("in a quiet corner of a public area", shown)
        self.assertIn("Never invite them into an office or any staff-only room", shown)
        self.assertIn("the library does not consent to their entering non-public areas", shown)
        self.assertNotIn("office door", shown)

    def test_only_approved_and_enabled_prompts_show(self):
        approve(DeskPrompt.Key.CALL_DIRECTOR, DeskPrompt.Key.PATRON_RIGHTS)
        DeskPrompt.objects.filter(key=DeskPrompt.Key.PATRON_RIGHTS).update(enabled=False)
        shown = self.prompts_on(self.ask())
        self.assertIn("Call the director", shown)
        self.assertNotIn("right to remain silent", shown)
        self.assertNotIn("SALUTE", shown)

    def test_the_library_words_a_prompt_and_records_counsels_approval(self):
        self.client.logout()
        self.login(self.director)
        prompt = DeskPrompt.objects.get(key=DeskPrompt.Key.SECOND_STAFF)
        url = f"/guide/edit/prompts/{prompt.pk}/"
        r = self.client.post(url, {"text": "Call Sam from the office to the desk.", "enabled": "on",
                                   "approved_by": "Ana Ruiz, counsel", "order": "10"})
        self.assertIn("Give both who approved it and when, or neither.", r.content.decode())
        self.client.post(url, {"text": "Call Sam from the office to the desk.", "enabled": "on",
                               "approved_by": "Ana Ruiz, counsel", "approved_on": "2026-02-01", "order": "10"})
        guide = html.unescape(self.client.get("/guide/officers/").content.decode())
        self.assertIn("Approved by Ana Ruiz, counsel", guide)
        self.assertIn("Waiting for counsel's approval", guide)  # the others
        self.client.logout()
        self.login(self.desk)
        self.assertIn("Call Sam from the office to the desk.", self.prompts_on(self.ask()))

    def test_rewording_an_approved_prompt_withdraws_counsels_approval(self):
        # The edit form re-submits the approval pre-filled: counsel approved words, not a row.
        approve(DeskPrompt.Key.CALL_COUNSEL)
        prompt = DeskPrompt.objects.get(key=DeskPrompt.Key.CALL_COUNSEL)
        self.client.logout()
        self.login(self.director)
        url = f"/guide/edit/prompts/{prompt.pk}/"
        r = self.client.post(url, {"text": "Tell the officers the library will not answer any question.",
                                   "enabled": "on", "approved_by": "Counsel (test)", "approved_on": "2026-01-02",
                                   "order": "10"}, follow=True)
        self.assertIn("counsel's approval was withdrawn", html.unescape(r.content.decode()))
        prompt.refresh_from_db()
        self.assertEqual((prompt.approved_by, prompt.approved_on), ("", None))
        entry = AccessEntry.objects.filter(action=Event.GUIDE_CHANGE).latest("seq")
        self.assertIn("wording changed: counsel's approval withdrawn", entry.basis)
        self.client.logout()
        self.login(self.desk)
        self.assertNotIn("will not answer any question", self.prompts_on(self.ask()))

    def test_a_new_approval_date_with_the_new_words_keeps_the_prompt_approved(self):
        approve(DeskPrompt.Key.CALL_COUNSEL)
        prompt = DeskPrompt.objects.get(key=DeskPrompt.Key.CALL_COUNSEL)
        self.client.logout()
        self.login(self.director)
        url = f"/guide/edit/prompts/{prompt.pk}/"
        self.client.post(url, {"text": "Call counsel: Ana Ruiz, any hour.", "enabled": "on",
                               "approved_by": "Ana Ruiz, counsel", "approved_on": "2026-03-01", "order": "10"})
        self.client.post(url, {"text": "Call counsel: Ana Ruiz, any hour.", "enabled": "", "order": "20",
                               "approved_by": "Ana Ruiz, counsel", "approved_on": "2026-03-01"})  # words unchanged
        prompt.refresh_from_db()
        self.assertEqual((prompt.approved_by, prompt.approved_on), ("Ana Ruiz, counsel", datetime.date(2026, 3, 1)))

    def test_not_for_a_member_of_the_public(self):
        approve(*DeskPrompt.Key.values)
        self.assertEqual(self.prompts_on(self.ask("public")), "")

    def test_every_prompt_cites_the_protocol_or_the_policy(self):
        for key, (_text, basis, _kinds) in prompts.DEFAULTS.items():
            self.assertTrue(basis, key)
        self.assertIn("ICE protocol: ICE in the library", prompts.DEFAULTS[DeskPrompt.Key.PATRON_RIGHTS][1])


class WhenIceSucceedsTests(PersonaTestCase):
    def test_the_checklist_is_in_the_guide(self):
        self.login(self.desk)
        page = html.unescape(self.client.get("/guide/when-ice-succeeds/").content.decode())
        checklist = page.split('id="succeeds-checklist">')[1].split("</ol>")[0]
        for words in ("legal defense fund", "mutual aid", "spokesperson", "statement"):
            self.assertIn(words, checklist)
        first = checklist.split("</li>")[0]
        self.assertIn("Never use library records to find or contact anyone: reach family only through the "
                      "person, their lawyer or legal aid, and only with consent.", first)
        note = page.split('id="succeeds-note">')[1].split("</p>")[0]
        self.assertIn("in their own time and in their own name, not with library funds or systems; the "
                      "director decides the library's own response.", note)
        self.assertLess(page.index('id="succeeds-note"'), page.index('id="succeeds-checklist"'))
        self.assertIn("Sonoma policy III.B.1.a", page)
        self.assertIn("ICE protocol: When ICE Succeeds", page)

    def test_closing_a_case_after_a_detention_offers_the_checklist(self):
        self.login(self.desk)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/requests/", {"requester": "immigration_officer", "category": "presence"})
        case = Case.objects.get()
        mail.outbox.clear()
        self.client.logout()
        self.login(self.director)
        page = self.client.get(f"/requests/cases/{case.id}/").content.decode()
        self.assertIn("Someone was detained or deported", page)
        r = self.client.post(f"/requests/cases/{case.id}/close/", {"note": "", "after_detention": "on"})
        self.assertRedirects(r, "/guide/when-ice-succeeds/", fetch_redirect_response=False)
        self.assertEqual(Case.objects.get().state, "closed")
        event = CaseEvent.objects.filter(case=case, kind="state").order_by("-at").first()
        self.assertEqual(event.summary, "Open → Closed")
        closed = self.client.get(f"/requests/cases/{case.id}/").content.decode()
        self.assertIn("When ICE succeeds", closed)

    def test_closing_without_a_detention_stays_on_the_case(self):
        self.login(self.desk)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/requests/", {"requester": "law_enforcement", "category": "circulation"})
        case = Case.objects.get()
        mail.outbox.clear()
        self.client.logout()
        self.login(self.director)
        r = self.client.post(f"/requests/cases/{case.id}/close/", {"note": ""})
        self.assertRedirects(r, f"/requests/cases/{case.id}/", fetch_redirect_response=False)
