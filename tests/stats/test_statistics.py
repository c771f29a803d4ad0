"""Differentially private statistics: the ledger refuses past the budget, noise is stated, the
per-patron cap holds in SQL, and the counts come from SQL aggregates over public keys."""

import datetime

from django.test import override_settings
from django.utils import timezone

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.circulation import services as circulation
from quietdesk.circulation.models import Item
from quietdesk.patrons.services import do_register_patron
from quietdesk.records import services as records
from quietdesk.stats import dp, ledger, sources
from quietdesk.stats.models import BudgetSpend, CirculationTally, Release
from quietdesk.stats.queries import BudgetExceeded, QueryError, do_release
from tests.personas import PersonaTestCase, patron_data

SYSTEM = Actor.system("test")


def this_month() -> str:
    return sources.month_key(timezone.localdate())


class LedgerTests(PersonaTestCase):
    @override_settings(QUIETDESK_DP_EPSILON_BUDGET=1.0)
    def test_a_query_over_the_budget_is_refused_with_what_is_left(self):
        month = this_month()
        first = do_release(SYSTEM, "computers", first=month, last=month, epsilon=0.75)
        self.assertEqual(first.epsilon, 0.75)
        with self.assertRaises(BudgetExceeded) as refused:
            do_release(SYSTEM, "programs", first=month, last=month, epsilon=0.5)
        self.assertEqual(refused.exception.remaining, 0.25)
        self.assertIn("left", str(refused.exception))
        self.assertIn("0.25", str(refused.exception))
        self.assertEqual(Release.objects.count(), 1)  # nothing computed, nothing stored, nothing spent
        self.assertEqual(sum(s.epsilon_micro for s in BudgetSpend.objects.all()), 750_000)
        # What is left can still be spent, exactly.
        do_release(SYSTEM, "programs", first=month, last=month, epsilon=0.25)
        self.assertEqual(ledger.remaining([month]), {month: 0})

    @override_settings(QUIETDESK_DP_EPSILON_BUDGET=1.0)
    def test_the_page_refuses_with_the_remaining_budget_shown(self):
        self.login(self.privacy)
        month = this_month()
        do_release(SYSTEM, "computers", first=month, last=month, epsilon=0.9)
        r = self.client.post("/stats/", {"kind": "programs", "first_month": month, "last_month": month,
                                         "epsilon": "0.5"})
        self.assertEqual(r.status_code, 409)
        body = r.content.decode()
        self.assertIn("Refused", body)
        self.assertIn(f"{month}: 0.1", body)
        self.assertEqual(Release.objects.count(), 1)

    def test_each_month_has_its_own_budget(self):
        today = timezone.localdate()
        last = sources.month_key(today)
        first = sources.month_key(today.replace(day=1) - datetime.timedelta(days=1))
        do_release(SYSTEM, "programs", first=first, last=last, epsilon=0.5)
        self.assertEqual(set(BudgetSpend.objects.values_list("month", flat=True)), {first, last})
        left = ledger.remaining([first, last, "2001-01"])
        self.assertEqual(left["2001-01"], ledger.budget_micro())
        self.assertEqual(left[first], ledger.budget_micro() - 500_000)

    def test_bad_requests_are_refused_cleanly(self):
        month = this_month()
        for kwargs in ({"first": "2024-13", "last": "2024-12"}, {"first": month, "last": "2001-01"},
                       {"first": "3000-01", "last": "3000-02"}, {"first": "1990-01", "last": month}):
            with self.assertRaises(QueryError):
                do_release(SYSTEM, "programs", **kwargs)
        with self.assertRaises(QueryError):
            do_release(SYSTEM, "nope", first=month, last=month)
        with self.assertRaises(QueryError):
            do_release(SYSTEM, "programs", first=month, last=month, epsilon=0)
        self.login(self.privacy)
        for data in ({}, {"kind": "programs", "epsilon": "x"}, {"kind": "programs", "first_month": "May",
                                                               "last_month": month, "epsilon": "0.5"}):
            self.assertEqual(self.client.post("/stats/", data).status_code, 200)
        self.assertEqual(Release.objects.count(), 0)


