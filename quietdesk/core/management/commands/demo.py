from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quietdesk.core import demo


class Command(BaseCommand):
    help = "Create (or refresh) the demo library and print the staff logins. Demo mode only."

    def add_arguments(self, parser):
        parser.add_argument("--patrons", type=int, default=120)

    def handle(self, *args, **opts):
        if settings.MODE == "production":
            raise CommandError("The demo library is never created in production (QUIETDESK_MODE=demo).")
        made = demo.seed_patrons(0)  # branches first
        logins = demo.ensure_staff()
        made = demo.seed_patrons(opts["patrons"])
        from quietdesk.alerts.demo import seed_network  # rapid response: demo network members

        seed_network()
        from quietdesk.guide.defaults import seed_demo

        seed_demo()  # the staff guide's contacts, areas and resources
        from quietdesk.circulation.demo import seed_demo as seed_records

        seed_records()  # items, loans, holds, programs, computers, cameras, a reference note
        self.stdout.write(f"\nDemo library ready: {made} new synthetic patrons.\n")
        self.stdout.write("Staff logins (passwords are new each time the demo starts):\n")
        for login in logins:
            line = f"  {login.username:<9} {login.role:<17} password: {login.password}"
            if login.totp_secret:
                line += f"\n  {'':<9} {'':<17} authenticator key: {login.totp_secret}  (or run: quietdesk demo_code {login.username})"
            self.stdout.write(line)
        self.stdout.write("")
