from django.urls import reverse

from quietdesk.audit.models import AccessEntry
from quietdesk.patrons.models import Patron
from quietdesk.vault.models import DataKey
from tests.audit.helpers import about
from tests.personas import PersonaTestCase, patron_data


def form(**overrides):
    data = {k: ("" if v is None else v) for k, v in patron_data(50).items()}
    data.update(overrides)
    return data


class RegisterTests(PersonaTestCase):
    def setUp(self):
        self.login(self.desk)

    def test_register_stores_only_ciphertext_and_logs(self):
        before = AccessEntry.objects.count()
        r = self.client.post(reverse("patrons:register"), form(given_name="Wilhelmina"))
        patron = Patron.objects.exclude(pk=self.patron.pk).get()
        self.assertRedirects(r, reverse("patrons:detail", args=[patron.id]), fetch_redirect_response=False)
        self.assertNotIn(b"Wilhelmina", bytes(patron.given_name_ct))
        self.assertEqual(AccessEntry.objects.count(), before + 1)
        entry = AccessEntry.objects.last()
        self.assertEqual((entry.action, entry.actor), ("register", "desk"))
        self.assertEqual(about(patron.id), [entry])  # named by a reference only the patron's key matches
        self.assertNotIn(patron.pseudonym, str(list(AccessEntry.objects.values())))
        self.assertNotIn("Wilhelmina", str(list(AccessEntry.objects.values())))

    def test_view_is_logged_in_same_request(self):
        before = AccessEntry.objects.filter(action="view").count()
        r = self.client.get(reverse("patrons:detail", args=[self.patron.id]))
        self.assertContains(r, "Given1 Family1")
        self.assertEqual(r["Cache-Control"], "no-store")
        self.assertEqual(AccessEntry.objects.filter(action="view").count(), before + 1)
        e = AccessEntry.objects.filter(action="view").last()
        self.assertEqual((e.role, e.categories), ("circulation", "registration"))
        self.assertIn(e, about(self.patron.id))

    def test_find_by_card_email_and_name(self):
        for by, query in [("card_number", "21000-000000001"), ("email", "PATRON1@example.org"), ("full_name", "given1  FAMILY1")]:
            r = self.client.post(reverse("patrons:find"), {"by": by, "query": query})
            self.assertRedirects(r, reverse("patrons:detail", args=[self.patron.id]), fetch_redirect_response=False)
        r = self.client.post(reverse("patrons:find"), {"by": "card_number", "query": "NOSUCHCARD1"})
        self.assertContains(r, "No patron matches")
        self.assertTrue(AccessEntry.objects.filter(action="search", subject="").exists())

    def test_find_by_get_never_carries_the_query(self):
        r = self.client.get(reverse("patrons:find") + "?query=Given1&by=full_name")
        self.assertNotContains(r, "matches")

    def test_duplicate_card_is_a_form_error(self):
        r = self.client.post(reverse("patrons:register"), form(card_number="21000000000001"))
        self.assertContains(r, "already in use")
        self.assertEqual(Patron.objects.count(), 1)

    def test_edit_and_delete(self):
        url = reverse("patrons:edit", args=[self.patron.id])
        self.assertContains(self.client.get(url), 'value="Given1"')
        r = self.client.post(url, form(given_name="Renamed", card_number="21000000000001", email="new@example.org"))
        self.assertEqual(r.status_code, 302)
        self.assertContains(self.client.get(reverse("patrons:detail", args=[self.patron.id])), "Renamed")
        # Circulation staff may not destroy records: 404, same as a missing patron.
        delete = reverse("patrons:delete", args=[self.patron.id])
        self.assertEqual(self.client.get(delete).status_code, 404)
        self.login(self.manager)
        self.assertEqual(self.client.post(delete, {}).status_code, 200)  # must confirm
        r = self.client.post(delete, {"confirm": "on"})
        self.assertEqual(r.status_code, 302)
        self.assertFalse(Patron.objects.exists())
        self.assertFalse(DataKey.objects.filter(subject_id=self.patron.id).exists())
        self.assertEqual(self.client.get(reverse("patrons:detail", args=[self.patron.id])).status_code, 404)


