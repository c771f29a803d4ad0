"""quietdesk import koha --patrons borrowers.csv [--loans issues.csv]"""

import argparse

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from quietdesk.audit.service import Actor
from quietdesk.circulation import koha


def _workers(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) > 32:
        raise argparse.ArgumentTypeError("a whole number from 0 to 32")
    return int(text)


class Command(BaseCommand):
    help = "Import patrons and current loans from another library system, minimized (all or nothing)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="system", required=True)
        k = sub.add_parser("koha", help="Koha CSV exports (borrowers, issues).")
        k.add_argument("--patrons", required=True, help="borrowers.csv (Koha column names).")
        k.add_argument("--loans", default=None, help="issues.csv: current loans (returned ones are skipped).")
        k.add_argument("--encoding", default="utf-8-sig", help="Text encoding of the files (default UTF-8).")
        k.add_argument("--delimiter", default=",", help="Field delimiter (default ,; use '\\t' for tabs).")
        k.add_argument("--workers", type=_workers, default=None,
                       help="Sealing processes, 0 to 32 (default: CPUs, at most 4).")
        k.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, system, patrons, loans=None, encoding="utf-8-sig", delimiter=",", workers=None,
               no_progress=False, verbosity=1, **opts):
        delimiter = "\t" if delimiter in ("\\t", "tab") else delimiter
        progress = None if no_progress or verbosity == 0 else tqdm
        try:
            report = koha.import_koha(Actor.system("import-koha"), patrons, loans, encoding=encoding,
                                      delimiter=delimiter, workers=workers, progress=progress)
        except koha.ImportFailed as exc:
            self._report(exc.report, failed=True)
            raise CommandError(str(exc)) from None
        self._report(report)

    def _report(self, r: koha.Report, failed: bool = False) -> None:
        w = self.stdout.write if not failed else self.stderr.write
        if failed and r.errors:
            w("Bad rows (file:line: problem):")
            for file, line, message in r.errors:
                w(f"  {file}:{line}: {message}")
            if r.error_count > len(r.errors):
                w(f"  ... and {r.error_count - len(r.errors)} more")
            return
        if failed:
            return
        w(f"Imported {r.patrons} patrons and {r.loans} loans in {r.seconds:.1f} s "
          f"({r.patrons / r.seconds if r.seconds else 0:,.0f} patrons/s).")
        w(f"  returned loans skipped (quietdesk keeps no loan history): {r.returned_skipped}")
        w(f"  placeholder items created (complete them from the catalogue): {r.items_created}")
        bands = ", ".join(f"{band} {n}" for band, n in sorted(r.age_bands.items()))
        w(f"  dates of birth turned into age bands and dropped: {sum(r.age_bands.values()) - r.no_birth_date}"
          f" ({bands}); no date of birth (recorded as adult): {r.no_birth_date}")
        if r.unknown_branches:
            w(f"  branch codes unknown to quietdesk (no home branch set): {r.unknown_branches}")
        if r.dropped:
            w("  fields not kept (non-empty values dropped):")
            for column, n in r.dropped.most_common():
                w(f"    {column:<24} {n}")
