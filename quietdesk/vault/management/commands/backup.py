from pathlib import Path

from django.core.management.base import BaseCommand

from quietdesk.vault.backup import make_backup


class Command(BaseCommand):
    help = "Write an encrypted, consistent backup of the database (the keyring is NOT included)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="Where to write (default BACKUP_DIR).")

    def handle(self, *args, **opts):
        path = make_backup(opts["dir"])
        self.stdout.write(str(path))
