"""The desk workflow: someone is asking."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from quietdesk.audit.models import AccessEntry
from quietdesk.legal import intake
from quietdesk.legal.models import Case, CaseDocument, CaseEvent
from quietdesk.outbound.models import Message
from tests.jobs import drain_jobs, skip_waits
from tests.legal.helpers import png_bytes, png_file
from tests.personas import PersonaTestCase

DIRECTOR_MAIL = ["director@library.test"]


@override_settings(QUIETDESK_DIRECTOR_EMAIL=DIRECTOR_MAIL)
class DeskTests(PersonaTestCase):
    def setUp(self):
        self.login(self.desk)

    def post(self, data=None, files=None, **kwargs):
        payload = dict(data or {})
        if files:
            payload["files"] = files
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/requests/", payload, **kwargs)
        drain_jobs()  # the outbound worker sends the director's notice
        return response

    def test_get_shows_the_quick_form(self):
        page = self.client.get("/requests/").content.decode()
        self.assertIn("Tell me what to do", page)
        self.assertIn("An immigration officer (ICE, CBP, HSI, DHS)", page)

    def test_every_field_empty_opens_a_case_and_guides(self):
        r = self.post({})
        case = Case.objects.get()
        self.assertRedirects(r, f"/requests/desk/{case.id}/")
        self.assertEqual((case.requester, case.category, case.document), ("", "", "none"))
        self.assertEqual(case.outcome, "deny")  # not sure who: decided the cautious way
        page = self.client.get(r["Location"]).content.decode()
        self.assertIn("No. Give no information.", page)
        self.assertIn("data-since=", page)
        self.assertIn("since arrival", page)
        self.assertIn("The director (or designee) has been emailed.", page)
        self.assertEqual(len(mail.outbox), 1)

    def test_ice_administrative_warrant_for_an_address_says_no_and_notifies(self):
        r = self.post({"requester": "immigration_officer", "category": "registration",
                       "document": "ice_administrative_warrant", "officer_name": "Officer Zed Quill",
                       "badge": "B-4471", "agency": "ICE ERO", "purpose": "looking for Maria",
                       "statement": "He said he would wait."})
        case = Case.objects.get()
        self.assertEqual(case.outcome, "deny")
        self.assertIn("do_not_participate", case.actions)
        page = self.client.get(r["Location"]).content.decode()
        self.assertIn("No. Give no information.", page)
        self.assertIn("I am not able to give you any information or take part in this.", page)
        self.assertIn("Do not help find, serve, hold or detain anyone", page)
        # The notice: to the director, with no officer data and no patron data.
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, DIRECTOR_MAIL)
        text = message.subject + message.body
        for secret in ("Zed", "Quill", "B-4471", "ICE", "Maria", "immigration", "address"):
            self.assertNotIn(secret, text)
        self.assertIn("open quietdesk", text.lower())
        self.assertIn(f"/requests/cases/{case.id}/", message.body)
        self.assertEqual(Case.objects.get().notice, "sent")
        # Sealed: nothing the officer said is in the database in clear.
        raw = bytes(case.officer_name_ct) + bytes(case.badge_ct) + bytes(case.purpose_ct)
        self.assertNotIn(b"Quill", raw)
        self.assertNotIn(b"B-4471", raw)
        statement = CaseEvent.objects.get(case=case, kind="statement")
        self.assertNotIn(b"wait", bytes(statement.text_ct))
        self.assertTrue(AccessEntry.objects.filter(action="case_open", case_ref=case.pseudonym).exists())

    def test_member_of_the_public_is_told_no_and_the_person_in_charge_explains(self):
        # Nothing for anyone to decide: the policy cannot grant it (deny, III.C.1).
        r = self.post({"requester": "public", "category": "presence"})
        page = self.client.get(r["Location"]).content.decode()
        self.assertIn("No. Give no information.", page)
        self.assertNotIn("Not now.", page)
        self.assertIn("person in charge (branch manager)", page)

    def test_judicial_warrant_gives_face_of_document(self):
        r = self.post({"requester": "law_enforcement", "category": "circulation",
                       "document": "judicial_search_warrant"})
        page = self.client.get(r["Location"]).content.decode()
        self.assertIn("Yes, but only within the limits below.", page)
        self.assertIn("only what is named on the face of the order", page)

    def test_unknown_vocabulary_word_lists_the_valid_ones(self):
        r = self.post({"requester": "sheriff_deputy", "document": "search_warrant"})
        self.assertEqual(r.status_code, 200)
        page = r.content.decode()
        self.assertIn("Unknown requester", page)
        self.assertIn("immigration_officer, law_enforcement, public", page)
        self.assertIn("Unknown document", page)
        self.assertIn("judicial_search_warrant", page)
        self.assertFalse(Case.objects.exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_photos_are_sealed(self):
        data = png_bytes()
        self.post({"document": "administrative_subpoena"}, files=[png_file(), png_file("page2.png")])
        case = Case.objects.get()
        docs = list(CaseDocument.objects.filter(case=case))
        self.assertEqual(len(docs), 2)
        for doc in docs:
            self.assertNotIn(data[:64], bytes(doc.content_ct))
            self.assertNotIn(b"warrant.png", bytes(doc.filename_ct))
            self.assertEqual(doc.kind, "administrative_subpoena")
        self.assertEqual(case.document_source, "hand")

    @override_settings(QUIETDESK_REQUEST_UPLOAD_MAX_BYTES=1000)
    def test_too_large_upload_is_refused_and_nothing_is_written(self):
        big = SimpleUploadedFile("photo.png", png_bytes() + b"\0" * 2000, content_type="image/png")
        r = self.post({"requester": "law_enforcement"}, files=[big])
        self.assertEqual(r.status_code, 200)
        page = r.content.decode()
        self.assertIn("File 1 is too large", page)
        self.assertNotIn("photo.png", page)
        self.assertFalse(Case.objects.exists())
        self.assertFalse(CaseDocument.objects.exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_wrong_type_is_refused(self):
        fake = SimpleUploadedFile("warrant.png", b"MZ\x90\x00 not an image at all", content_type="image/png")
        r = self.post({}, files=[png_file(), fake])
        self.assertIn("File 2 is not a photo or a PDF", r.content.decode())
        self.assertFalse(Case.objects.exists())

    @override_settings(QUIETDESK_REQUEST_UPLOAD_MAX_FILES=2)
    def test_too_many_files(self):
        r = self.post({}, files=[png_file(), png_file(), png_file()])
        self.assertIn("At most 2 files", r.content.decode())
        self.assertFalse(Case.objects.exists())

    def test_read_for_me_uses_the_document_reader(self):
        class Fake:
            kind = "ice_administrative_warrant"
            signed_by_judge = False
            reason = None
            guidance = ["Not signed by a judge."]
            dates = {"return_date": None}
            nondisclosure = None
            expired = False
            confidence = 0.9

        import quietdesk.documents.pipeline as pipeline

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(pipeline, "read_document", lambda *a, **k: Fake())
            self.post({"document": "read", "requester": "immigration_officer"}, files=[png_file()])
        case = Case.objects.get()
        self.assertEqual((case.document, case.document_source), ("ice_administrative_warrant", "reader"))
        self.assertEqual(case.outcome, "deny")

    def test_reader_failure_falls_back_to_unknown(self):
        import quietdesk.documents.pipeline as pipeline

        def boom(*a, **k):
            raise RuntimeError("tesseract exploded")

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(pipeline, "read_document", boom)
            r = self.post({"requester": "law_enforcement"}, files=[png_file()])
        case = Case.objects.get()
        self.assertEqual(case.document, "unknown")  # treated as not signed by a judge
        self.assertEqual(case.outcome, "refer")
        self.assertIn("Not now.", self.client.get(r["Location"]).content.decode())

    def test_read_without_a_photo_is_unknown(self):
        data, source, reading = intake.resolve({"document": "read", "files": []})
        self.assertEqual((data["document"], source), ("unknown", "reader"))

    def test_the_desk_request_sends_nothing_itself(self):
        """The notice is queued with the case; the worker sends it (the desk never waits on SMTP)."""
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post("/requests/", {})
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(Case.objects.get().notice, "pending")
        self.assertEqual(list(Message.objects.values_list("channel", "recipient", "state")),
                         [("email", DIRECTOR_MAIL[0], "pending")])
        self.assertIn("quietdesk is emailing the director now", self.client.get(r["Location"]).content.decode())
        drain_jobs()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(Case.objects.get().notice, "sent")
        self.assertIn("has been emailed", self.client.get(r["Location"]).content.decode())

    def test_the_case_page_shows_each_message_of_the_notice(self):
        with override_settings(EMAIL_BACKEND="tests.legal.test_desk.BrokenBackend"):
            self.post({})
        case = Case.objects.get()
        self.login(self.director)
        section = self.client.get(f"/requests/cases/{case.id}/").content.decode()
        section = section[section.index('id="director-notice"'):]
        self.assertIn(f"Email to {DIRECTOR_MAIL[0]}: <strong class=\"\">Waiting to be sent</strong>", section)
        self.assertIn("the mail server did not answer; trying again at", section)
        skip_waits()
        drain_jobs()
        section = self.client.get(f"/requests/cases/{case.id}/").content.decode()
        section = section[section.index('id="director-notice"'):]
        self.assertIn("Accepted by the server</strong> at", section)
        self.assertIn("after 2 tries", section)
        self.assertEqual(Case.objects.get().notice, "sent")

    def test_notice_failure_is_shown(self):
        with override_settings(EMAIL_BACKEND="tests.legal.test_desk.BrokenBackend"):
            r = self.post({})
        self.assertEqual(Case.objects.get().notice, "failed")
        self.assertIn("call the director now", self.client.get(r["Location"]).content.decode())

    @override_settings(QUIETDESK_DIRECTOR_EMAIL=[])
    def test_no_address_is_shown(self):
        r = self.post({})
        self.assertEqual(Case.objects.get().notice, "no_address")
        self.assertIn("No director email is set up", self.client.get(r["Location"]).content.decode())

    def test_director_accounts_with_email_are_notified_too(self):
        self.director.email = "designee@library.test"
        self.director.save()
        self.post({})
        # One message per address, each with its own delivery state.
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), sorted(DIRECTOR_MAIL + ["designee@library.test"]))

    def test_desk_adds_statements_and_copies(self):
        r = self.post({"requester": "law_enforcement"})
        case = Case.objects.get()
        r = self.client.post(f"/requests/desk/{case.id}/note/", {"kind": "statement", "text": "Walked to the stacks."})
        self.assertRedirects(r, f"/requests/desk/{case.id}/")
        self.assertEqual(CaseEvent.objects.filter(case=case, kind="statement").count(), 1)
        r = self.client.post(f"/requests/desk/{case.id}/documents/", {"files": [png_file()]})
        self.assertEqual(CaseDocument.objects.filter(case=case).count(), 1)
        r = self.client.post(f"/requests/desk/{case.id}/note/", {"kind": "rumour", "text": "x"})
        self.assertEqual(CaseEvent.objects.filter(case=case, kind="rumour").count(), 0)

    def test_desk_page_is_for_the_person_who_took_it(self):
        r = self.post({})
        case = Case.objects.get()
        other = type(self.desk).objects.create_user("desk2", password="x" * 16, role="circulation")
        self.client.force_login(other)
        self.assertEqual(self.client.get(f"/requests/desk/{case.id}/").status_code, 404)
        self.assertEqual(self.client.post(f"/requests/desk/{case.id}/note/", {"kind": "note", "text": "x"}).status_code, 404)
        self.client.force_login(self.desk)
        self.assertEqual(self.client.get(r["Location"]).status_code, 200)
        self.assertEqual(self.client.get(f"/requests/cases/{case.id}/").status_code, 404)


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise OSError("connection refused")

    def close(self):
        pass

    def send_messages(self, messages):
        raise OSError("connection refused")


class DeskCsrfTests(PersonaTestCase):
    def test_csrf_is_still_checked_with_the_memory_upload_handler(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.desk)
        self.assertEqual(client.post("/requests/", {"requester": "public"}).status_code, 403)
        self.assertEqual(client.post("/requests/authorizations/", {"action": "find"}).status_code, 403)
        self.assertFalse(Case.objects.exists())
        page = client.get("/requests/")
        token = page.cookies["csrftoken"].value
        r = client.post("/requests/", {"requester": "public", "csrfmiddlewaretoken": token})
        self.assertEqual(r.status_code, 302)


class SignalNoticeTests(PersonaTestCase):
    """The director is also alerted over Signal, through the signal-cli JSON-RPC stand-in."""

    def setUp(self):
        from tests.alerts.signal_server import SignalServer

        self.signal = SignalServer().start()
        self.addCleanup(self.signal.stop)
        self.login(self.desk)

    def test_director_is_alerted_over_signal_without_details(self):
        with override_settings(QUIETDESK_SIGNAL_RPC_URL=self.signal.url, QUIETDESK_DIRECTOR_SIGNAL=["+15550100"]):
            with self.captureOnCommitCallbacks(execute=True):
                self.client.post("/requests/", {"requester": "immigration_officer", "officer_name": "Zed Quill",
                                                "document": "ice_administrative_warrant"})
            drain_jobs()
        case = Case.objects.get()
        (message,) = self.signal.messages_to("+15550100")
        self.assertIn(case.pseudonym, message.message)
        for secret in ("Zed", "Quill", "ICE", "immigration"):
            self.assertNotIn(secret, message.message)
        self.assertTrue(CaseEvent.objects.filter(case=case, kind="notice").count() >= 2)
        self.assertTrue(AccessEntry.objects.filter(basis="director alerted over Signal").exists())

    def test_unreachable_signal_is_recorded_not_raised(self):
        self.signal.stop()
        with override_settings(QUIETDESK_SIGNAL_RPC_URL=self.signal.url, QUIETDESK_DIRECTOR_SIGNAL=["+15550100"]):
            with self.captureOnCommitCallbacks(execute=True):
                r = self.client.post("/requests/", {})
            drain_jobs()
        self.assertEqual(r.status_code, 302)
        # Recorded, and tried again later (the case page lists the message with its next try).
        self.assertTrue(AccessEntry.objects.filter(basis="Signal alert to the director failed; trying again").exists())
        self.assertEqual(Message.objects.get(channel="signal").state, "pending")
