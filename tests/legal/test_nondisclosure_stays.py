"""A FISA order or a National Security Letter stays under non-disclosure, and the public
transparency report only ever counts it in the band (security review, finding 14)."""

import datetime

from django.core import mail
from django.utils import timezone

from quietdesk.audit.service import Actor
from quietdesk.legal import services, transparency
from quietdesk.legal.models import Case
from quietdesk.legal.transparency import Period
from tests.legal.helpers import open_case
from tests.personas import PersonaTestCase


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(11, 0), tzinfo=timezone.get_current_timezone())


class NondisclosureStaysTests(PersonaTestCase):
    def setUp(self):
        self.actor = Actor.for_user(self.director)
        mail.outbox.clear()

    def test_the_director_cannot_lift_it_on_an_nsl(self):
        case = open_case(self.desk, requester="law_enforcement", document="national_security_letter")
        self.assertTrue(case.nondisclosure)
        services.do_update(self.actor, case, {"nondisclosure": False})
        self.assertTrue(Case.objects.get(pk=case.pk).nondisclosure)
        self.login(self.director)
        self.client.post(f"/requests/cases/{case.id}/update/", {
            "requester": "law_enforcement", "document": "national_security_letter"})  # box left unticked
        self.assertTrue(Case.objects.get(pk=case.pk).nondisclosure)

    def test_relabelling_to_a_fisa_order_marks_it(self):
        case = open_case(self.desk, requester="law_enforcement", document="court_order")
        services.do_update(self.actor, case, {"document": "fisa_order", "nondisclosure": False,
                                              "reason": "It is a FISC order."})
        self.assertTrue(Case.objects.get(pk=case.pk).nondisclosure)

    def test_the_report_folds_fisa_and_nsl_into_the_band_whatever_the_flag(self):
        day = datetime.date(2025, 3, 3)
        fisa = open_case(None, requester="law_enforcement", document="fisa_order", arrived_at=at(day))
        nsl = open_case(None, requester="law_enforcement", document="national_security_letter", arrived_at=at(day))
        Case.objects.filter(pk__in=[fisa.pk, nsl.pk]).update(nondisclosure=False)  # cleared before this fix
        open_case(None, requester="public", arrived_at=at(day))
        report = transparency.report(Period(2025, 1), today=datetime.date(2026, 1, 1))
        labels = {row["label"] for row in report["by_document"]}
        self.assertFalse(any("FISA" in label or "National Security" in label for label in labels))
        self.assertEqual(report["total"], 1)
        self.assertEqual({row["label"]: row["total"] for row in report["by_requester"]}, {"Members of the public": 1})
        self.assertEqual(report["band"], "0\u2013249")
