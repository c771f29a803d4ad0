"""quietdesk alerts purge | recover: maintenance for cron or the retention engine."""

from django.core.management.base import BaseCommand

from quietdesk.alerts import recovery
from quietdesk.alerts.services import do_purge_expired


class Command(BaseCommand):
    help = "Alerts maintenance: 'purge' deletes expired reports' content; 'recover' requeues unfinished sends."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["purge", "recover"])

    def handle(self, *args, action, **opts):
        if action == "purge":
            self.stdout.write(f"{do_purge_expired()} expired reports purged")
        else:
            self.stdout.write(str(recovery.recover_all()))
