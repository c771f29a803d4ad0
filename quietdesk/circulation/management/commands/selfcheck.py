"""quietdesk selfcheck add NAME [--branch CODE] | list | revoke NAME"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.text import slugify

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, record
from quietdesk.circulation.json_api import new_token
from quietdesk.circulation.models import SelfCheckMachine
from quietdesk.core.models import Branch


class Command(BaseCommand):
    help = "Manage the tokens of self-check machines and integrations using the circulation API."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Add a machine and print its token (shown once).")
        add.add_argument("name")
        add.add_argument("--branch", default=None, help="Branch code.")
        sub.add_parser("list", help="List machines.")
        rev = sub.add_parser("revoke", help="Revoke a machine's token.")
        rev.add_argument("name")

    def handle(self, *args, action, **opts):
        actor = Actor.system("selfcheck-admin")
        if action == "list":
            for m in SelfCheckMachine.objects.order_by("label"):
                state = f"revoked {m.revoked_at:%Y-%m-%d}" if m.revoked_at else "active"
                self.stdout.write(f"{m.label:<30} {state}")
            return
        label = slugify(opts["name"])[:40]
        if not label:
            raise CommandError("Give the machine a name made of letters, digits and dashes.")
        if action == "add":
            branch = None
            if opts["branch"]:
                branch = Branch.objects.filter(code=opts["branch"]).first()
                if branch is None:
                    raise CommandError(f"No branch with code {opts['branch']!r}.")
            if SelfCheckMachine.objects.filter(label=label).exists():
                raise CommandError(f"A machine named {label!r} exists; revoke it or pick another name.")
            token, digest = new_token()
            SelfCheckMachine.objects.create(label=label, branch=branch, token_digest=digest)
            record(actor, Event.SELFCHECK_MACHINE, basis=f"machine {label} added")
            self.stdout.write(token)
            self.stderr.write(f"Token for {label} (shown once; only its digest is kept).")
        else:
            if not SelfCheckMachine.objects.filter(label=label, revoked_at__isnull=True).update(revoked_at=timezone.now()):
                raise CommandError(f"No active machine named {label!r}.")
            record(actor, Event.SELFCHECK_MACHINE, basis=f"machine {label} revoked")
            self.stdout.write(f"Revoked {label}.")
