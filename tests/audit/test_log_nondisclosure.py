"""The access-log page never shows a request under non-disclosure to anyone but the
director or designee (security review, finding 5). Stored entries are never altered:
they are left out when shown, so the hash chain still verifies."""

import re

from django.core import mail

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.audit.verify import verify
from quietdesk.legal import production, services
from quietdesk.legal.models import Production
from tests.legal.helpers import png_file, upload
from tests.personas import PersonaTestCase

CARD = "21000000000001"


class NondisclosureLogTests(PersonaTestCase):
    def matches_patron(self, ref):
        from quietdesk.vault import api

        return api.ref_matcher([self.patron.id])(ref)

    def open_case(self, document):
        photo = upload()
        photo.reading = {"kind": document, "signed_by_judge": True}
        return services.do_open_case(Actor.for_user(self.desk), {
            "requester": "law_enforcement", "category": "circulation", "document": document,
        }, user=self.desk, uploads=[photo], document_source="hand")

    def scope(self, case, document):
        self.login(self.director)
        r = self.client.post(f"/requests/cases/{case.id}/scope/", {
            "card_number": CARD, "document": document, "categories": ["registration", "circulation"],
            "date_from": "2025-01-01", "date_to": "2025-03-31", "files": [png_file("order.png")]})
        self.assertEqual(r.status_code, 302, r.content.decode()[-2000:])
        return Production.objects.get(case=case)

    def log_as(self, user, **query) -> str:
        self.client.logout()
        self.login(user)
        pages, number = [], 1
        while True:
            r = self.client.get("/audit/log/", {"page": number, **query})
            self.assertEqual(r.status_code, 200)
            pages.append(r.content.decode())
            if "Older</a>" not in pages[-1]:
                return "".join(pages)
            number += 1

    def test_a_fisa_production_is_for_the_director_only(self):
        case = self.open_case("fisa_order")
        self.assertTrue(case.nondisclosure)
        item = self.scope(case, "fisa_order")
        actor = Actor.for_user(self.director)
        services.do_decide(actor, case, "disclose", "FISC order checked with counsel.")
        production.do_produce(actor, item)
        mail.outbox.clear()
        # The patron's own entries name neither the case nor the document in what they say,
        # and every entry of the request is marked.
        about_patron = [e for e in AccessEntry.objects.exclude(subject="") if self.matches_patron(e.subject)]
        self.assertTrue(about_patron)
        for entry in about_patron:
            if entry.action == "view":
                continue
            self.assertNotIn(case.pseudonym, entry.basis, entry.action)
            self.assertNotIn("fisa", entry.basis.lower(), entry.action)
        self.assertTrue(any(e.action == "produce" and e.restricted == "nd" and e.basis.startswith(services.ND_BASIS)
                            for e in about_patron))
        self.assertFalse(AccessEntry.objects.filter(case_ref=case.pseudonym).exclude(restricted="nd").exists())
        hold = Production.objects.get(pk=item.pk).hold_ref
        label = re.search(r"LH-[0-9A-F]{8}", hold).group()
        director = self.log_as(self.director)
        self.assertIn(case.pseudonym, director)
        self.assertIn(label, director)
        for user in (self.privacy,):
            page = self.log_as(user)
            self.assertNotIn(case.pseudonym, page)
            self.assertNotIn("fisa", page.lower())
            self.assertNotIn(services.ND_BASIS, page)
            self.assertNotIn(label, page)  # the legal hold placed for it
            self.assertNotIn("patron named on", page)  # the card search
            self.assertIn("shown only to the director or designee", page)
            self.assertIn("No entries.", self.log_as(user, case=case.pseudonym))
        self.assertTrue(verify().ok)

    def test_entries_written_before_the_case_was_marked_are_hidden_too(self):
        case = self.open_case("court_order")
        self.assertFalse(case.nondisclosure)
        self.scope(case, "court_order")
        self.assertIn(case.pseudonym, self.log_as(self.privacy))
        self.assertTrue(AccessEntry.objects.filter(action="search", case_ref=case.pseudonym).exists())
        services.do_update(Actor.for_user(self.director), case, {"nondisclosure": True})
        page = self.log_as(self.privacy)
        self.assertNotIn(case.pseudonym, page)
        self.assertNotIn("patron named on a court order", page)
        self.assertIn(case.pseudonym, self.log_as(self.director))

    def test_other_entries_still_show(self):
        plain = self.open_case("court_order")
        page = self.log_as(self.privacy)
        self.assertIn("case_open", page)
        self.assertIn(plain.pseudonym, page)
