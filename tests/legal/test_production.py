"""Scoped production: the package holds exactly what the order names."""

import csv
import datetime
import hashlib
import io
import json
import zipfile

from django.core import mail

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.legal import production, registry, services
from quietdesk.legal.models import Case, Production
from quietdesk.patrons.services import do_register_patron
from tests.audit.helpers import about
from tests.legal.helpers import open_case, png_bytes, png_file, upload
from tests.personas import PersonaTestCase, patron_data

D = datetime.date
# Program attendance kept by a test producer: A has four, B has one.
ATTENDED = {}


def sloppy_programs(access, patron, date_from, date_to):
    """Ignores the date range on purpose: production must enforce it anyway."""
    access.read([patron], ["card_number"], category="programs")
    return [{"date": day.isoformat(), "program": name} for day, name in ATTENDED.get(patron.id, [])]


PROGRAMS = registry.Producer(category="programs", label="Programs", columns=("date", "program"),
                             rows=sloppy_programs)


class ProductionTests(PersonaTestCase):
    def setUp(self):
        self.saved = dict(registry.REGISTRY)
        registry.register(PROGRAMS)
        self.other = do_register_patron(Actor.system("test"), patron_data(2, given_name="Bartholomew"))
        ATTENDED.clear()
        ATTENDED[self.patron.id] = [(D(2024, 12, 31), "Too early"), (D(2025, 1, 1), "Knitting circle"),
                                    (D(2025, 3, 31), "Citizenship class"), (D(2025, 4, 1), "Too late")]
        ATTENDED[self.other.id] = [(D(2025, 2, 2), "Other patron's story time")]
        self.case = open_case(self.desk, requester="law_enforcement", document="judicial_search_warrant",
                              category="programs", officer_name="Det. Rook")
        mail.outbox.clear()
        self.login(self.director)

    def tearDown(self):
        registry.REGISTRY.clear()
        registry.REGISTRY.update(self.saved)

    def scope(self, **overrides):
        data = {"card_number": "21000000000001", "document": "judicial_search_warrant",
                "categories": ["registration", "programs"], "date_from": "2025-01-01", "date_to": "2025-03-31",
                "files": [png_file("order.png")]}
        data.update(overrides)
        return self.client.post(f"/requests/cases/{self.case.id}/scope/", data)

    def test_the_package_holds_exactly_the_named_records(self):
        self.assertEqual(self.scope().status_code, 302)
        item = Production.objects.get()
        r = self.client.post(f"/requests/cases/{self.case.id}/decide/",
                             {"verdict": "disclose", "support": "Judge-signed warrant, checked with counsel."})
        self.assertEqual(r.status_code, 302)
        before = AccessEntry.objects.filter(action="produce").count()
        url = f"/requests/cases/{self.case.id}/productions/{item.id}/produce/"
        # Irreversible: first a preview of exactly which records and fields leave, then a confirmation.
        preview = self.client.get(url)
        self.assertContains(preview, "Check what will leave the library")
        self.assertContains(preview, "First name, Last name, Card number")
        self.assertContains(preview, "This cannot be undone")
        unconfirmed = self.client.post(url, {})
        self.assertEqual(unconfirmed.status_code, 400)
        item.refresh_from_db()
        self.assertIsNone(item.produced_at)
        self.assertEqual(AccessEntry.objects.filter(action="produce").count(), before)
        r = self.client.post(url, {"confirm": "on"})
        self.assertEqual(r.status_code, 302)
        item.refresh_from_db()
        self.assertIsNotNone(item.produced_at)
        self.assertEqual(Case.objects.get(pk=self.case.pk).state, "produced")
        # Afterwards the decision forms close and the page says what was produced, and when.
        page = self.client.get(f"/requests/cases/{self.case.id}/")
        self.assertContains(page, 'id="produced"')
        self.assertNotContains(page, 'id="decide"')
        self.assertRedirects(self.client.get(url), f"/requests/cases/{self.case.id}/#production-{item.id}",
                             fetch_redirect_response=False)
        # Every record read went through the reader as the officer, on the order: logged.
        self.assertEqual(AccessEntry.objects.filter(action="produce").count() - before, 2)
        self.assertTrue(AccessEntry.objects.filter(action="produce", basis__contains="face_of_document").exists())
        self.assertTrue(about(self.patron.id, action="legal_hold", case_ref=self.case.pseudonym))

        r = self.client.get(f"/requests/cases/{self.case.id}/productions/{item.id}/package.zip")
        self.assertEqual(r["Content-Type"], "application/zip")
        data = b"".join(r.streaming_content) if r.streaming else r.content
        self.assertEqual(hashlib.sha256(data).hexdigest(), item.package_sha256)
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
        self.assertEqual(names, {"records/registration.csv", "records/programs.csv", "records/records.pdf",
                                 "order/order-copy.png", "production.json", "inventory.csv"})
        # The inventory lists every other file with its SHA-256, and the hashes hold.
        inventory = list(csv.DictReader(io.StringIO(zf.read("inventory.csv").decode())))
        self.assertEqual({row["path"] for row in inventory}, names - {"inventory.csv"})
        for row in inventory:
            content = zf.read(row["path"])
            self.assertEqual(hashlib.sha256(content).hexdigest(), row["sha256"], row["path"])
            self.assertEqual(len(content), int(row["bytes"]))
        self.assertEqual(item.inventory, [{"path": r_["path"], "bytes": int(r_["bytes"]), "sha256": r_["sha256"]}
                                          for r_ in inventory])
        # Exactly the named records: this patron, these dates, these categories.
        programs = list(csv.DictReader(io.StringIO(zf.read("records/programs.csv").decode())))
        self.assertEqual([p["program"] for p in programs], ["Knitting circle", "Citizenship class"])
        registration = list(csv.DictReader(io.StringIO(zf.read("records/registration.csv").decode())))
        self.assertEqual(len(registration), 1)
        self.assertEqual(registration[0]["given_name"], "Given1")
        everything = b"".join(zf.read(n) for n in names if not n.endswith(".pdf") and not n.endswith(".png"))
        for outside in (b"Bartholomew", b"Other patron", b"Too early", b"Too late", b"Family2"):
            self.assertNotIn(outside, everything)
        self.assertEqual(zf.read("order/order-copy.png"), png_bytes())
        manifest = json.loads(zf.read("production.json"))
        self.assertEqual(manifest["produced_by"], "director")
        self.assertEqual(manifest["patron"], self.patron.pseudonym)
        self.assertEqual(manifest["categories"], ["registration", "programs"])
        self.assertEqual((manifest["date_from"], manifest["date_to"]), ("2025-01-01", "2025-03-31"))
        self.assertEqual(manifest["counts"], {"registration": 1, "programs": 2})
        self.assertTrue(manifest["legal_hold"])
        from tests.legal.test_cases import pdf_text

        text = pdf_text(zf.read("records/records.pdf"))
        self.assertIn("Citizenship class", text)
        self.assertNotIn("Too late", text)
        self.assertNotIn("Bartholomew", text)
        # Now the case can close; the package stays, sealed.
        self.assertNotIn(b"Knitting", bytes(Production.objects.get().package_ct))
        self.client.post(f"/requests/cases/{self.case.id}/close/", {})
        self.assertEqual(Case.objects.get(pk=self.case.pk).state, "closed")

    def test_no_named_scope_cannot_be_produced(self):
        r = self.scope(categories=[])
        self.assertIn("An order with no named scope cannot be produced", r.content.decode())
        self.assertFalse(Production.objects.exists())
        r = self.scope(date_from="", date_to="")
        self.assertIn("Give the date range the order names", r.content.decode())
        r = self.scope(card_number="99999999999")
        self.assertIn("No patron has that card number", r.content.decode())
        self.assertFalse(Production.objects.exists())

    def test_scope_refuses_unknown_and_non_judicial_words(self):
        r = self.scope(document="administrative_subpoena")
        self.assertIn("Valid documents: judicial_search_warrant, court_order, fisa_order", r.content.decode())
        r = self.scope(categories=["registration", "gossip"])
        self.assertIn("Unknown category", r.content.decode())
        actor = Actor.for_user(self.director)
        with self.assertRaisesMessage(production.ProductionError, "signed by a judge"):
            production.do_set_scope(actor, self.case, document="grand_jury_subpoena", patron=self.patron,
                                    categories=["registration"], order_uploads=[upload()])
        self.assertFalse(Production.objects.exists())

    def test_production_waits_for_the_decision_and_an_officer(self):
        actor = Actor.for_user(self.director)
        item = production.do_set_scope(actor, self.case, document="court_order", patron=self.patron,
                                       categories=["registration"], order_uploads=[upload()])
        with self.assertRaisesMessage(production.ProductionError, "has not decided to disclose"):
            production.do_produce(actor, item)
        with self.assertRaisesMessage(services.CaseError, "A production is scoped but not produced"):
            services.do_close(actor, self.case)
        services.do_decide(actor, self.case, "disclose", "Order checked.")
        Case.objects.filter(pk=self.case.pk).update(requester="public")
        with self.assertRaisesMessage(production.ProductionError, "answers an officer's order"):
            production.do_produce(actor, item)
        Case.objects.filter(pk=self.case.pk).update(requester="immigration_officer")
        production.do_produce(actor, item)
        with self.assertRaisesMessage(production.ProductionError, "already made"):
            production.do_produce(actor, item)

    def test_only_the_director_produces(self):
        actor = Actor.for_user(self.director)
        item = production.do_set_scope(actor, self.case, document="court_order", patron=self.patron,
                                       categories=["registration"], order_uploads=[upload()])
        services.do_decide(actor, self.case, "disclose", "Order checked.")
        self.client.logout()
        self.login(self.privacy)
        self.assertEqual(self.client.post(f"/requests/cases/{self.case.id}/productions/{item.id}/produce/",
                                          {"confirm": "on"}).status_code, 404)
        self.assertIsNone(Production.objects.get().produced_at)

    def test_registry_rejects_non_record_categories(self):
        with self.assertRaises(ValueError):
            registry.register(registry.Producer("statistics", "x", ("a",), lambda *a: []))
        self.assertIn("registration", registry.categories())
