"""`quietdesk drills_check [FILE...]`: validate drill files; list each error as file:line: reason.

Without arguments: every shipped drill and every file in QUIETDESK_DRILLS_DIR.
Exits non-zero if any file is refused (the others still load in the application).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quietdesk.guide import drills


class Command(BaseCommand):
    help = "Validate training drill files (YAML) and list errors with file, line and reason."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)

    def handle(self, *args, **opts):
        if opts["files"]:
            loaded, errors = [], []
            for path in opts["files"]:
                drill, problems = drills.load_file(path)
                errors.extend(problems)
                if drill is not None:
                    loaded.append(drill)
        else:
            result = drills.library_drills()
            loaded, errors = result.ordered(), result.errors
        for drill in loaded:
            self.stdout.write(f"ok  {drill.slug}: {drill.title} ({drill.out_of} steps, {drill.file})")
        for error in errors:
            self.stdout.write(f"REFUSED  {error}")
        if errors:
            raise CommandError(f"{len(errors)} problem(s); the files named above were not loaded.")
