"""quietdesk retention show [--file PATH]"""

import textwrap

from django.core.management.base import BaseCommand, CommandError

from quietdesk.retention import schedule


class Command(BaseCommand):
    help = "Print the retention schedule in force, in plain language (or check a schedule file)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="Print the schedule in plain language.")
        show.add_argument("--file", default=None, help="Check and print this TOML file instead of the one in force.")

    def handle(self, *args, action, file=None, **opts):
        try:
            s = schedule.load(file) if file else schedule.get()
        except schedule.ScheduleError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Retention schedule ({s.source})\n")
        for title, sentences in schedule.describe(s):
            self.stdout.write(title)
            for sentence in sentences:
                self.stdout.write(textwrap.fill(sentence, 88, initial_indent="  - ", subsequent_indent="    "))
            self.stdout.write("")
