from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quietdesk.vault.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup (stop the web server first), then replay the shred list."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument("--force", action="store_true",
                            help="Restore even if it rolls the access log back behind a signed checkpoint.")

    def handle(self, *args, path, yes, force=False, **opts):
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        if not yes:
            raise CommandError("A restore replaces the whole database. Run again with --yes to proceed.")
        try:
            restored = restore_backup(path, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if restored.rolled_back_past is not None:
            self.stderr.write(
                f"WARNING: the access log was rolled back behind signed checkpoint #{restored.rolled_back_past}: "
                f"it now ends at #{restored.log_last}. Entries after it are lost; this was written to the log. "
                "Tell the director and keep the checkpoint file as evidence."
            )
        self.stdout.write(f"Restored {path.name}. Shred list replayed: {restored.removed}. "
                          "The restore was written to the access log.")
