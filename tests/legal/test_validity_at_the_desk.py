"""The reader's validity facts reach the policy on the live path (issue 13, section 2): a
judge's warrant the reader found expired, from another state or naming another place is
"call the director; do not produce" on the desk page, in the case's recorded decision,
and in the document's plain facts."""

import datetime

from django.core import mail
from django.utils import timezone

from quietdesk.legal import docfacts
from quietdesk.legal.models import Case
from tests.legal.helpers import png_file
from tests.legal.test_order_relabel import Reads, reader_says
from tests.personas import PersonaTestCase


def warrant(**facts) -> Reads:
    reading = Reads("judicial_search_warrant", True)
    reading.expired = facts.get("expired", False)
    reading.out_of_state = facts.get("out_of_state", False)
    reading.names_other_premises = facts.get("names_other_premises", False)
    reading.dates = {"return_date": None, "execute_by": facts.get("execute_by")}
    return reading


class ValidityAtTheDeskTests(PersonaTestCase):
    def setUp(self):
        self.login(self.desk)

    def post(self, reading):
        payload = {"requester": "law_enforcement", "category": "circulation",
                   "document": "judicial_search_warrant", "files": [png_file("warrant.png")]}
        with reader_says(reading), self.captureOnCommitCallbacks(execute=True):
            r = self.client.post("/requests/", payload)
        mail.outbox.clear()
        return r, Case.objects.get()

    def test_a_clean_judges_warrant_is_still_comply_with_its_face(self):
        r, case = self.post(warrant())
        self.assertEqual((case.document, case.outcome, case.scope), ("judicial_search_warrant", "allow",
                                                                     "face_of_document"))
        self.assertIn("Yes, but only within the limits below.", self.client.get(r["Location"]).content.decode())

    def test_each_doubt_turns_it_into_call_the_director_do_not_produce(self):
        for fact in ("expired", "out_of_state", "names_other_premises"):
            Case.objects.all().delete()
            r, case = self.post(warrant(**{fact: True}))
            self.assertEqual((case.outcome, case.scope), ("refer", "none"), fact)
            self.assertIn("send_to_director_for_review", case.actions, fact)
            self.assertNotIn("inventory_production", case.actions, fact)
            self.assertIn("Roundtable scenario 1", case.basis, fact)
            page = self.client.get(r["Location"]).content.decode()
            self.assertIn("Not now.", page, fact)
            self.assertIn("This document may not apply here, so the director must review it", page, fact)
            self.assertNotIn("Yes, but only within the limits below.", page, fact)

    def test_the_other_place_is_shown_with_the_documents_facts(self):
        r, case = self.post(warrant(names_other_premises=True))
        self.assertTrue(case.documents.get().facts["names_other_premises"])
        page = self.client.get(r["Location"]).content.decode()
        self.assertIn("none of the library&#x27;s branches: the director must check it", page)

    def test_a_date_that_passes_after_the_reading_counts_too(self):
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        facts = {"kind": "judicial_search_warrant", "expired": False, "execute_by": yesterday.isoformat()}
        self.assertEqual(docfacts.validity(facts, today=timezone.localdate())["expired"], True)
        self.assertEqual(docfacts.validity(facts, today=yesterday)["expired"], False)
        self.assertEqual(docfacts.validity({}, today=yesterday),
                         {"expired": None, "out_of_state": None, "other_premises": None})
        r, case = self.post(warrant(execute_by=(timezone.localdate() + datetime.timedelta(days=3)).isoformat()))
        self.assertEqual(case.outcome, "allow")
        doc = case.documents.get()
        doc.facts = {**doc.facts, "execute_by": yesterday.isoformat()}
        doc.save(update_fields=["facts"])
        page = self.client.get(r["Location"]).content.decode()
        self.assertIn("This document may not apply here", page)


class DecisionDespiteDoubtsTests(PersonaTestCase):
    def test_a_decision_to_disclose_despite_the_readers_doubts_says_so_in_the_timeline(self):
        """The director may still decide, with counsel, that the order applies (III.C.2.i); the
        timeline keeps what the reader found beside that decision."""
        from quietdesk.audit.service import Actor
        from quietdesk.legal import services
        from quietdesk.legal.models import CaseEvent
        from tests.legal.helpers import upload

        photo = upload(name="warrant.png")
        photo.reading = {"kind": "judicial_search_warrant", "signed_by_judge": True, "out_of_state": True}
        case = services.do_open_case(Actor.for_user(self.desk), {
            "requester": "law_enforcement", "category": "circulation", "document": "judicial_search_warrant"},
            user=self.desk, uploads=[photo], document_source="hand")
        mail.outbox.clear()
        self.assertEqual(case.outcome, "refer")
        services.do_decide(Actor.for_user(self.director), case, "disclose", "Counsel confirmed the court's reach.")
        event = CaseEvent.objects.get(case=case, kind="decision")
        self.assertEqual(event.summary, "Disclose what the order names despite the document reader's doubts (from another state's court)")
