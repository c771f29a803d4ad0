"""quietdesk patrons index-names: index the words of names registered before quietdesk
could find a patron by any word of the name (after upgrading; idempotent)."""

from django.core.management.base import BaseCommand

from quietdesk.audit.service import Actor
from quietdesk.patrons.services import index_names


class Command(BaseCommand):
    help = "Patron records: index-names (find a patron by any whole word of the name)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("index-names", help="Index the words of names that have none yet (safe to run again).")

    def handle(self, *args, action, **opts):
        count = index_names(Actor.system("name-index"))
        self.stdout.write(f"Indexed the names of {count} patron record(s).")