class BadInputTests(PersonaTestCase):
    """Bad input: a form error, never a 500, nothing half-written."""

    def setUp(self):
        self.login(self.desk)
        self.rows = (Patron.objects.count(), DataKey.objects.count(), AccessEntry.objects.count())

    def assert_refused(self, data, message):
        r = self.client.post(reverse("patrons:register"), data)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, message)
        self.assertEqual((Patron.objects.count(), DataKey.objects.count(), AccessEntry.objects.count()), self.rows)

    def test_ssn_shaped_text_is_refused_everywhere(self):
        for field in ("given_name", "family_name", "notes"):
            for value in ("123-45-6789", "her number 123 45 6789", "912-70-1234", "123456789"):
                self.assert_refused(form(**{field: value}), "Social Security")
        self.assert_refused(form(card_number="123456789"), "Social Security")

    def test_phone_and_card_numbers_are_not_mistaken_for_ssn(self):
        r = self.client.post(reverse("patrons:register"), form(contact="phone", phone="(707) 555-1234", email="",
                                                               card_number="21234000123456"))
        self.assertEqual(r.status_code, 302)

    def test_huge_fields(self):
        self.assert_refused(form(given_name="x" * 100_000), "at most 100 characters")
        self.assert_refused(form(notes="y" * 50_000), "at most 1000 characters")

    def test_malformed_card_numbers(self):
        for card in ("", "12", "ABC!@#$", "x" * 30, "кириллица1"):
            r = self.client.post(reverse("patrons:register"), form(card_number=card))
            self.assertEqual(r.status_code, 200, card)
        self.assertEqual(Patron.objects.count(), 1)

    def test_missing_contact_and_minor_without_date(self):
        self.assert_refused(form(email=""), "Enter an email address")
        self.assert_refused(form(age_band="child"), "For a minor")
        self.assert_refused(form(contact="sideways"), "Select a valid choice")

    def test_invalid_utf8_and_nul_bytes(self):
        body = b"given_name=%FF%FE%FD&family_name=a&card_number=21000000000077&contact=none&age_band=adult"
        r = self.client.post(reverse("patrons:register"), body, content_type="application/x-www-form-urlencoded")
        self.assertContains(r, "could not be read")
        self.assertEqual(Patron.objects.count(), 1)
        self.assert_refused(form(given_name="Ana\x00Maria"), "Null characters")

    def test_empty_post(self):
        self.assert_refused({}, "This field is required")


class LegalHoldTests(PersonaTestCase):
    def test_a_patron_under_legal_hold_cannot_be_destroyed(self):
        import datetime

        from quietdesk.retention import legal_holds

        legal_holds.hold_for_production(self.director_actor(), patron=self.patron, categories=["registration"],
                                  date_from=datetime.date(2020, 1, 1), date_to=datetime.date(2030, 1, 1),
                                  reason="records produced for case C-TEST")
        self.login(self.manager)
        r = self.client.post(reverse("patrons:delete", args=[self.patron.id]), {"confirm": "on"})
        self.assertContains(r, "legal hold")
        self.assertTrue(Patron.objects.filter(pk=self.patron.pk).exists())
        self.assertTrue(DataKey.objects.filter(subject_id=self.patron.id).exists())

    def director_actor(self):
        from quietdesk.audit.service import Actor

        return Actor.for_user(self.director)


class RawInsertTests(PersonaTestCase):
    """Registration writes its row with plain SQL: it must stay the model's row."""

    def test_columns_are_the_models_fields_in_order(self):
        from quietdesk.patrons import services

        self.assertEqual(services._BULK_COLUMNS, tuple(f.column for f in Patron._meta.concrete_fields))

    def test_registered_row_reads_back_through_the_orm(self):
        import datetime

        from django.utils import timezone

        from quietdesk.audit.service import Actor
        from quietdesk.patrons.services import do_register_patron, view_patron

        data = patron_data(77) | {"age_band": "teen", "age_band_changes_on": datetime.date(2031, 5, 4)}
        made = do_register_patron(Actor("desk", "circulation"), data, branch=self.branch)
        got = Patron.objects.get(pk=made.pk)
        month = timezone.localdate().replace(day=1)  # a month, never the day of the visit
        self.assertEqual((got.home_branch_id, got.age_band, got.age_band_changes_on, got.registered_on,
                          got.active_month, got.expiry_notice_on),
                         (self.branch.id, "teen", datetime.date(2031, 5, 4), month, month, None))
        self.assertEqual((got.pseudonym, got.card_bidx, got.email_bidx, got.name_bidx),
                         (made.pseudonym, made.card_bidx, made.email_bidx, made.name_bidx))
        self.assertEqual(view_patron(Actor("desk", "circulation"), got, purpose="test")["given_name"], "Given77")

    def test_a_datetime_for_the_band_change_is_stored_as_its_date(self):
        import datetime

        from quietdesk.audit.service import Actor
        from quietdesk.patrons.services import do_register_patron

        data = patron_data(78) | {"age_band": "child", "age_band_changes_on": datetime.datetime(2032, 1, 1, 9, 30)}  # noqa: DTZ001
        made = do_register_patron(Actor("desk", "circulation"), data)
        self.assertEqual(Patron.objects.get(pk=made.pk).age_band_changes_on, datetime.date(2032, 1, 1))

    def test_key_prefetch_skips_rows_without_a_subject_and_takes_text_ids(self):
        from quietdesk.vault import datakeys

        datakeys.cache.clear()
        datakeys.prefetch([None, str(self.patron.id)])
        self.assertIsNotNone(datakeys.cache.get(self.patron.id))
