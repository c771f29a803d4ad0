import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quietdesk.core import demo_library

# A sample document to read, shipped with the repository (fictional, tests/documents/corpus).
SAMPLE_DOCUMENT = Path("tests/documents/corpus/ice_i200.txt")


def command_prefix() -> str:
    """How to run `quietdesk` from the current directory, as it was typed to run this one."""
    typed = sys.argv[0] if sys.argv else ""
    on_path = shutil.which("quietdesk")
    if "/" not in typed or Path(typed).name != "quietdesk" or not Path(typed).is_file():
        return "quietdesk"
    if on_path and Path(on_path).resolve() == Path(typed).resolve():
        return "quietdesk"
    if not os.path.isabs(typed):
        return typed  # .venv/bin/quietdesk, as scripts/demo runs it
    relative = os.path.relpath(typed, Path.cwd())
    return typed if relative.startswith("..") else relative


class Command(BaseCommand):
    help = "Create (or refresh) the demo library and print the staff logins. Demo mode only."

    def add_arguments(self, parser):
        parser.add_argument("--patrons", type=int, default=120)

    def handle(self, *args, **opts):
        if settings.MODE == "production":
            raise CommandError("The demo library is never created in production (QUIETDESK_MODE=demo).")
        made = demo_library.seed_patrons(0)  # branches first
        logins = demo_library.ensure_staff()
        made = demo_library.seed_patrons(opts["patrons"])
        # rapid response: demo network members
        from quietdesk.alerts.demo_network import seed_network

        seed_network()
        from quietdesk.guide.defaults import seed_demo

        seed_demo()  # the staff guide's contacts, areas and resources
        from quietdesk.circulation.demo_records import seed_demo as seed_records

        seed_records()  # items, loans, holds, programs, computers, cameras, a reference note
        qd = command_prefix()
        write = self.stdout.write
        write(f"\nDemo library ready: {made} new synthetic patrons.\n")
        write("Staff logins (passwords are new each time the demo starts):\n")
        for login in logins:
            line = f"  {login.username:<9} {login.role:<17} password: {login.password}"
            if login.totp_secret:
                line += f"\n  {'':<9} {'':<17} authenticator key: {login.totp_secret}  (or run: {qd} demo_code {login.username})"
            write(line)
        samples = demo_library.sample_barcodes()
        write("\nTo try the desk (synthetic data):")
        write(f"  card numbers:              {', '.join(demo_library.sample_cards()) or '(no patrons yet)'}")
        write(f"  items on the shelf:        {', '.join(samples['on_shelf']) or '(none)'}")
        write(f"  items out (to check in):   {', '.join(samples['out']) or '(none)'}")
        write("\nCommands to try, from this directory:")
        write(f"  {qd} demo_code director")
        write(f"  {qd} policy decide --requester immigration_officer --category circulation "
              "--document ice_administrative_warrant")
        if SAMPLE_DOCUMENT.is_file():
            write(f"  {qd} classify {SAMPLE_DOCUMENT}")
        write(f"  {qd} inventory")
        write("")
