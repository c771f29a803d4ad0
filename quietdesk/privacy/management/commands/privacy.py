"""quietdesk privacy report [--out DIR]"""

from pathlib import Path

from django.core.management.base import BaseCommand

from quietdesk.privacy.audit_report.report_command import run_report


class Command(BaseCommand):
    help = "The privacy officer's work from the command line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rp = sub.add_parser("report", help="Run the privacy audit now; write its HTML and PDF.")
        rp.add_argument("--out", type=Path, default=None, help="Where to write (default QUIETDESK_AUDIT_DIR).")

    def handle(self, *args, action, out=None, **opts):
        run_report(self, out)
