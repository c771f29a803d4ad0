"""quietdesk koha exposure [--json] | quietdesk koha enforce [--dry-run | --apply] [--batch-size N]"""

from __future__ import annotations

import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from quietdesk.audit.service import Actor
from quietdesk.ils import runs
from quietdesk.ils.connector import ConnectorError

ACTOR = Actor.system("koha")


def _as_of(raw: str | None) -> datetime.date | None:
    if not raw:
        return None
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"--as-of {raw!r} is not an ISO date (2026-11-21).") from None
    if day > timezone.localdate():
        raise CommandError("--as-of cannot be in the future: that would change records before their time.")
    return day


class Command(BaseCommand):
    help = "What the library's Koha holds (exposure), and the retention schedule applied inside it (enforce)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ex = sub.add_parser("exposure", help="What a demand served today could reach in Koha (read-only).")
        ex.add_argument("--json", action="store_true", help="One JSON document: a list of findings.")
        ex.add_argument("--as-of", default=None, help="Count retention as at this ISO date (default today).")
        en = sub.add_parser("enforce", help="Anonymise and delete what is past retention in Koha.")
        mode = en.add_mutually_exclusive_group()
        mode.add_argument("--dry-run", action="store_true", help="Count what is due; change nothing (the default).")
        mode.add_argument("--apply", action="store_true", help="Change Koha (needs an account with the grants).")
        en.add_argument("--batch-size", type=int, default=None, help="Key range per statement (default: schedule).")
        en.add_argument("--no-progress", action="store_true", help="No progress bar (cron, logs).")
        en.add_argument("--as-of", default=None, help="Apply the schedule as at this ISO date (default today).")

    def handle(self, *args, action, **opts):
        try:
            return getattr(self, f"do_{action}")(**opts)
        except ConnectorError as exc:
            raise CommandError(str(exc)) from None

    # --- exposure ------------------------------------------------------------------

    def do_exposure(self, json=False, as_of=None, **opts):  # noqa: A002 (the option's name)
        result = runs.do_exposure(ACTOR, as_of=_as_of(as_of))
        if json:
            self.stdout.write(_dumps(result.as_dict()))
            return
        self.stdout.write(render(result))

    # --- enforce -------------------------------------------------------------------

    def do_enforce(self, dry_run=False, apply=False, batch_size=None, no_progress=False, as_of=None, verbosity=1,
                   **opts):
        from quietdesk.retention import schedule

        batch_size = batch_size or schedule.get().batch_size
        if not 1 <= batch_size <= 1_000_000:
            raise CommandError("--batch-size must be between 1 and 1,000,000.")
        bars = []

        def progress(label, total):
            bar = tqdm(total=total, unit="batch", desc=label, leave=False)
            bars.append(bar)
            return bar.update

        show = apply and not no_progress and verbosity > 0 and sys.stderr.isatty()
        try:
            result = runs.do_enforce(ACTOR, apply=apply, batch_size=batch_size, progress=progress if show else None,
                                     as_of=_as_of(as_of))
        finally:
            for bar in bars:
                bar.close()
        if not apply:
            self.stdout.write(f"Dry run as of {result.as_of}: nothing was changed. Due now:")
            for s in result.steps:
                kept = f"  ({s.kept} kept: legal hold or the patron's choice)" if s.kept else ""
                self.stdout.write(f"  {s.due:>10}  {s.label.lower()} to be {s.verb}{kept}")
            self.stdout.write(f"  {sum(s.due for s in result.steps):>10}  in all. Run with --apply to change Koha.")
            return
        self.stdout.write(f"Enforced the retention schedule in Koha as of {result.as_of}:")
        for s in result.steps:
            self.stdout.write(f"  {s.done:>10}  {s.label.lower()} {s.verb} ({s.batches} batches)")
        if result.proven:
            self.stdout.write("Read back from Koha: nothing past retention remains (0 in every table).")
            return
        left = ", ".join(f"{t} {n}" for t, n in result.remaining.items() if n)
        raise CommandError(f"Read back from Koha: rows past retention remain ({left}). Koha may have changed "
                           "them during the run; run again.")


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


SECTIONS = (
    ("table", "What a demand served today could reach"),
    ("field", "Personal fields beyond what lending needs"),
    ("free_text", "High-risk free text (quietdesk's scanner: counts only)"),
    ("patrons", "Patrons' own choices"),
    ("preference", "Privacy settings (system preferences)"),
    ("category", "Patron categories"),
)


def render(result) -> str:
    """The human form: reads like the privacy audit."""
    s = result.summary
    lines = [f"Koha exposure ({result.source}), as of {result.as_of}",
             f"{s['past_retention']} row(s) past retention; {s['linked_rows']} row(s) naming patrons; "
             f"{s['high_risk_text']} value(s) with high-risk data; findings: "
             + ", ".join(f"{n} {k}" for k, n in s["severity"].items() if n), ""]
    for kind, title in SECTIONS:
        found = [f for f in result.findings if f.kind == kind]
        if not found:
            continue
        lines.append(f"== {title}")
        for f in found:
            if kind == "table":
                past = "-" if f.past_retention is None else f"{f.past_retention} past {f.retention_days}-day rule"
                lines.append(f"  [{f.severity:>6}] {f.label} ({f.table}): {f.rows} rows, {f.linked} naming patrons, "
                             f"oldest {f.oldest or '-'}, {past}" + (f", {f.kept} kept" if f.kept else ""))
            elif kind in ("preference", "category"):
                lines.append(f"  [{f.severity:>6}] {f.label} = {f.value!r} (recommended: {f.recommended})")
            elif kind == "free_text":
                lines.append(f"  [{f.severity:>6}] {f.label}: {f.rows} of {f.linked} value(s) flagged")
            else:
                lines.append(f"  [{f.severity:>6}] {f.label}: {f.value or f.rows}")
            if f.recommendation and f.severity != "ok":
                lines.append(f"           {f.recommendation}")
            if f.checklist and f.severity not in ("ok", "info"):
                lines.append(f"           ({f.checklist})")
        lines.append("")
    return "\n".join(lines)
