"""The producers for the circulation and records apps, with real loans, holds,
reading history, interlibrary loans and computer sessions."""

import csv
import datetime
import io
import json
import zipfile

from django.utils import timezone

from quietdesk.audit.service import Actor
from quietdesk.circulation import ill as ill_services
from quietdesk.circulation import services as circ
from quietdesk.circulation.holds import do_place_hold
from quietdesk.circulation.models import CirculationPreference, Item
from quietdesk.legal import production, registry, services
from quietdesk.patrons.services import do_register_patron
from quietdesk.records.services import do_start_session
from quietdesk.retention.models import LegalHold
from tests.legal.helpers import open_case, upload
from tests.personas import PersonaTestCase, patron_data

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


class ProducerTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        staff = Actor.for_user(cls.desk)
        cls.teen = do_register_patron(Actor.system("t"), patron_data(
            6, given_name="Teo", card_number="TEEN000009", age_band="teen", age_band_changes_on=TODAY + 400 * DAY))
        other = do_register_patron(Actor.system("t"), patron_data(7, given_name="Otto"))
        items = {name: Item.objects.create(barcode=f"B{i:05d}", title=title)
                 for i, (name, title) in enumerate([("recent", "Recent Novel"), ("old", "Old Overdue Atlas"),
                                                    ("read", "Returned Memoir"), ("held", "Held Cookbook"),
                                                    ("other", "Other Patron Book"), ("teen", "Teen Overdue")])}
        CirculationPreference.objects.create(patron=cls.patron, keep_reading_history=True)
        circ.do_checkout(staff, cls.patron, items["recent"], today=TODAY - 2 * DAY)
        circ.do_checkout(staff, cls.patron, items["old"], today=TODAY - 60 * DAY)
        circ.do_checkout(staff, cls.patron, items["read"], today=TODAY - 5 * DAY)
        circ.do_return(staff, items["read"], today=TODAY - 3 * DAY)
        circ.do_checkout(staff, other, items["held"], today=TODAY - 1 * DAY)
        do_place_hold(staff, cls.patron, items["held"])
        circ.do_checkout(staff, other, items["other"], today=TODAY - 2 * DAY)
        circ.do_checkout(staff, cls.teen, items["teen"], today=TODAY - 40 * DAY)
        ill_services.do_request_ill(staff, cls.patron, title="Sealed Interlibrary Title", lender="State Library")
        do_start_session(staff, station="PC-3", minutes=30, patron=cls.patron)

    def test_registered(self):
        self.assertEqual(registry.categories(), ["registration", "circulation", "holds", "computer_use", "ill"])

    def test_self_access_shows_everything_of_theirs(self):
        from quietdesk.legal import selfaccess

        sections = {s["category"]: s for s in selfaccess.own_records(self.patron, purpose="test")}
        titles = [r["title"] for r in sections["circulation"]["rows"]]
        self.assertIn("Recent Novel", titles)
        self.assertIn("Old Overdue Atlas", titles)
        self.assertIn("Returned Memoir", titles)  # reading history, shown to the patron
        self.assertNotIn("Other Patron Book", titles)
        self.assertEqual([r["title"] for r in sections["holds"]["rows"]], ["Held Cookbook"])
        self.assertEqual([r["title"] for r in sections["ill"]["rows"]], ["Sealed Interlibrary Title"])
        self.assertEqual([r["station"] for r in sections["computer_use"]["rows"]], ["PC-3"])
        data = json.loads(selfaccess.as_json(self.patron, list(sections.values()), exported_at=timezone.now()))
        self.assertEqual(len(data["records"]["circulation"]), 3)

    def test_production_in_scope_and_legal_hold(self):
        director = Actor.for_user(self.director)
        case = open_case(self.desk, requester="law_enforcement", document="judicial_search_warrant")
        item = production.do_set_scope(director, case, document="judicial_search_warrant", patron=self.patron,
                                       categories=["circulation", "holds"], date_from=TODAY - 10 * DAY,
                                       date_to=TODAY, order_uploads=[upload()])
        services.do_decide(director, case, "disclose", "Warrant names loans of the last ten days.")
        item = production.do_produce(director, item)
        with zipfile.ZipFile(io.BytesIO(production.read_package(director, item))) as zf:
            loans = list(csv.DictReader(io.StringIO(zf.read("records/circulation.csv").decode())))
            holds = list(csv.DictReader(io.StringIO(zf.read("records/holds.csv").decode())))
            self.assertNotIn("records/ill.csv", zf.namelist())
        self.assertEqual(sorted(r["title"] for r in loans), ["Recent Novel", "Returned Memoir"])
        self.assertEqual([r["title"] for r in holds], ["Held Cookbook"])
        hold = LegalHold.objects.get()
        self.assertEqual((hold.patron, hold.category_list), (self.patron, ["circulation", "holds"]))
        self.assertEqual((hold.date_from, hold.date_to), (TODAY - 10 * DAY, TODAY))
        self.assertIn(hold.label, item.hold_ref)

    def test_parent_of_a_teen_gets_overdue_and_owed_only(self):
        from quietdesk.legal import third_parties

        result = third_parties.parent_view(Actor.for_user(self.desk), self.teen, "circulation", child_card=True)
        rows = result["sections"][0]["rows"]
        self.assertEqual(rows, [{"overdue_items": 1, "amount_owed": "0.00"}])
        self.assertNotIn("Teen Overdue", json.dumps(result["sections"]))

    def test_reading_history_is_not_for_third_parties(self):
        from quietdesk.legal import third_parties

        auth = third_parties.do_record_authorization(Actor.system("t"), self.patron, categories=["circulation"],
                                              expires_on=TODAY, upload=upload())
        auth = third_parties.do_approve_authorization(Actor.for_user(self.manager), auth, user=self.manager)
        sections = third_parties.authorized_view(Actor.for_user(self.desk), auth, requester="authorized_third_party")
        titles = [r["title"] for r in sections[0]["rows"]]
        self.assertIn("Recent Novel", titles)
        self.assertNotIn("Returned Memoir", titles)