class ReleaseTests(PersonaTestCase):
    def test_a_release_states_its_noise_and_covers_every_public_key(self):
        month = this_month()
        past = timezone.now() - datetime.timedelta(hours=3)
        program = records.do_create_program(SYSTEM, title="Story time", starts_at=past,
                                            ends_at=past + datetime.timedelta(hours=1), registration="none",
                                            branch=self.branch)
        records.do_record_attendance(SYSTEM, program, 500)
        release = do_release(SYSTEM, "programs", first=month, last=month, epsilon=1.0)
        self.assertEqual(release.bound, 2)
        self.assertAlmostEqual(release.scale, 2.0)
        self.assertGreater(release.accuracy95, 0)
        keys = [tuple(row[:2]) for row in release.rows]
        self.assertEqual(keys, [("central", month), ("east", month), ("", month)])  # zeros included
        counts = {row[0]: row[2] for row in release.rows}
        self.assertLess(abs(counts["central"] - 500), 80)  # noise of scale 2: far below 80
        self.assertTrue(AccessEntry.objects.filter(action="statistics", categories="statistics").exists())
        self.login(self.director)
        page = self.client.get(f"/stats/releases/{release.pk}/").content.decode()
        self.assertIn("How exact these figures are", page)
        self.assertIn("scale 2.00", page)
        csv = self.client.get(f"/stats/releases/{release.pk}/statistics.csv").content.decode()
        self.assertIn("discrete Laplace noise, scale 2.00", csv)
        self.assertIn("epsilon 1", csv)
        self.assertIn("branch,month,count", csv)
        self.login(self.desk)
        self.assertEqual(self.client.get(f"/stats/releases/{release.pk}/").status_code, 403)

    def test_opendp_confirms_the_epsilon_of_the_measurement(self):
        meas = dp.measurement(bound=20, epsilon=0.5)
        self.assertLessEqual(meas.map(20), 0.5 + 1e-9)
        self.assertGreater(meas.map(40), 0.5)  # a patron over the bound: more epsilon (group privacy)
        noised = dp.noisy_counts([0, 0, 0], bound=1, epsilon=1.0)
        self.assertTrue(all(v >= 0 for v in noised.counts))


class CapTests(PersonaTestCase):
    @override_settings(QUIETDESK_DP_MAX_LOANS=3)
    def test_the_cap_on_rows_per_patron_is_applied_in_sql(self):
        heavy = self.patron
        light = do_register_patron(SYSTEM, patron_data(2), branch=self.branch)
        items = [Item.objects.create(barcode=f"3900000000{i:04d}", title=f"Item {i}", branch=self.branch)
                 for i in range(12)]
        for item in items[:10]:
            circulation.do_checkout(SYSTEM, heavy, item)
        circulation.do_checkout(SYSTEM, light, items[10])
        counts = sources.loans_out(bound=3)
        self.assertEqual(counts, {("central", "general"): 4})  # 3 of the heavy borrower's 10, and 1
        self.assertEqual(sources.loans_out(bound=100), {("central", "general"): 11})

    @override_settings(QUIETDESK_DP_COLLECTIONS=["general", "children"], QUIETDESK_DP_COLLECTION_PREFIXES="children=J")
    def test_collections_come_from_public_keys_and_barcode_prefixes(self):
        Item.objects.create(barcode="J0001", title="A", branch=self.branch, loan_count=5)
        Item.objects.create(barcode="30001", title="B", branch=self.branch, loan_count=2)
        Item.objects.create(barcode="30002", title="C", branch=None, loan_count=1)
        day = timezone.localdate()
        sources.snapshot(day)
        sources.snapshot(day)  # idempotent
        totals = {(t.branch_code, t.collection): t.loans_total for t in CirculationTally.objects.filter(day=day)}
        self.assertEqual(totals, {("central", "children"): 5, ("central", "general"): 2, ("", "general"): 1})

    def test_monthly_circulation_is_the_growth_between_tallies(self):
        item = Item.objects.create(barcode="30003", title="D", branch=self.branch, loan_count=0)
        d1, d2, d3 = datetime.date(2025, 1, 10), datetime.date(2025, 1, 31), datetime.date(2025, 2, 14)
        for day, count in ((d1, 4), (d2, 9), (d3, 15)):
            Item.objects.filter(pk=item.pk).update(loan_count=count)
            sources.snapshot(day)
        counts = sources.circulation(["2025-01", "2025-02", "2025-03"])
        self.assertEqual(counts[("central", "general", "2025-01")], 9)  # from nothing before January
        self.assertEqual(counts[("central", "general", "2025-02")], 6)
        self.assertNotIn(("central", "general", "2025-03"), counts)
