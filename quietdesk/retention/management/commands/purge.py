"""quietdesk purge [--dry-run] [--batch-size N] [--no-progress]"""

import datetime
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from quietdesk.retention import log_retention, purge
from quietdesk.retention.purge_rules import BY_KEY, COUNT_LABELS, FILES


def _label(key: str) -> str:
    files = {f.key: f.label for f in FILES}
    if key in files:
        return files[key]
    if key in COUNT_LABELS:
        return COUNT_LABELS[key]
    rule = BY_KEY.get(key)
    return rule.label if rule else key


class Command(BaseCommand):
    help = "Delete or anonymize every record past its retention rule (resumable; see docs/operators-guide.md)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; change nothing.")
        parser.add_argument("--batch-size", type=int, default=None, help="Rows per transaction (default: schedule).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (cron, logs).")
        parser.add_argument("--as-of", default=None,
                            help="Apply the rules as at this ISO date-time instead of now (tests, catching up).")

    def handle(self, *args, dry_run=False, batch_size=None, no_progress=False, as_of=None, verbosity=1, **opts):
        when = None
        if as_of:
            try:
                when = datetime.datetime.fromisoformat(as_of)
            except ValueError:
                raise CommandError(f"--as-of {as_of!r} is not an ISO date-time (2026-11-21T03:00).") from None
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
            if when > timezone.now() + datetime.timedelta(minutes=5):
                raise CommandError("--as-of cannot be in the future: that would delete records before their time.")
        if batch_size is not None and not 1 <= batch_size <= 1_000_000:
            raise CommandError("--batch-size must be between 1 and 1,000,000.")
        purger = purge.Purger(as_of=when, batch_size=batch_size, triggered_by="quietdesk purge")
        if dry_run:
            result = purge.plan(purger.ctx)
            self.stdout.write(f"Dry run as of {purger.ctx.as_of:%Y-%m-%d %H:%M}: nothing was changed.")
            for key, n in result.due.items():
                held = result.held.get(key, 0)
                self.stdout.write(f"  {n:>10}  {_label(key)}" + (f"  ({held} kept for legal holds)" if held else ""))
            self.stdout.write(f"  {result.total:>10}  in all")
            log = log_retention.prune_access_log(dry_run=True)
            self.stdout.write(f"  {log.blanked:>10}  access-log entries past their period"
                              + (f" ({log.kept} kept for open cases and legal holds)" if log.kept else ""))
            return
        bar = None
        if not no_progress and verbosity > 0 and sys.stderr.isatty():
            total = purge.plan(purger.ctx).total  # counting costs a scan: only for a person watching
            bar = tqdm(total=total, unit="rec", desc="purge", leave=False)
        purger.progress = bar
        try:
            run = purger.run()
        finally:
            if bar is not None:
                bar.close()
        if verbosity > 0:
            self.stdout.write(f"Purge run #{run.pk} {run.status} in {run.batches} batches "
                              f"({(run.finished_at - run.started_at).total_seconds():.1f} s):")
            for key, n in run.counts.items():
                if n or verbosity > 1:
                    self.stdout.write(f"  {n:>10}  {_label(key)}")
            for key, n in run.held.items():
                if n:
                    self.stdout.write(f"  {n:>10}  {_label(key)} kept for legal holds")
            self.stdout.write(f"  {run.total:>10}  records removed or anonymized in all")
        if run.status == run.Status.DONE:
            log = log_retention.prune_access_log()
            if verbosity > 0:
                self.stdout.write(f"Access log: {log.blanked} entries past their period blanked, {log.removed} "
                                  f"removed behind a signed checkpoint, {log.routine_summaries} day(s) of "
                                  "routine counts summarized"
                                  + (f"; {log.kept} kept for open cases and legal holds" if log.kept else "") + ".")
