"""Legal holds: only the director places or releases them; both are logged."""

import datetime

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.retention import legal_holds
from quietdesk.retention.models import LegalHold
from tests.personas import PersonaTestCase

CARD = "21000000000001"


class Pages(PersonaTestCase):
    def form(self, **extra):
        data = {"reference": "2026-CV-0042", "served_on": "2026-11-01", "scope": "patron", "card_number": CARD,
                "categories": ["circulation", "holds"], "date_from": "2026-01-01", "date_to": "2026-11-01"}
        data.update(extra)
        return data

    def test_director_places_and_releases(self):
        self.login(self.director)
        r = self.client.post(reverse("retention:legal_hold_new"), self.form())
        self.assertRedirects(r, reverse("retention:legal_holds"), fetch_redirect_response=False)
        hold = LegalHold.objects.get()
        self.assertEqual((hold.patron_id, hold.category_list), (self.patron.pk, ["circulation", "holds"]))
        page = self.client.get(reverse("retention:legal_holds"))
        self.assertContains(page, hold.label)
        self.assertContains(page, self.patron.pseudonym)
        self.assertNotContains(page, "Given1")
        r = self.client.post(reverse("retention:legal_hold_release", args=[hold.pk]), {"reason": "case closed"})
        self.assertEqual(r.status_code, 302)
        hold.refresh_from_db()
        self.assertIsNotNone(hold.released_at)
        self.assertEqual(list(AccessEntry.objects.filter(action__startswith="legal_hold").values_list("action", "actor")),
                         [("legal_hold", "director"), ("legal_hold_release", "director")])

    def test_bad_input_is_a_form_error(self):
        self.login(self.director)
        for extra, words in [({"card_number": "77777777"}, "No patron has that card number"),
                             ({"card_number": ""}, "Give the card number"),
                             ({"date_from": "2026-12-01"}, "ends before it starts"),
                             ({"categories": ["nonsense"]}, "Select a valid choice"),
                             ({"reference": "123-45-6789"}, "Social Security")]:
            r = self.client.post(reverse("retention:legal_hold_new"), self.form(**extra))
            self.assertContains(r, words, status_code=200)
        self.assertFalse(LegalHold.objects.exists())
        r = self.client.post(reverse("retention:legal_hold_new"), self.form(scope="all", card_number=""))
        self.assertEqual(r.status_code, 302)
        self.assertTrue(LegalHold.objects.get().all_patrons)

    def test_nobody_else(self):
        for user in (self.desk, self.manager, self.privacy, self.admin):
            self.login(user)
            self.assertEqual(self.client.get(reverse("retention:legal_holds")).status_code, 403)
            self.assertEqual(self.client.post(reverse("retention:legal_hold_new"), self.form()).status_code, 403)
        self.assertFalse(LegalHold.objects.exists())
        for role in ("circulation", "person_in_charge", "privacy_officer", "sysadmin", "system"):
            with self.assertRaises(PermissionDenied):
                legal_holds.do_place_legal_hold(Actor("x", role), reference="r", served_on=datetime.date(2026, 1, 1),
                                          categories=["camera"], date_from=datetime.date(2026, 1, 1),
                                          date_to=datetime.date(2026, 1, 2), all_patrons=True)

    def test_retention_overview(self):
        self.login(self.privacy)
        r = self.client.get(reverse("retention:overview"))
        self.assertContains(r, "Inventory")
        self.assertContains(r, "anonymous returned loans")
        self.assertContains(r, "Never stored.")

    def test_production_hook_places_a_hold(self):
        label = legal_holds.hold_for_production(Actor("director", "director"), patron=self.patron,
                                          categories=["registration", "circulation", "presence"],
                                          reason="records produced for case C-1")
        hold = LegalHold.objects.get()
        # Registration is holdable (a hold stops the patron's record being destroyed); "presence" is not a record.
        self.assertEqual((label, hold.category_list), (hold.label, ["circulation", "registration"]))
