"""A document chosen by hand is still read: a hand-picked "judge's warrant" that the
reader does not confirm is treated as unknown (security review, finding 9)."""

import json

from django.core import mail

from quietdesk.audit.service import Actor
from quietdesk.legal import intake, services
from quietdesk.legal.models import Case, CaseDocument, CaseEvent
from tests.legal.helpers import png_file, upload
from tests.legal.test_order_relabel import I200, Reads, reader_says
from tests.personas import PersonaTestCase


class HandChoiceTests(PersonaTestCase):
    def setUp(self):
        self.login(self.desk)

    def post(self, document, files=True, **data):
        payload = {"requester": "immigration_officer", "category": "registration", "document": document, **data}
        if files:
            payload["files"] = [png_file("photo.png")]
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post("/requests/", payload)

    def test_an_i200_picked_as_a_judges_warrant_is_decided_as_the_i200(self):
        with reader_says(I200):
            r = self.post("judicial_search_warrant")
        case = Case.objects.get()
        self.assertEqual((case.document, case.document_source, case.outcome),
                         ("ice_administrative_warrant", "conflict", "deny"))
        page = self.client.get(r["Location"]).content.decode()
        self.assertNotIn("Yes, but only within the limits below.", page)
        self.assertIn("No. Give no information.", page)
        self.assertIn("The guidance follows the document itself", page)
        doc = CaseDocument.objects.get(case=case)
        self.assertEqual(doc.kind, "ice_administrative_warrant")  # what the reader read, not the hand choice
        event = CaseEvent.objects.get(case=case, kind="document", summary__startswith="chosen at the desk")
        # In words, as the case page and the incident report print it (issue 14 §5).
        self.assertIn("Search warrant signed by a judge", event.summary)
        self.assertIn("ICE warrant signed by an immigration officer", event.summary)
        self.assertNotIn("judicial_search_warrant", event.summary)
        self.assertIn("one document, one verdict", event.summary)
        reading = services.read_reading(Actor.for_user(self.director), doc, purpose="test")
        self.assertEqual((reading["hand_choice"], reading["immigration_wording"]), ("judicial_search_warrant", True))
        mail.outbox.clear()

    def test_one_i200_one_verdict_whatever_was_chosen(self):
        """Issue 13: the same I-200 photo gets the same headline and script whatever the
        desk chose in the document list (or whether it asked the reader)."""
        pages = {}
        for choice in ("read", "", "ice_administrative_warrant", "administrative_subpoena", "unknown",
                       "court_order", "notice_to_appear"):
            Case.objects.all().delete()
            with reader_says(I200):
                r = self.post(choice)
            case = Case.objects.get()
            page = self.client.get(r["Location"]).content.decode()
            verdict = page.split('id="verdict">')[1].split("<")[0]
            say = page.split('id="say"><p>')[1].split("</p>")[0]
            pages[choice] = (case.document, case.outcome, verdict, say)
        self.assertEqual(len(set(pages.values())), 1, pages)
        document, outcome, verdict, say = pages["read"]
        self.assertEqual((document, outcome, verdict), ("ice_administrative_warrant", "deny", "No. Give no information."))
        self.assertIn("send this warrant to the library director for review", say)
        self.assertIn("To whom should the response be sent?", say)
        mail.outbox.clear()

    def test_a_photo_the_reader_cannot_read_does_not_confirm_a_judges_warrant(self):
        self.post("court_order")  # a blank photo: the reader finds no text
        case = Case.objects.get()
        self.assertEqual((case.document, case.document_source, case.outcome), ("unknown", "conflict", "refer"))

    def test_a_confirmed_judges_warrant_keeps_the_hand_choice(self):
        with reader_says(Reads("judicial_search_warrant", True)):
            self.post("judicial_search_warrant")
        case = Case.objects.get()
        self.assertEqual((case.document, case.document_source, case.outcome), ("judicial_search_warrant", "hand", "allow"))

    def test_immigration_wording_rules_out_a_judges_order_whatever_the_kind(self):
        with reader_says(Reads("unknown", None, ["i200_title"])):
            data, source, reading = intake.resolve({"document": "judicial_search_warrant", "files": [upload()]})
        self.assertEqual((data["document"], source), ("unknown", "conflict"))
        self.assertTrue(reading["immigration_wording"])

    def test_a_cautious_hand_choice_stands_and_the_photo_is_still_read(self):
        with reader_says(Reads("judicial_search_warrant", True)):
            self.post("administrative_subpoena")
        case = Case.objects.get()
        self.assertEqual((case.document, case.document_source), ("administrative_subpoena", "hand"))
        doc = CaseDocument.objects.get(case=case)
        self.assertIsNotNone(doc.reading_ct)
        reading = services.read_reading(Actor.for_user(self.director), doc, purpose="test")
        self.assertEqual(reading["kind"], "judicial_search_warrant")
        self.assertNotIn("hand_choice", json.dumps(reading))

    def test_no_file_no_reading(self):
        self.post("judicial_search_warrant", files=False)
        case = Case.objects.get()
        self.assertEqual((case.document, case.document_source), ("judicial_search_warrant", "hand"))
