from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quietdesk.vault.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup (stop the web server first), then replay the shred list."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, path, yes, **opts):
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        if not yes:
            raise CommandError("A restore replaces the whole database. Run again with --yes to proceed.")
        try:
            removed = restore_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored {path.name}. Shred list replayed: {removed}.")
