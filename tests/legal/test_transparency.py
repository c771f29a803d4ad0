"""The transparency report: counts by type and outcome; non-disclosure only in bands."""

import datetime

import pytest
from django.utils import timezone

from quietdesk.audit.service import Actor
from quietdesk.legal import services, transparency
from quietdesk.legal.models import Case
from quietdesk.legal.transparency import Period
from tests.legal.helpers import open_case
from tests.personas import PersonaTestCase


@pytest.mark.nodb
@pytest.mark.parametrize("count,expected", [(0, "0\u2013249"), (1, "0\u2013249"), (249, "0\u2013249"),
                                            (250, "250\u2013499"), (700, "500\u2013749")])
def test_bands(count, expected):
    assert transparency.band(count) == expected


@pytest.mark.nodb
def test_periods():
    assert Period.parse("2025-H1") == Period(2025, 1)
    assert Period.parse("2025-H3") is None
    assert Period.parse("'; drop") is None
    assert [p.key for p in transparency.finished_periods(datetime.date(2026, 3, 1), 3)] == \
        ["2025-H2", "2025-H1", "2024-H2"]


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(11, 0), tzinfo=timezone.get_current_timezone())


class ReportTests(PersonaTestCase):
    def setUp(self):
        self.period = Period(2025, 1)
        day = datetime.date(2025, 3, 3)
        actor = Actor.for_user(self.director)
        self.refused = open_case(None, requester="immigration_officer", document="administrative_subpoena",
                                 arrived_at=at(day))
        services.do_decide(actor, self.refused, "refuse")
        open_case(None, requester="immigration_officer", document="ice_administrative_warrant", arrived_at=at(day))
        open_case(None, requester="public", arrived_at=at(day))
        for _ in range(3):
            open_case(None, requester="law_enforcement", document="national_security_letter", arrived_at=at(day))
        open_case(None, requester="law_enforcement", document="fisa_order", arrived_at=at(day))
        open_case(None, requester="law_enforcement", arrived_at=at(datetime.date(2025, 7, 2)))  # next period

    def test_tables_leave_out_nondisclosure_cases(self):
        report = transparency.report(self.period, today=datetime.date(2025, 9, 10))
        self.assertEqual(report["total"], 3)
        labels = {row["label"]: row for row in report["by_document"]}
        self.assertEqual(labels["Administrative subpoena (agency-signed, e.g. ICE I-138)"]["counts"], [0, 1, 0])
        self.assertEqual(labels["ICE warrant signed by an immigration officer (I-200, I-205)"]["counts"], [0, 0, 1])
        self.assertNotIn("National Security Letter (FBI)", labels)
        self.assertFalse(any("FISA" in label for label in labels))
        who = {row["label"]: row["total"] for row in report["by_requester"]}
        self.assertEqual(who, {"Immigration officers": 2, "Members of the public": 1})
        self.assertIsNone(report["band"])  # not yet: 180 days after the period ends

    def test_band_after_the_delay(self):
        report = transparency.report(self.period, today=datetime.date(2025, 12, 27))
        self.assertIsNone(transparency.report(self.period, today=datetime.date(2025, 12, 26))["band"])
        self.assertEqual(report["band"], "0\u2013249")

    def test_public_page(self):
        page = self.client.get("/requests/transparency/?period=2025-H1").content.decode()
        # only finished periods can be chosen; an unknown value falls back to the latest
        self.assertEqual(self.client.get("/requests/transparency/?period=banana").status_code, 200)
        if Period(2025, 1) in transparency.finished_periods():
            self.assertIn("January to June 2025", page)
            self.assertIn("0\u2013249", page)
            self.assertNotIn("National Security Letter (FBI)", page)
        for case in Case.objects.all():
            self.assertNotIn(case.pseudonym, page)

    def test_the_current_period_is_not_published(self):
        open_case(None, requester="law_enforcement")
        keys = [p.key for p in transparency.finished_periods()]
        self.assertNotIn(Period.of(timezone.localdate()).key, keys)
