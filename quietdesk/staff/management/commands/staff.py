from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import RegexValidator, validate_email

from quietdesk.core.models import Branch
from quietdesk.staff import enrollment, services

USERNAME = RegexValidator(r"^[a-z0-9._-]{2,40}$", "2 to 40 lower-case letters, digits, dots, dashes or underscores.")


class Command(BaseCommand):
    help = ("Staff accounts from the server's shell. Only `first-director`: the first director account, "
            "while no director can sign in; every other account is asked for in quietdesk and approved by a director.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        first = sub.add_parser("first-director", help="make the director account while no director can sign in")
        first.add_argument("username")
        first.add_argument("--email", default="", help="their work address, for notices about their account")
        first.add_argument("--branch", default="", help="a branch code (default: all branches)")

    def handle(self, *args, action, username, email, branch, **opts):
        try:
            USERNAME(username)
            if email:
                validate_email(email)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        found = None
        if branch:
            found = Branch.objects.filter(code=branch).first()
            if found is None:
                raise CommandError(f"No branch with the code {branch!r}.")
        try:
            outcome = services.do_create_first_director(username, email=email, branch=found)
        except services.ChangeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Director account {username} made. Give them this enrollment code yourself; it works once, until "
            f"{outcome.code_expires_at:%Y-%m-%d %H:%M} UTC:\n\n    {enrollment.grouped(outcome.code)}\n\n"
            f"They type it at {enrollment.page_address()}, then choose their password and set up their "
            "authenticator. The code is not stored: if it is lost before they use it, run this command again "
            "(it replaces the code).\n"
        )
