"""Subpoenas: a two-person decision by the director and counsel, then the same production
as under a judge-signed order, and nothing before (roundtable scenario 1; ALA Q&A 26;
Sonoma III.C.2.d.ii, III.C.2.i)."""

import csv
import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.core import mail
from django.utils import timezone

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.legal import production, services, subpoena
from quietdesk.legal.models import Case, CaseDocument, Production, SubpoenaDecision
from quietdesk.policy import vocab
from quietdesk.policy.engine import InvalidRequest, Request, decide
from tests.audit.helpers import about
from tests.legal.helpers import open_case, png_file, upload
from tests.personas import PersonaTestCase, make_staff

BASIS = "Counsel: the grand jury subpoena is valid on its face and was served properly; Privileged-Note-7731."


@pytest.mark.nodb
class TestEngine:
    def test_a_subpoena_is_answered_only_when_compelled(self):
        for document in vocab.SUBPOENA_DOCUMENTS:
            plain = decide(Request("law_enforcement", "circulation", document))
            assert plain.outcome == "refer" and not plain.allows_disclosure
            compelled = decide(Request("law_enforcement", "circulation", document, compelled=True))
            assert compelled.outcome == "allow" and compelled.scope == "face_of_document"
            assert "Sonoma policy III.C.2.i" in compelled.basis and "ALA Q&A 26" in compelled.basis
            assert "inventory_production" in compelled.actions and "log_access" in compelled.actions

    def test_compelled_changes_nothing_for_other_documents(self):
        for document in ("none", "ice_administrative_warrant", "national_security_letter", "unknown",
                         "notice_to_appear", "written_authorization"):
            for requester in ("law_enforcement", "immigration_officer", "public", "vendor"):
                assert decide(Request(requester, "registration", document, compelled=True)) == \
                    decide(Request(requester, "registration", document)), (document, requester)

    def test_compelled_must_be_a_boolean(self):
        decide(Request("law_enforcement", "registration", "grand_jury_subpoena", compelled=True))
        with pytest.raises(InvalidRequest, match="compelled must be True or False"):
            decide(Request("law_enforcement", "registration", "grand_jury_subpoena", compelled=1))

    def test_every_subpoena_kind_in_the_vocabulary_is_handled(self):
        """court_subpoena (or any later kind) joins by being in the vocabulary."""
        named = {d for d in vocab.DOCUMENTS if d.endswith("_subpoena")}
        assert subpoena.SUBPOENAS == named
        assert {"grand_jury_subpoena", "administrative_subpoena"} <= named


class SubpoenaFlowTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.deputy = make_staff("deputy", "director", branch=cls.branch)

    def setUp(self):
        self.case = open_case(self.desk, requester="law_enforcement", document="grand_jury_subpoena",
                              category="registration", officer_name="AUSA Pell",
                              return_date=timezone.localdate() + datetime.timedelta(days=20))
        mail.outbox.clear()
        self.login(self.director)
        self.url = f"/requests/cases/{self.case.id}"

    def scope(self, **overrides):
        data = {"card_number": "21000000000001", "document": "grand_jury_subpoena", "categories": ["registration"],
                "files": [png_file("subpoena.png")]}
        data.update(overrides)
        return self.client.post(f"{self.url}/scope/", data)

    def propose(self, outcome="compelled", follow=False, **overrides):
        data = {"outcome": outcome, "basis": BASIS, "counsel": "County Counsel, J. Ames",
                "counsel_advised_on": timezone.localdate().isoformat()}
        data.update(overrides)
        return self.client.post(f"{self.url}/subpoena/", data, follow=follow)

    def produce(self, item):
        return self.client.post(f"{self.url}/productions/{item.id}/produce/", {"confirm": "on"}, follow=True)

    def as_deputy(self):
        self.client.logout()
        self.login(self.deputy)

    def test_two_people_decide_then_the_named_records_are_produced(self):
        page = self.client.get(self.url + "/").content.decode()
        assert "Subpoena: the director's and counsel's decision" in page
        assert "Roundtable scenario 1" in page and "ALA Q&amp;A 26" in page
        self.assertEqual(self.scope().status_code, 302)
        item = Production.objects.get()
        self.assertEqual(item.document, "grand_jury_subpoena")
        # Nothing is produced before the decision.
        r = self.produce(item)
        self.assertContains(r, "Nothing is produced under a subpoena until the director and counsel decide")
        self.assertEqual(self.propose().status_code, 302)
        decision = SubpoenaDecision.objects.get()
        self.assertTrue(decision.pending)
        self.assertEqual(decision.scope_ids, [str(item.id)])
        # The one who recorded it cannot confirm it, and it does not yet count.
        page = self.client.get(self.url + "/").content.decode()
        self.assertIn("Waiting for a second person", page)
        self.assertNotIn("Confirm this decision", page)
        r = self.client.post(f"{self.url}/subpoena/{decision.id}/confirm/", follow=True)
        self.assertContains(r, "A second person confirms: you recorded this decision yourself.")
        self.assertTrue(SubpoenaDecision.objects.get().pending)
        self.assertContains(self.produce(item), "waits for a second person")
        self.assertIsNone(Production.objects.get().produced_at)
        # The second person confirms; then production runs.
        self.as_deputy()
        self.assertIn("Confirm this decision", self.client.get(self.url + "/").content.decode())
        self.client.post(f"{self.url}/subpoena/{decision.id}/confirm/")
        decision.refresh_from_db()
        self.assertTrue(decision.in_force)
        self.assertEqual((decision.proposed_by, decision.confirmed_by), ("director", "deputy"))
        case = Case.objects.get(pk=self.case.pk)
        self.assertEqual((case.state, case.verdict), ("decided", "disclose"))
        self.assertEqual(Production.objects.get().decided_by, "director + deputy")
        before = AccessEntry.objects.filter(action="produce").count()
        r = self.produce(item)
        self.assertContains(r, "Produced.")
        item.refresh_from_db()
        self.assertIsNotNone(item.produced_at)
        self.assertEqual(AccessEntry.objects.filter(action="produce").count() - before, 1)
        self.assertTrue(AccessEntry.objects.filter(action="produce", basis__contains="face_of_document").exists())
        self.assertTrue(about(self.patron.id, action="legal_hold", case_ref=self.case.pseudonym))
        # The same package as under a warrant: records, the copy, the manifest, the inventory with SHA-256.
        data = self.client.get(f"{self.url}/productions/{item.id}/package.zip").content
        self.assertEqual(hashlib.sha256(data).hexdigest(), item.package_sha256)
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
        self.assertEqual(names, {"records/registration.csv", "records/records.pdf", "order/order-copy.png",
                                 "production.json", "inventory.csv"})
        for row in csv.DictReader(io.StringIO(zf.read("inventory.csv").decode())):
            self.assertEqual(hashlib.sha256(zf.read(row["path"])).hexdigest(), row["sha256"])
        manifest = json.loads(zf.read("production.json"))
        self.assertEqual(manifest["order"]["kind"], "grand_jury_subpoena")
        self.assertEqual(manifest["decision"], {"outcome": "compelled by law", "recorded_by": "director",
                                                "confirmed_by": "deputy",
                                                "counsel_advised_on": timezone.localdate().isoformat()})
        # The legal basis is the library's: never in the package, never in the log, sealed at rest.
        everything = b"".join(zf.read(n) for n in names)
        self.assertNotIn(b"Privileged-Note-7731", everything)
        self.assertFalse(AccessEntry.objects.filter(basis__contains="Privileged").exists())
        self.assertNotIn(b"Privileged", bytes(SubpoenaDecision.objects.get().basis_ct))
        from tests.legal.test_cases import pdf_text

        text = " ".join(pdf_text(zf.read("records/records.pdf")).split())
        self.assertIn("Records produced under a subpoena the library is compelled by law to answer", text)
        self.assertIn("Subpoena Grand jury subpoena", text)
        self.assertEqual(Case.objects.get(pk=self.case.pk).state, "produced")

    def test_quash_protective_order_and_decline_produce_nothing(self):
        self.scope()
        item = Production.objects.get()
        outcomes = {"quash": ("with_counsel", ""), "protective_order": ("with_counsel", ""),
                    "decline": ("refused", "refuse")}
        for outcome, (state, verdict) in outcomes.items():
            self.client.logout()
            self.login(self.director)
            self.assertEqual(self.propose(outcome).status_code, 302)
            decision = SubpoenaDecision.objects.filter(outcome=outcome).get()
            self.as_deputy()
            self.client.post(f"{self.url}/subpoena/{decision.id}/confirm/")
            case = Case.objects.get(pk=self.case.pk)
            self.assertEqual((case.state, case.verdict), (state, verdict), outcome)
            self.assertEqual(list(SubpoenaDecision.objects.filter(superseded_at__isnull=True)), [decision])
            r = self.produce(item)
            self.assertContains(r, "The decision in force is:")
            self.assertIsNone(Production.objects.get().produced_at)
            self.assertIsNone(Production.objects.get().decided_at)

    def test_a_scope_set_after_the_decision_is_not_covered(self):
        self.scope()
        self.propose()
        decision = SubpoenaDecision.objects.get()
        self.as_deputy()
        self.client.post(f"{self.url}/subpoena/{decision.id}/confirm/")
        self.scope(categories=["circulation"], date_from="2025-01-01", date_to="2025-02-01")
        later = Production.objects.exclude(pk__in=decision.scope_ids).get()
        r = self.produce(later)
        self.assertContains(r, "does not cover this scope")
        self.assertIsNone(Production.objects.get(pk=later.pk).produced_at)

    def test_correcting_the_document_voids_the_decision(self):
        self.scope()
        self.propose()
        decision = SubpoenaDecision.objects.get()
        self.as_deputy()
        self.client.post(f"{self.url}/subpoena/{decision.id}/confirm/")
        item = Production.objects.get()
        services.do_update(Actor.for_user(self.deputy), Case.objects.get(pk=self.case.pk),
                           {"document": "administrative_subpoena", "reason": "Misread: it is an agency subpoena."})
        self.assertIsNotNone(SubpoenaDecision.objects.get().superseded_at)
        r = self.produce(item)
        self.assertContains(r, "but the case records")
        self.assertIsNone(Production.objects.get().produced_at)
        self.assertIn("not enforceable until a judge orders compliance", self.client.get(self.url + "/").content.decode())

    def test_a_new_decision_replaces_one_waiting(self):
        self.scope()
        self.propose("compelled")
        first = SubpoenaDecision.objects.get()
        self.propose("quash")
        self.assertIsNotNone(SubpoenaDecision.objects.get(pk=first.pk).superseded_at)
        self.as_deputy()
        r = self.client.post(f"{self.url}/subpoena/{first.id}/confirm/", follow=True)
        self.assertContains(r, "already confirmed or replaced")
        self.assertEqual(Case.objects.get(pk=self.case.pk).verdict, "")

    def test_compelled_needs_a_named_scope_and_everything_else_is_required(self):
        self.assertContains(self.propose(follow=True), "First record what the subpoena names")
        self.assertFalse(SubpoenaDecision.objects.exists())
        tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        for bad, message in (({"basis": ""}, "This field is required."), ({"counsel": ""}, "This field is required."),
                             ({"counsel_advised_on": "soon"}, "Enter a valid date."),
                             ({"outcome": "shred"}, "Unknown decision")):
            r = self.propose(**{"outcome": "decline", **bad})
            self.assertEqual(r.status_code, 400, bad)
            self.assertContains(r, message, status_code=400)
        self.assertContains(self.propose("decline", counsel_advised_on=tomorrow, follow=True), "not in the future")
        self.assertFalse(SubpoenaDecision.objects.exists())

    def test_who_may_decide_and_confirm(self):
        self.scope()
        self.propose()
        decision = SubpoenaDecision.objects.get()
        for user in (self.privacy, self.manager, self.desk, self.admin):
            self.client.logout()
            self.login(user)
            r = self.client.post(f"{self.url}/subpoena/{decision.id}/confirm/")
            self.assertIn(r.status_code, (403, 404), user.username)
            r = self.client.post(f"{self.url}/subpoena/", {"outcome": "decline", "basis": "x", "counsel": "x",
                                                            "counsel_advised_on": "2026-01-01"})
            self.assertIn(r.status_code, (403, 404), user.username)
        self.as_deputy()
        missing = f"{self.url}/subpoena/00000000-0000-0000-0000-000000000000/confirm/"
        self.assertEqual(self.client.post(missing).status_code, 404)
        self.assertTrue(SubpoenaDecision.objects.get().pending)
        with self.assertRaisesMessage(subpoena.DecisionError, "Only the director or designee"):
            subpoena.do_confirm(Actor.for_user(self.privacy), decision, user=self.privacy)

    def test_a_judge_signed_case_has_no_subpoena_path(self):
        case = open_case(self.desk, requester="law_enforcement", document="judicial_search_warrant",
                         category="registration")
        page = self.client.get(f"/requests/cases/{case.id}/").content.decode()
        self.assertNotIn("Subpoena: the director", page)
        self.assertIn("Decide", page)
        with self.assertRaisesMessage(subpoena.DecisionError, "does not record a subpoena"):
            subpoena.do_propose(Actor.for_user(self.director), case, outcome="decline", basis="b", counsel="c",
                                counsel_advised_on=timezone.localdate(), user=self.director)
        # Disclosing a subpoena through the judge's path is refused, and says where to go.
        with self.assertRaisesMessage(services.CaseError, "a second person confirms it"):
            services.do_decide(Actor.for_user(self.director), self.case, "disclose", "counsel says so")

    def test_the_copy_of_the_subpoena_must_be_that_subpoena(self):
        actor = Actor.for_user(self.director)
        i200 = upload(name="i200.png")
        i200.reading = {"kind": "ice_administrative_warrant", "signed_by_judge": False}
        with self.assertRaisesMessage(production.ProductionError, "cannot be the copy of this subpoena"):
            production.do_set_scope(actor, self.case, document="grand_jury_subpoena", patron=self.patron,
                                    categories=["registration"], order_uploads=[i200])
        doc = services.do_add_documents(actor, self.case, [upload()], kind="court_order")[0]
        with self.assertRaisesMessage(production.ProductionError, "It cannot be the copy of this subpoena"):
            production.do_set_scope(actor, self.case, document="grand_jury_subpoena", patron=self.patron,
                                    categories=["registration"], order_doc=doc)
        with self.assertRaisesMessage(production.ProductionError, "the subpoena the case records"):
            production.do_set_scope(actor, self.case, document="administrative_subpoena", patron=self.patron,
                                    categories=["registration"], order_uploads=[upload()])
        self.assertFalse(Production.objects.exists())
        same = services.do_add_documents(actor, self.case, [upload()], kind="grand_jury_subpoena")[0]
        production.do_set_scope(actor, self.case, document="grand_jury_subpoena", patron=self.patron,
                                categories=["registration"], order_doc=same)
        self.assertEqual(CaseDocument.objects.get(pk=same.pk).role, "order")
