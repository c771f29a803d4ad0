"""`quietdesk guide_defaults`: fill the guide's empty sections with the protocol's suggestions."""

from django.core.management.base import BaseCommand

from quietdesk.audit.service import Actor
from quietdesk.guide import services


class Command(BaseCommand):
    help = "Add suggested talking points, self-care notes and national resources where the library has none."

    def handle(self, *args, **opts):
        made = services.do_load_defaults(Actor.system("guide-defaults"))
        added = ", ".join(f"{n} {what}" for what, n in made.items() if n)
        self.stdout.write(f"Added {added}." if added else "Nothing to add: every section has content.")
