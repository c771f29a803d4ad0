"""quietdesk stats tally | release KIND [--from YYYY-MM --to YYYY-MM --epsilon E] | budget

A release prints each count with its 95% interval (branches by name), and warns on stderr
when the noise swamps some of the figures."""

from django.core.management.base import BaseCommand, CommandError

from quietdesk.audit.service import Actor
from quietdesk.stats import ledger, sources
from quietdesk.stats.queries import QUERIES, BudgetExceeded, QueryError, do_release


class Command(BaseCommand):
    help = "Differentially private statistics: the daily circulation tally, publishing a table, the budget."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("tally", help="Store today's circulation tally (run daily from cron; idempotent).")
        rel = sub.add_parser("release", help="Publish one noisy table (spends privacy budget).")
        rel.add_argument("kind", choices=sorted(QUERIES))
        rel.add_argument("--from", dest="first", default=None, help="First month, YYYY-MM.")
        rel.add_argument("--to", dest="last", default=None, help="Last month, YYYY-MM.")
        rel.add_argument("--epsilon", type=float, default=None)
        bud = sub.add_parser("budget", help="Epsilon spent and left per month.")
        bud.add_argument("months", nargs="*", help="YYYY-MM (default: this month)")

    def handle(self, *args, action, **opts):
        if action == "tally":
            rows = sources.snapshot()
            self.stdout.write(f"Circulation tally stored: {rows} branch and collection total(s).")
        elif action == "release":
            try:
                release = do_release(Actor.system("stats"), opts["kind"], first=opts["first"], last=opts["last"],
                                     epsilon=opts["epsilon"])
            except (BudgetExceeded, QueryError) as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"Release #{release.pk}: {release.kind}, epsilon {release.epsilon:g}, noise scale "
                              f"{release.scale:.2f}, 95% within +/-{release.accuracy95:.0f}.")
            from quietdesk.stats.present import present

            shown = present(release)
            self.stdout.write(",".join([*release.columns, "low_95", "high_95", "too_noisy"]))
            for f in shown.figures:
                self.stdout.write(",".join([*f.keys, str(f.count), str(f.low), str(f.high),
                                            "yes" if f.swamped else "no"]))
            if shown.warning:
                self.stderr.write(f"Warning: {shown.warning}")
        else:
            from django.utils import timezone

            months = opts["months"] or [sources.month_key(timezone.localdate())]
            for line in ledger.overview(months):
                self.stdout.write(f"{line['month']}: spent {line['spent']:g}, left {line['left']:g}")
