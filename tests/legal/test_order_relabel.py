"""An ICE administrative warrant (I-200) can never become "a judge's warrant" on the way
to a production, and each production needs its own decision (security review, finding 1)."""

import contextlib

import pytest
from django.core import mail

from quietdesk.audit.service import Actor
from quietdesk.legal import production, registry, services
from quietdesk.legal.models import Case, CaseDocument, Production
from quietdesk.patrons.services import do_register_patron
from tests.legal.helpers import upload
from tests.personas import PersonaTestCase, patron_data


class Reads:
    """What the document reader says about a photo (a stand-in for OCR)."""

    def __init__(self, kind, signed_by_judge, findings=()):
        self.kind, self.signed_by_judge = kind, signed_by_judge
        self.reason, self.guidance, self.dates = None, [], {"return_date": None}
        self.nondisclosure, self.expired, self.confidence = None, False, 0.9
        self.findings = [{"marker": m, "text": "", "meaning": ""} for m in findings]


I200 = Reads("ice_administrative_warrant", False, ["form_i200", "immigration_officer"])


@contextlib.contextmanager
def reader_says(reading):
    import quietdesk.documents.pipeline as pipeline

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "read_document", lambda *a, **k: reading)
        yield


class RelabelTests(PersonaTestCase):
    def setUp(self):
        self.actor = Actor.for_user(self.director)
        self.saved = dict(registry.REGISTRY)
        mail.outbox.clear()

    def tearDown(self):
        registry.REGISTRY.clear()
        registry.REGISTRY.update(self.saved)

    def desk_case(self, document, reading=None, **data):
        photo = upload(name="i200.png")
        if reading is not None:
            photo.reading = reading
        data = {"requester": "immigration_officer", "category": "registration", "document": document, **data}
        return services.do_open_case(Actor.for_user(self.desk), data, user=self.desk, uploads=[photo],
                                     document_source="hand")

    def scope(self, case, **kwargs):
        kwargs.setdefault("document", "judicial_search_warrant")
        return production.do_set_scope(self.actor, case, patron=self.patron, categories=["registration"], **kwargs)

    def test_the_i200_photo_cannot_be_scoped_as_a_judges_warrant(self):
        case = self.desk_case("ice_administrative_warrant")
        photo = CaseDocument.objects.get(case=case)
        with self.assertRaisesMessage(production.ProductionError, "cannot be used as the copy of a judge-signed order"):
            self.scope(case, order_doc=photo)
        photo.refresh_from_db()
        self.assertEqual((photo.kind, photo.role), ("ice_administrative_warrant", "presented"))
        self.assertFalse(Production.objects.exists())

    def test_a_copy_the_reader_took_for_an_i200_is_refused_whatever_its_label(self):
        # Recorded before the desk always read the photo: labelled judicial by hand, the reader disagreed.
        case = self.desk_case("judicial_search_warrant", reading={"kind": "ice_administrative_warrant",
                                                                  "signed_by_judge": False})
        photo = CaseDocument.objects.get(case=case)
        self.assertEqual(photo.kind, "judicial_search_warrant")
        with self.assertRaisesMessage(production.ProductionError, "document reader did not take that copy"):
            self.scope(case, order_doc=photo)
        self.assertFalse(Production.objects.exists())

    def test_a_new_copy_that_reads_as_an_i200_is_refused(self):
        case = self.desk_case("judicial_search_warrant")
        with reader_says(I200), self.assertRaisesMessage(production.ProductionError, "immigration (DHS) wording"):
            self.scope(case, order_uploads=[upload()])
        self.assertFalse(Production.objects.exists())
        self.assertEqual(CaseDocument.objects.filter(case=case).count(), 1)

    def test_the_kind_of_a_copy_never_changes(self):
        case = self.desk_case("judicial_search_warrant")
        photo = CaseDocument.objects.get(case=case)
        CaseDocument.objects.filter(pk=photo.pk).update(kind="")  # a copy added later at the desk
        self.scope(case, order_doc=photo, document="court_order")
        photo.refresh_from_db()
        self.assertEqual((photo.kind, photo.role), ("", "order"))

    def test_no_decision_or_production_on_a_case_that_records_an_i200(self):
        case = self.desk_case("ice_administrative_warrant")
        item = self.scope(case, order_uploads=[upload()])  # a new copy, said to be a judge's warrant
        with self.assertRaisesMessage(services.CaseError, "signed by a judge"):
            services.do_decide(self.actor, case, "disclose", "The officer insisted.")
        case.refresh_from_db()
        self.assertEqual(case.verdict, "")
        # Even with a verdict on record (as before the fix), production refuses.
        Case.objects.filter(pk=case.pk).update(verdict="disclose", state="decided")
        Production.objects.filter(pk=item.pk).update(decided_at=case.arrived_at)
        with self.assertRaisesMessage(production.ProductionError, "ICE warrant signed by an immigration officer"):
            production.do_produce(self.actor, item)
        self.assertIsNone(Production.objects.get(pk=item.pk).produced_at)

    def test_correcting_the_case_needs_a_reason_and_a_new_decision(self):
        case = self.desk_case("ice_administrative_warrant")
        item = self.scope(case, order_uploads=[upload()])
        with self.assertRaisesMessage(services.CaseError, "Say why the document changed"):
            services.do_update(self.actor, case, {"document": "judicial_search_warrant"})
        self.assertEqual(Case.objects.get(pk=case.pk).document, "ice_administrative_warrant")
        services.do_update(self.actor, case, {"document": "judicial_search_warrant",
                                              "reason": "Served a search warrant signed by a magistrate judge."})
        case.refresh_from_db()
        self.assertEqual((case.document, case.outcome), ("judicial_search_warrant", "allow"))
        self.assertTrue(case.events.filter(kind="update", text_ct__isnull=False).exists())
        services.do_decide(self.actor, case, "disclose", "Warrant checked with counsel.")
        production.do_produce(self.actor, item)
        self.assertIsNotNone(Production.objects.get(pk=item.pk).produced_at)

    def test_each_production_needs_its_own_decision(self):
        other = do_register_patron(Actor.system("test"), patron_data(2))
        case = self.desk_case("judicial_search_warrant", reading={"kind": "judicial_search_warrant",
                                                                  "signed_by_judge": True})
        first = self.scope(case, order_uploads=[upload()])
        services.do_decide(self.actor, case, "disclose", "Warrant checked with counsel.")
        production.do_produce(self.actor, first)
        second = production.do_set_scope(self.actor, case, document="judicial_search_warrant", patron=other,
                                         categories=["registration"], order_uploads=[upload()])
        with self.assertRaisesMessage(production.ProductionError, "does not cover this scope"):
            production.do_produce(self.actor, second)
        self.assertIsNone(Production.objects.get(pk=second.pk).produced_at)
        services.do_decide(self.actor, case, "disclose", "A second warrant, for the other patron, checked too.")
        production.do_produce(self.actor, second)
        self.assertIsNotNone(Production.objects.get(pk=second.pk).produced_at)

    def test_changing_the_document_voids_the_decision_for_unproduced_scopes(self):
        case = self.desk_case("judicial_search_warrant")
        item = self.scope(case, order_uploads=[upload()])
        services.do_decide(self.actor, case, "disclose", "Checked.")
        services.do_update(self.actor, case, {"document": "court_order", "reason": "It is a court order."})
        with self.assertRaisesMessage(production.ProductionError, "does not cover this scope"):
            production.do_produce(self.actor, item)
