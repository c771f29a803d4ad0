"""quietdesk alerts purge | recover | forget-network --yes: maintenance for cron or the retention engine."""

from django.core.management.base import BaseCommand, CommandError

from quietdesk.alerts.services import do_purge_expired
from quietdesk.outbound import worker


class Command(BaseCommand):
    help = ("Alerts maintenance: 'purge' deletes expired reports' content; 'recover' requeues unfinished sends (every outbound message); "
            "'forget-network --yes' destroys every network member kept here (after moving the network to the "
            "organizing group's own server).")
    # forget-network is the fix for the check that refuses a member list left behind in remote mode.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["purge", "recover", "forget-network"])
        parser.add_argument("--yes", action="store_true", help="Confirm forget-network.")

    def handle(self, *args, action, yes=False, **opts):
        if action == "purge":
            self.stdout.write(f"{do_purge_expired()} expired reports purged")
        elif action == "recover":
            self.stdout.write(str(worker.recover_all()))
        else:
            if not yes:
                raise CommandError("forget-network destroys every member's details here for good: add --yes.")
            from quietdesk.alerts.models import NetworkMember
            from quietdesk.alerts.network import do_remove_member
            from quietdesk.audit.service import Actor

            actor = Actor.system("forget-network")
            removed = 0
            for member in NetworkMember.objects.all():
                do_remove_member(actor, member, reason="the network moved to the organizing group's own server")
                removed += 1
            self.stdout.write(f"{removed} network member(s) destroyed (crypto-shredded)")
