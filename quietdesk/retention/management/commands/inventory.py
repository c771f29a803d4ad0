"""quietdesk inventory [--json]"""

import json

from django.core.management.base import BaseCommand

from quietdesk.retention.inventory import inventory
from quietdesk.retention.legal_holds import hidden_ids


class Command(BaseCommand):
    help = "Per category: how many records, the oldest, the retention rule, and how many are past it."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="One JSON object per line.")

    def handle(self, *args, **opts):
        # Whoever runs this on the server is not thereby entitled to learn of holds
        # placed for a case under non-disclosure.
        lines = inventory(hidden_holds=hidden_ids())
        if opts["json"]:
            for line in lines:
                self.stdout.write(json.dumps({
                    "category": line.category, "records": line.what, "count": line.count,
                    "oldest": line.oldest.isoformat() if line.oldest else None, "rule": line.limit,
                    "past_rule": line.past, "kept_for_legal_holds": line.held, "dated_after_today": line.future,
                }))
            return
        self.stdout.write(f"{'category':<16}{'records':<46}{'count':>9}  {'oldest':<11} {'past':>6}  rule")
        for line in lines:
            past = "-" if line.past is None else str(line.past)
            oldest = line.oldest.isoformat() if line.oldest else "-"
            held = f" (+{line.held} on legal hold)" if line.held else ""
            held += f" ({line.future} dated after today: check the clock)" if line.future else ""
            self.stdout.write(f"{line.category:<16}{line.what[:45]:<46}{line.count:>9}  {oldest:<11} {past:>6}  "
                              f"{line.limit}{held}")
