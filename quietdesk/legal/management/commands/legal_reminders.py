"""quietdesk legal_reminders: queue the director's emails about deadlines that are near (cron or a
systemd timer); the outbound worker sends them.

Idempotent: each reminder is sent once however often it runs (see quietdesk/legal/reminders.py).
"""

from django.core.management.base import BaseCommand

from quietdesk.legal import reminders


class Command(BaseCommand):
    help = "Email the director (no details) before a request's return date and a staff member's copy deadline."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; queue nothing.")

    def handle(self, *args, dry_run=False, **opts):
        counts = reminders.run(dry_run=dry_run)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
