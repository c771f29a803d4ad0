"""Issue 14 §5: published statistics a reader can use. Noise sensible at branch scale at the
defaults, every figure with its 95% interval, a warning where the noise swamps the figure, a
chart drawn on the server, branch names instead of codes, and optional fields that are."""

import datetime
import re

from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from quietdesk.audit.service import Actor
from quietdesk.core.models import Branch
from quietdesk.records import services as records
from quietdesk.stats import sources
from quietdesk.stats.models import BudgetSpend, Release
from quietdesk.stats.present import present
from quietdesk.stats.queries import QueryError, do_release
from tests.personas import PersonaTestCase

SYSTEM = Actor.system("test")


def this_month() -> str:
    return sources.month_key(timezone.localdate())


class Defaults(PersonaTestCase):
    def test_at_the_defaults_a_small_count_is_no_longer_buried_under_120(self):
        month = this_month()
        for kind in ("computers", "circulation", "programs"):
            release = do_release(SYSTEM, kind, first=month, last=month)
            self.assertEqual(release.epsilon, settings.QUIETDESK_DP_EPSILON_PER_QUERY)
            self.assertLess(release.accuracy95, 20, kind)  # was ±120 for loans and sessions
        # Four tables at the default fit one month's budget, a fifth does not.
        self.assertGreaterEqual(settings.QUIETDESK_DP_EPSILON_BUDGET / settings.QUIETDESK_DP_EPSILON_PER_QUERY, 4)

    def test_an_epsilon_too_small_to_be_useful_is_refused_before_anything_is_spent(self):
        month = this_month()
        with self.assertRaises(QueryError) as refused:
            do_release(SYSTEM, "computers", first=month, last=month, epsilon=0.05)
        self.assertIn("Nothing was spent", str(refused.exception))
        self.assertIn("±", str(refused.exception))
        self.assertFalse(BudgetSpend.objects.exists())
        self.assertFalse(Release.objects.exists())


class ReleasePage(PersonaTestCase):
    def setUp(self):
        super().setUp()
        Branch.objects.filter(code="central").update(name="Main Library on Fourth Street")
        Branch.objects.filter(code="east").update(name="Eastside Branch")
        past = timezone.now() - datetime.timedelta(hours=3)
        program = records.do_create_program(SYSTEM, title="Story time", starts_at=past,
                                            ends_at=past + datetime.timedelta(hours=1), registration="none",
                                            branch=self.branch)
        records.do_record_attendance(SYSTEM, program, 500)
        month = this_month()
        self.release = do_release(SYSTEM, "programs", first=month, last=month)

    def test_each_figure_shows_its_interval_and_swamped_ones_are_flagged(self):
        shown = present(self.release)
        by_branch = {f.keys[0]: f for f in shown.figures}
        main = by_branch["Main Library on Fourth Street"]
        error = self.release.accuracy95
        self.assertEqual((main.low, main.high), (max(0, round(main.count - error)), round(main.count + error)))
        self.assertFalse(main.swamped)  # 500 ± a few
        for f in shown.figures:  # swamped: the 95% error is half the figure or more
            self.assertEqual(f.swamped, error >= f.count / 2, f)
        # East and "no branch" had no programs: both near zero, so (barring noise of 13+ on both) one is flagged.
        self.assertGreaterEqual(shown.too_noisy, 1)
        self.login(self.director)
        page = self.client.get(f"/stats/releases/{self.release.pk}/").content.decode()
        self.assertIn("Main Library on Fourth Street", page)
        self.assertIn("No branch recorded", page)
        self.assertNotIn("<td>central</td>", page)
        self.assertIn(f"<td>{main.count}</td><td>{main.low} to {main.high}</td>", page)
        self.assertIn('id="noise-warning"', page)
        self.assertIn("too noisy to read on", page)
        self.assertIn("Too noisy to use alone", page)

    def test_a_table_where_every_figure_is_swamped_says_so(self):
        release = Release.objects.create(
            kind="programs", first_month="2026-01", last_month="2026-02", epsilon_micro=1_000_000, bound=2,
            scale=2.0, accuracy95=6.43, columns=["branch", "month", "count"],
            rows=[["central", "2026-01", 3], ["central", "2026-02", 0], ["east", "2026-01", 12]],
            created_by="test")
        shown = present(release)
        self.assertEqual([f.swamped for f in shown.figures], [True, True, True])  # 12 ± 6.4: half or more
        self.assertTrue(shown.warning.startswith("Every figure in this table is too noisy"))
        self.assertEqual(shown.figures[0].interval, "0–9")
        self.login(self.privacy)
        page = self.client.get(f"/stats/releases/{release.pk}/").content.decode()
        self.assertIn("Every figure in this table is too noisy", page)

    def test_the_series_is_drawn_as_an_svg_with_no_script_or_style(self):
        release = Release.objects.create(
            kind="computers", first_month="2026-01", last_month="2026-03", epsilon_micro=1_000_000, bound=5,
            scale=5.0, accuracy95=15.45, columns=["branch", "month", "count"],
            rows=[["central", m, n] for m, n in (("2026-01", 230), ("2026-02", 250), ("2026-03", 10))]
            + [["east", m, n] for m, n in (("2026-01", 90), ("2026-02", 120), ("2026-03", 110))],
            created_by="test")
        self.login(self.director)
        page = self.client.get(f"/stats/releases/{release.pk}/").content.decode()
        svg = re.search(r"<svg\b.*?</svg>", page, re.S).group(0)
        self.assertEqual(svg.count("<polyline"), 2)  # one line per branch
        self.assertEqual(svg.count("<circle"), 6)
        self.assertIn("Main Library on Fourth Street", svg)  # the legend names the branch
        self.assertIn("2026-02", svg)
        self.assertNotIn("<script", svg)
        self.assertNotIn("style=", svg)
        self.assertEqual(svg.count('fill="#ffffff" stroke='), 1)  # only 10 ± 15 is hollow
        self.assertIn("250 (95% interval 235–265)", svg)  # the figures in words, for a screen reader

    def test_the_csv_has_names_intervals_and_the_warning(self):
        self.login(self.director)
        csv = self.client.get(f"/stats/releases/{self.release.pk}/statistics.csv").content.decode()
        self.assertIn("branch,month,count,low_95,high_95,too_noisy", csv)
        self.assertIn("Main Library on Fourth Street,", csv)
        self.assertNotIn("\ncentral,", csv)


