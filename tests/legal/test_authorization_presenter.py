"""Written authorizations: who presents it decides, officers go to the director, and a
second member of staff approves before anything is shown (security review, finding 2)."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.legal import registry, third_parties
from quietdesk.legal.models import Case, CaseDocument, ThirdPartyAuthorization
from quietdesk.policy import engine
from tests.audit.helpers import about
from tests.jobs import drain_jobs
from tests.legal.helpers import png_file, upload
from tests.legal.test_others import CIRCULATION
from tests.personas import PersonaTestCase

IN_A_MONTH = timezone.localdate() + datetime.timedelta(days=30)


@override_settings(QUIETDESK_DIRECTOR_EMAIL=["director@library.test"])
class PresenterTests(PersonaTestCase):
    def setUp(self):
        self.saved = dict(registry.REGISTRY)
        registry.register(CIRCULATION)
        self.login(self.desk)

    def tearDown(self):
        registry.REGISTRY.clear()
        registry.REGISTRY.update(self.saved)

    def record(self, **overrides):
        data = {"action": "record", "presenter": "authorized_third_party", "card_number": "21000000000001",
                "holder_name": "Alex Proxy", "categories": ["circulation", "ill"],
                "expires_on": IN_A_MONTH.isoformat(), "signed": "on", "files": [png_file("authorization.png")]}
        data.update(overrides)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/requests/authorizations/", data)
        drain_jobs()  # the outbound worker sends the director's notice
        return response

    def recorded(self, by=None) -> ThirdPartyAuthorization:
        return third_parties.do_record_authorization(Actor.for_user(by or self.desk), self.patron,
                                              categories=["circulation"], expires_on=IN_A_MONTH, upload=upload())

    def as_user(self, user):
        self.client.logout()
        self.login(user)

    def show(self, auth, presenter="authorized_third_party"):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(f"/requests/authorizations/{auth.id}/", {"presenter": presenter, "checked_id": "on"})

    def test_who_is_presenting_it_is_required(self):
        r = self.record(presenter="")
        self.assertEqual(r.status_code, 400)
        self.assertIn("Who is presenting the authorization?", r.content.decode())
        self.assertFalse(ThirdPartyAuthorization.objects.exists())

    def test_an_officer_with_a_signed_release_is_referred_to_the_director(self):
        r = self.record(presenter="immigration_officer", signed="")
        self.assertFalse(ThirdPartyAuthorization.objects.exists())
        case = Case.objects.get()
        self.assertRedirects(r, f"/requests/desk/{case.id}/")
        self.assertEqual((case.requester, case.document, case.category, case.outcome),
                         ("immigration_officer", "written_authorization", "circulation", "refer"))
        self.assertEqual(CaseDocument.objects.filter(case=case).count(), 1)  # a copy of what was shown
        self.assertEqual(len(mail.outbox), 1)  # the director is told
        page = self.client.get(r["Location"]).content.decode()
        self.assertIn("Not now.", page)
        self.assertNotIn("The Secret Garden", page)
        self.assertFalse(AccessEntry.objects.filter(action="third-party-view").exists())

    def test_an_officer_holding_an_approved_authorization_is_refused_too(self):
        auth = self.recorded()
        third_parties.do_approve_authorization(Actor.for_user(self.manager), auth, user=self.manager)
        r = self.show(auth, presenter="law_enforcement")
        case = Case.objects.get()
        self.assertRedirects(r, f"/requests/desk/{case.id}/")
        self.assertEqual((case.requester, case.document), ("law_enforcement", "written_authorization"))
        self.assertEqual(CaseDocument.objects.filter(case=case).count(), 1)
        self.assertFalse(AccessEntry.objects.filter(action="third-party-view").exists())
        r = self.client.post(f"/requests/authorizations/{auth.id}/records.pdf", {"presenter": "law_enforcement"})
        self.assertNotEqual(r.get("Content-Type"), "application/pdf")
        with self.assertRaises(third_parties.AuthorizationError):
            third_parties.authorized_view(Actor.for_user(self.desk), auth, requester="immigration_officer")

    def test_nothing_is_shown_before_a_second_member_of_staff_approves(self):
        r = self.record()
        auth = ThirdPartyAuthorization.objects.get()
        self.assertEqual(auth.presented_by, "authorized_third_party")
        self.assertNotIn("The Secret Garden", self.show(auth).content.decode())
        self.assertNotIn("The Secret Garden", self.client.get(r["Location"]).content.decode())
        self.assertEqual(self.client.post(f"/requests/authorizations/{auth.id}/records.pdf",
                                          {"presenter": "authorized_third_party", "checked_id": "on"}).status_code, 404)
        # A clerk cannot approve, not even their own.
        self.assertEqual(self.client.post(f"/requests/authorizations/{auth.id}/approve/").status_code, 404)
        # The person in charge cannot approve one they recorded themselves.
        mine = self.recorded(by=self.manager)
        with self.assertRaisesMessage(third_parties.AuthorizationError, "second member of staff"):
            third_parties.do_approve_authorization(Actor.for_user(self.manager), mine, user=self.manager)
        self.as_user(self.manager)
        self.assertRedirects(self.client.post(f"/requests/authorizations/{auth.id}/approve/"),
                             f"/requests/authorizations/{auth.id}/")
        auth.refresh_from_db()
        self.assertEqual(auth.approved_by, "manager")
        self.assertTrue(about(self.patron.id, action="authorization", basis__contains="approved"))
        self.as_user(self.desk)
        self.assertIn("The Secret Garden", self.show(auth).content.decode())

    def test_the_engine_is_asked_as_the_person_presenting_it(self):
        auth = self.recorded()
        third_parties.do_approve_authorization(Actor.for_user(self.manager), auth, user=self.manager)
        asked = []
        real = engine.decide

        def spy(request):
            asked.append(request.requester)
            return real(request)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(registry.engine, "decide", spy)
            self.show(auth, presenter="parent_guardian")
        self.assertIn("parent_guardian", asked)
        self.assertNotIn("authorized_third_party", asked)

    def test_identification_must_be_checked(self):
        auth = self.recorded()
        third_parties.do_approve_authorization(Actor.for_user(self.manager), auth, user=self.manager)
        r = self.client.post(f"/requests/authorizations/{auth.id}/", {"presenter": "authorized_third_party"})
        self.assertEqual(r.status_code, 400)
        self.assertNotIn("The Secret Garden", r.content.decode())
