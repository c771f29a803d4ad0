"""Sensitive free text at the desk (issue 12, section 4): the privacy audit's high-risk scanner
applied where staff type about a patron. A statement that a person has an immigration status,
a national origin or a health condition, or an identity number, is refused with a message that
says what kind of thing it is and why, never the value, and nothing is saved; a topic a patron
asks about is accepted. Where text records what officers said or did (a case file, a SALUTE
report) or what someone reads (a title), statuses are not refused (patrons/validators.py)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.patrons.models import Patron
from quietdesk.patrons.services import do_register_patron
from quietdesk.patrons.validators import sensitive_kinds
from quietdesk.records.models import Program, ProgramRegistration, ReferenceNote
from quietdesk.vault.models import DataKey
from tests.personas import PersonaTestCase, patron_data

# (text, what the refusal must say)
REFUSED = [
    ("Patron is undocumented, from Guatemala", ["immigration status", "national origin"]),
    ("Undocumented.", ["immigration status"]),
    ("Her asylum case is next month", ["immigration status"]),
    ("Dijo que es indocumentada y teme la deportación", ["immigration status"]),
    ("Family from Honduras, new in town", ["national origin"]),
    ("Patron is Salvadoran", ["national origin"]),
    ("A-number A123456789 on his letter", ["A-number"]),
    ("SSN 123-45-6789", ["Social Security"]),
    ("ITIN 912-78-1234 for the tax clinic", ["ITIN"]),
    ("Patron has HIV", ["health"]),
    ("Está embarazada, necesita una silla", ["health"]),
]
ACCEPTED = [
    "Asked for books on asylum law",
    "Wants the Immigration Law Handbook",
    "Citizenship class schedule",
    "Know your rights if you are undocumented: pamphlet",
    "Diabetes cookbook on hold",
    "Travel guide to Guatemala",
    "Prefers Spanish; call after 5",
    "Libros sobre la diabetes",
]


def counts():
    return (Patron.objects.count(), DataKey.objects.count(), AccessEntry.objects.count(),
            ReferenceNote.objects.count(), Program.objects.count(), ProgramRegistration.objects.count())


class Validator(PersonaTestCase):
    def test_each_refused_example_names_its_kinds(self):
        for text, _ in REFUSED:
            self.assertTrue(sensitive_kinds(text), text)
        for text in ACCEPTED:
            self.assertEqual(sensitive_kinds(text), [], text)


class PatronForm(PersonaTestCase):
    def setUp(self):
        self.login(self.desk)

    def post(self, url, **fields):
        data = {k: ("" if v is None else v) for k, v in patron_data(60).items()} | fields
        return self.client.post(url, data)

    def test_notes_refuse_statements_and_accept_topics(self):
        for text, words in REFUSED:
            before = counts()
            r = self.post(reverse("patrons:register"), notes=text)
            self.assertEqual(r.status_code, 200, text)
            errors = r.context["form"].errors["notes"]
            for word in words:
                self.assertIn(word, errors[0], text)
            self.assertIn("never writes these down", errors[0])
            for value in ("Guatemala", "Honduras", "123", "912", "HIV", "asylum case", "indocumentada"):
                self.assertNotIn(value, errors[0])  # what was found, never the value
            self.assertEqual(counts(), before, text)  # nothing saved, nothing logged
        for n, text in enumerate(ACCEPTED):
            r = self.post(reverse("patrons:register"), notes=text, card_number=f"2199900000{n:04d}")
            self.assertEqual(r.status_code, 302, text)

    def test_names_and_address_are_checked_too(self):
        before = counts()
        r = self.post(reverse("patrons:register"), family_name="Lopez (undocumented)")
        self.assertIn("immigration status", r.context["form"].errors["family_name"][0])
        self.assertEqual(counts(), before)

    def test_an_edit_is_refused_the_same_way(self):
        url = reverse("patrons:edit", args=[self.patron.id])
        before = counts()
        r = self.post(url, notes="Patron is undocumented, from Guatemala", card_number="21000000000001")
        self.assertIn("immigration status", r.context["form"].errors["notes"][0])
        self.assertEqual(counts(), before)
        r = self.post(url, notes="Asked for books on asylum law", card_number="21000000000001")
        self.assertEqual(r.status_code, 302)

    def test_the_audit_flags_such_a_note_saved_before(self):
        """A note written before the desk refused it (or through a path without the form) is what
        the privacy audit finds afterwards, with the same scanner."""
        from quietdesk.legal.nondisclosure import load
        from quietdesk.privacy.audit_report import highrisk

        old = do_register_patron(Actor.system("test"), patron_data(61, notes="Patron is undocumented, from Guatemala"))
        scan = highrisk.scan(Actor.system("test"), load())
        [found] = [f for f in scan["findings"] if f["record"] == old.pseudonym]
        self.assertEqual(found["kinds"], {"immigration": 1, "national_origin": 1})
        self.assertNotIn("Guatemala", str(scan))


class RecordsForms(PersonaTestCase):
    def setUp(self):
        self.login(self.desk)

    def test_follow_up_notes(self):
        for text, words in REFUSED:
            before = counts()
            r = self.client.post(reverse("records:notes"), {"question": text, "days": "3"})
            self.assertEqual(r.status_code, 200, text)
            self.assertIn(words[0], r.context["form"].errors["question"][0], text)
            self.assertEqual(counts(), before, text)
        r = self.client.post(reverse("records:notes"), {"question": "Books on asylum law for a patron",
                                                         "contact": "phone (707) 524-3311", "days": "3"})
        self.assertEqual(r.status_code, 302)
        r = self.client.post(reverse("records:notes"), {"question": "Call back", "contact": "she is from Peru",
                                                         "days": "3"})
        self.assertIn("national origin", r.context["form"].errors["contact"][0])

    def test_program_titles_and_first_names(self):
        when = {"starts_at": "2030-01-05T18:00", "ends_at": "2030-01-05T19:00", "registration": "first_name"}
        before = counts()
        r = self.client.post(reverse("records:programs"), {"title": "ESL for Maria, who is undocumented", **when})
        self.assertIn("immigration status", r.context["form"].errors["title"][0])
        self.assertEqual(counts(), before)
        for title in ("Know your rights: DACA renewal workshop", "Citizenship class", "Stories from Guatemala"):
            r = self.client.post(reverse("records:programs"), {"title": title, **when})
            self.assertEqual(r.status_code, 302, title)
        program = Program.objects.get(title="Citizenship class")
        self.client.post(reverse("records:program_register", args=[program.pk]), {"first_name": "Ana, from Honduras"})
        self.client.post(reverse("records:program_register", args=[program.pk]), {"first_name": "Ana"})
        self.assertEqual(ProgramRegistration.objects.filter(program=program).count(), 1)


class WhereStatusesAreNotRefused(PersonaTestCase):
    """Text that records what officers said or did, or what someone reads, keeps only the base
    checks (unreadable bytes, SSN shapes): statuses in it are the officer's words or a title."""

    def test_an_officers_statement_in_a_case_file(self):
        from quietdesk.legal.forms import DeskForm, NoteForm

        said = "They are looking for an undocumented woman from Honduras who has HIV"
        self.assertTrue(NoteForm({"kind": "statement", "text": said}).is_valid())
        self.assertNotIn("statement", DeskForm({"statement": said}).errors)
        self.assertFalse(NoteForm({"kind": "statement", "text": "SSN 123-45-6789"}).is_valid())

    def test_a_salute_report_describes_officers(self):
        from quietdesk.alerts.forms import SaluteForm

        form = SaluteForm({"activity": "Two ICE agents asking patrons if they are undocumented, from Mexico"})
        form.is_valid()
        self.assertNotIn("activity", form.errors)

    def test_titles_requested_are_not_judged(self):
        from quietdesk.circulation.forms import IllForm

        for title in ("Immigration Law Handbook", "I Am Undocumented: A Memoir", "Living with HIV"):
            self.assertTrue(IllForm({"title": title, "lender": "Petaluma"}).is_valid(), title)
        self.assertFalse(IllForm({"title": "123-45-6789", "lender": "Petaluma"}).is_valid())

    def test_an_authorizations_holder_name_is_a_name_only(self):
        from quietdesk.legal.forms import AuthorizationForm

        form = AuthorizationForm({"card_number": "21000000000001", "presenter": "authorized_third_party",
                                  "holder_name": "Rosa (undocumented)", "categories": ["circulation"],
                                  "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
                                  "signed": "on"})
        form.is_valid()
        self.assertIn("immigration status", form.errors["holder_name"][0])
        form = AuthorizationForm({"holder_name": "Rosa María Pérez"})
        form.is_valid()
        self.assertNotIn("holder_name", form.errors)
