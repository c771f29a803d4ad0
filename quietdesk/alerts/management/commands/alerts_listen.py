"""quietdesk alerts_listen: read replies to Signal alerts (see quietdesk/alerts/replies.py).

A member's answer acknowledges the newest alert sent to them; STOP removes them
from the network. Run it beside ``outbound_worker`` wherever Signal is on.
"""

from django.core.management.base import BaseCommand, CommandError

from quietdesk.alerts import replies


class Command(BaseCommand):
    help = "Read replies to Signal alerts: an answer acknowledges the alert, STOP leaves the network."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=None,
                            help="Stop after this many seconds (default: run until stopped).")

    def handle(self, *args, **opts):
        try:
            counts = replies.listen(seconds=opts["seconds"])
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        if opts["verbosity"]:
            self.stdout.write("Signal replies: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"))