class OptionalFields(PersonaTestCase):
    def test_only_the_statistic_is_needed(self):
        self.login(self.privacy)
        r = self.client.post("/stats/", {"kind": "programs"})
        self.assertEqual(r.status_code, 302, r.content.decode()[:2000])
        release = Release.objects.get()
        today = timezone.localdate()
        last = sources.month_key(today.replace(day=1) - datetime.timedelta(days=1))
        self.assertEqual(release.last_month, last)
        self.assertEqual(len(sources.months_between(release.first_month, release.last_month)), 12)
        self.assertEqual(release.epsilon, settings.QUIETDESK_DP_EPSILON_PER_QUERY)

    def test_the_form_marks_them_optional_and_previews_the_noise(self):
        self.login(self.privacy)
        page = self.client.get("/stats/").content.decode()
        for label in ("From month", "To month", "Privacy budget to spend (epsilon)"):
            self.assertRegex(page, re.escape(label) + r' <span class="opt">\(optional\)</span>')
        self.assertIn('id="noise-preview"', page)
        self.assertIn("each count is within ±15 of the true count", page)

    @override_settings(QUIETDESK_DP_EPSILON_BUDGET=1.0, QUIETDESK_DP_EPSILON_PER_QUERY=1.0)
    def test_a_month_given_alone_still_works(self):
        month = this_month()
        release = do_release(SYSTEM, "programs", first=month)
        self.assertEqual((release.first_month, release.last_month), (month, month))


class Command(PersonaTestCase):
    def test_the_command_prints_intervals_names_and_the_warning(self):
        import io

        from django.core.management import call_command

        out, err = io.StringIO(), io.StringIO()
        call_command("stats", "release", "programs", stdout=out, stderr=err)  # no months, no epsilon: defaults
        text = out.getvalue()
        self.assertIn("branch,month,count,low_95,high_95,too_noisy", text)
        self.assertIn("\nCentral,", text)
        self.assertNotIn("\ncentral,", text)
        self.assertIn("Warning:", err.getvalue())  # an empty library: counts near zero, ±6
        self.assertIn("too noisy to read on", err.getvalue())
