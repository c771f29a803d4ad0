"""Parents and guardians (age rules) and people with a patron's written authorization."""

import datetime

from django.utils import timezone

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.legal import registry, third_parties
from quietdesk.legal.models import ThirdPartyAuthorization
from quietdesk.patrons.services import do_register_patron
from tests.audit.helpers import about
from tests.legal.helpers import png_file, upload
from tests.personas import PersonaTestCase, patron_data

FUTURE = timezone.localdate().replace(day=1) + datetime.timedelta(days=400)


def owed(access, patron):
    access.read([patron], ["card_number"], category="circulation")
    return [{"overdue_items": 2, "amount_owed": "1.50"}]


def loans(access, patron, date_from, date_to):
    access.read([patron], ["card_number"], category="circulation")
    return [{"date": "2025-05-01", "title": "The Secret Garden", "due": "2025-05-22"}]


CIRCULATION = registry.Producer("circulation", "Loans", ("date", "title", "due"), loans, owed=owed)


class ParentTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        system = Actor.system("test")
        cls.child = do_register_patron(system, patron_data(
            3, given_name="Kiddo", card_number="CHILD00001", age_band="child", age_band_changes_on=FUTURE))
        cls.teen = do_register_patron(system, patron_data(
            4, given_name="Teenie", card_number="TEEN000001", age_band="teen", age_band_changes_on=FUTURE))
        cls.grown = do_register_patron(system, patron_data(
            5, given_name="Grownup", card_number="TEEN000002", age_band="teen",
            age_band_changes_on=timezone.localdate() - datetime.timedelta(days=1)))

    def setUp(self):
        self.saved = dict(registry.REGISTRY)
        registry.register(CIRCULATION)
        self.login(self.desk)

    def tearDown(self):
        registry.REGISTRY.clear()
        registry.REGISTRY.update(self.saved)

    def ask(self, card, category):
        return self.client.post("/requests/parent/", {"card_number": card, "category": category}).content.decode()

    def test_under_13_with_the_card_sees_the_records(self):
        page = self.ask("CHILD00001", "circulation")
        self.assertIn("The Secret Garden", page)
        page = self.ask("CHILD00001", "registration")
        self.assertIn("Kiddo", page)
        self.assertTrue(about(self.child.id, action="parent_view"))  # a disclosure: logged, sealed

    def test_without_the_card_nothing(self):
        page = self.ask("", "circulation")
        self.assertIn('class="verdict deny"', page)
        self.assertIn("card or card number first. the branch manager can explain our policy", page.lower())
        self.assertNotIn("The Secret Garden", page)

    def test_13_to_17_only_overdue_and_owed(self):
        page = self.ask("TEEN000001", "circulation")
        self.assertIn("1.50", page)
        self.assertNotIn("The Secret Garden", page)
        page = self.ask("TEEN000001", "registration")
        self.assertNotIn("Teenie", page)
        self.assertIn("only say whether items are overdue", page)

    def test_a_birthday_past_the_band_is_read_cautiously(self):
        page = self.ask("TEEN000002", "circulation")  # now 18: an adult patron
        self.assertNotIn("1.50", page)
        self.assertIn("adult patron", page)

    def test_unknown_card(self):
        r = self.client.post("/requests/parent/", {"card_number": "NOPE000001", "category": "circulation"})
        self.assertEqual(r.status_code, 400)
        self.assertIn("No patron has that card number", r.content.decode())

    def test_unknown_category_lists_valid_ones(self):
        page = self.ask("CHILD00001", "diary")
        self.assertIn("Unknown category", page)
        self.assertIn("registration, circulation", page)


class AuthorizationTests(PersonaTestCase):
    def setUp(self):
        self.saved = dict(registry.REGISTRY)
        registry.register(CIRCULATION)
        self.login(self.desk)

    def tearDown(self):
        registry.REGISTRY.clear()
        registry.REGISTRY.update(self.saved)

    def record(self, **overrides):
        data = {"action": "record", "presenter": "authorized_third_party", "card_number": "21000000000001",
                "holder_name": "Alex Proxy",
                "categories": ["circulation"], "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
                "signed": "on", "files": [png_file("authorization.png")]}
        data.update(overrides)
        return self.client.post("/requests/authorizations/", data)

    def approve(self, auth):
        self.client.logout()
        self.login(self.manager)
        self.client.post(f"/requests/authorizations/{auth.id}/approve/")
        self.client.logout()
        self.login(self.desk)

    def show(self, auth, presenter="authorized_third_party", **extra):
        return self.client.post(f"/requests/authorizations/{auth.id}/",
                                {"presenter": presenter, "checked_id": "on", **extra})

    def test_records_within_scope_only(self):
        r = self.record()
        auth = ThirdPartyAuthorization.objects.get()
        self.assertRedirects(r, f"/requests/authorizations/{auth.id}/")
        self.assertNotIn(b"Alex", bytes(auth.holder_name_ct))
        self.approve(auth)
        page = self.client.get(r["Location"]).content.decode()
        self.assertIn("Alex Proxy", page)
        self.assertNotIn("The Secret Garden", page)  # shown only once told who is presenting it
        page = self.show(auth).content.decode()
        self.assertIn("The Secret Garden", page)
        self.assertNotIn("patron1@example.org", page)  # registration is not in the authorization
        self.assertTrue(AccessEntry.objects.filter(action="third_party_view").exists())
        r = self.client.post(f"/requests/authorizations/{auth.id}/records.pdf",
                             {"presenter": "authorized_third_party", "checked_id": "on"})
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertEqual(self.client.get(f"/requests/authorizations/{auth.id}/document/").status_code, 200)

    def test_expired_or_revoked_shows_nothing(self):
        self.record()
        auth = ThirdPartyAuthorization.objects.get()
        ThirdPartyAuthorization.objects.update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
        page = self.client.get(f"/requests/authorizations/{auth.id}/").content.decode()
        self.assertIn("expired", page)
        self.assertNotIn("The Secret Garden", page)
        self.assertEqual(self.client.post(f"/requests/authorizations/{auth.id}/records.pdf").status_code, 404)
        ThirdPartyAuthorization.objects.update(expires_on=timezone.localdate())
        self.client.post(f"/requests/authorizations/{auth.id}/revoke/")
        self.assertEqual(third_parties.authorized_view(Actor.for_user(self.desk), ThirdPartyAuthorization.objects.get(),
                                                requester="authorized_third_party"), [])

    def test_bad_input(self):
        r = self.record(signed="", files=[], expires_on="2001-01-01", categories=["gossip"])
        page = r.content.decode()
        self.assertEqual(r.status_code, 400)
        self.assertIn("This field is required", page)
        self.assertIn("already expired", page)
        self.assertIn("Add a photo or scan of the document", page)
        self.assertIn("Unknown category", page)
        self.assertFalse(ThirdPartyAuthorization.objects.exists())

    def test_find(self):
        self.record()
        page = self.client.post("/requests/authorizations/", {"action": "find",
                                                               "find-card_number": "21000000000001"}).content.decode()
        self.assertIn("valid until", page)

    def test_shredding_the_patron_removes_the_authorization(self):
        from quietdesk.patrons.services import do_shred_patron

        third_parties.do_record_authorization(Actor.system("t"), self.patron, categories=["circulation"],
                                       expires_on=timezone.localdate(), upload=upload())
        do_shred_patron(Actor.system("t"), self.patron, reason="test")
        self.assertFalse(ThirdPartyAuthorization.objects.exists())
