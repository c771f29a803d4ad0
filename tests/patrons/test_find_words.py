"""Finding a patron by any whole word of the name: a truncated blind index per word,
a list to choose from, nothing in clear, rows that go with the patron."""

import datetime

from django.test import override_settings
from django.urls import reverse

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.patrons import services
from quietdesk.patrons.models import Patron, PatronNameWord
from quietdesk.vault import api as vault
from quietdesk.vault import reader
from tests.personas import PersonaTestCase, patron_data

DESK = Actor("desk", "circulation")


class FindByWordTests(PersonaTestCase):
    def setUp(self):
        self.login(self.desk)
        self.maria = services.do_register_patron(DESK, patron_data(61, given_name="María José",
                                                                   family_name="García-López"))
        self.chen = services.do_register_patron(DESK, patron_data(62, given_name="Maria", family_name="Chen"))
        self.ana = services.do_register_patron(DESK, patron_data(63, given_name="Ana", family_name="Garcia"))

    def find(self, query):
        return self.client.post(reverse("patrons:find"), {"by": "full_name", "query": query})

    def test_any_whole_word_lists_the_matches_to_choose_from(self):
        before = AccessEntry.objects.filter(action="search").count()
        page = self.find("garcia")
        self.assertContains(page, "2 matches: choose one")
        self.assertContains(page, "María José García-López")
        self.assertContains(page, "Ana Garcia")
        self.assertContains(page, "card ending 0061")
        self.assertNotContains(page, "Chen")
        # One search entry per patron listed, each named by a sealed reference.
        self.assertEqual(AccessEntry.objects.filter(action="search").count() - before, 2)
        # Accents, capitals and word order do not matter; all words must be there; one match opens it.
        self.assertRedirects(self.find("LOPEZ maria"), reverse("patrons:detail", args=[self.maria.id]),
                             fetch_redirect_response=False)
        self.assertContains(self.find("maria"), "2 matches")
        self.assertContains(self.find("gar"), "No patron matches")  # whole words only
        self.assertContains(self.find("maria garcia chen"), "No patron matches")

    def test_the_index_holds_no_name_and_follows_edits_and_shreds(self):
        rows = list(PatronNameWord.objects.filter(patron=self.maria).values_list("word_bidx", flat=True))
        self.assertEqual(len(rows), 4)  # maria, jose, garcia, lopez
        self.assertTrue(all(isinstance(b, int) and 0 <= b < 2 ** 16 for b in rows))
        self.assertNotIn("garc", str(list(PatronNameWord.objects.values())).lower())
        services.do_update_patron(DESK, self.ana, {"given_name": "Ana", "family_name": "Torres"})
        self.assertRedirects(self.find("garcia"), reverse("patrons:detail", args=[self.maria.id]),
                             fetch_redirect_response=False)
        self.assertRedirects(self.find("torres"), reverse("patrons:detail", args=[self.ana.id]),
                             fetch_redirect_response=False)
        services.do_shred_patron(DESK, self.chen, reason="test")
        self.assertFalse(PatronNameWord.objects.filter(patron_id=self.chen.id).exists())

    def test_too_many_matches_shows_none(self):
        listed, matched = reader.find_words(DESK, Patron.objects.all(), PatronNameWord, "maria",
                                            purpose="test", show=("given_name",), limit=1)
        self.assertEqual((listed, matched), ([], 2))
        entry = AccessEntry.objects.filter(action="search").last()
        self.assertEqual(entry.subject, "")
        self.assertIn("2 matches, none shown", entry.basis)

    @override_settings(BLIND_INDEX_BITS=1)
    def test_collisions_are_removed_by_decrypting(self):
        """With one bit, every word collides with half the others: the names are compared in clear, in memory."""
        for p in Patron.objects.all():
            PatronNameWord.objects.filter(patron=p).delete()
        services.index_names(Actor.system("name-index"))
        listed, matched = reader.find_words(DESK, Patron.objects.all(), PatronNameWord, "chen", purpose="test")
        self.assertEqual([p.id for p, _ in listed], [self.chen.id])

    def test_index_names_fills_in_older_records_once(self):
        PatronNameWord.objects.all().delete()
        self.assertEqual(services.index_names(Actor.system("name-index")), Patron.objects.count())
        self.assertEqual(services.index_names(Actor.system("name-index")), 0)
        self.assertRedirects(self.find("chen"), reverse("patrons:detail", args=[self.chen.id]),
                             fetch_redirect_response=False)

    def test_bulk_registration_indexes_the_words(self):
        from django.db import transaction

        records = [dict(patron_data(70 + i, given_name=f"Bulk{i}", family_name="Okonkwo"), home_branch_id=None)
                   for i in range(3)]
        with transaction.atomic():
            services.bulk_register_patrons(*services.seal_patrons(records, registered_on=datetime.date(2026, 1, 5)))
        listed, matched = reader.find_words(DESK, Patron.objects.all(), PatronNameWord, "okonkwo", purpose="test")
        self.assertEqual(matched, 3)
        self.assertEqual(vault.name_words("  José  Núñez-García  J. "), ["jose", "nunez", "garcia"])
