"""`quietdesk policy decide`: explain what the confidentiality policy says about a request.

Touches no database: it only runs the pure policy engine and prints the decision.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from quietdesk.policy import engine, explain, vocab


class Command(BaseCommand):
    help = "Ask the confidentiality policy about a request for patron information or access."
    requires_system_checks = []  # pure: nothing to check, no database
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        sub.required = True
        decide = sub.add_parser(
            "decide",
            help="Decide one request and explain it.",
            description=(
                "Decide one request. Requesters: "
                + ", ".join(vocab.REQUESTERS)
                + ". Categories: "
                + ", ".join(vocab.CATEGORIES)
                + ". Documents: "
                + ", ".join(vocab.DOCUMENTS)
                + "."
            ),
        )
        decide.add_argument("--requester", required=True, help="Who is asking.")
        decide.add_argument("--category", required=True, help="What they ask for.")
        decide.add_argument("--document", default="none", help="What they present (default: none).")
        decide.add_argument("--age", type=int, default=None, help="The patron's age, when known.")
        decide.add_argument(
            "--child-card",
            action="store_true",
            dest="child_card",
            help="The parent presents the child's library card or card number.",
        )
        decide.add_argument(
            "--authorized",
            action="append",
            default=[],
            metavar="CATEGORY",
            help="A category the patron's written authorization covers (repeatable).",
        )
        # What the document reader (or the director) found about a judge-signed document:
        # any of them makes it "call the director; do not produce" (Sonoma III.C.2.d.i;
        # roundtable scenario 1). Left out: not known.
        for flag, fact, meaning in (
            ("--expired", "expired", "its execute-by or return date has passed"),
            ("--out-of-state", "out_of_state", "it was issued by a court of another state"),
            ("--other-premises", "other_premises", "the place it names is none of the library's"),
        ):
            decide.add_argument(
                flag, action="store_const", const=True, default=None, dest=fact,
                help=f"The document may not apply here: {meaning}.",
            )
        decide.add_argument(
            "--json", action="store_true", dest="as_json", help="Print one JSON object."
        )

    def handle(self, *args, **options):
        if options["subcommand"] != "decide":  # pragma: no cover - argparse rejects others
            raise CommandError("Unknown subcommand. Valid subcommands: decide.")
        try:
            request = engine.Request(
                requester=engine.validate("requester", options["requester"]),
                category=engine.validate("category", options["category"]),
                document=engine.validate("document", options["document"]),
                age=options["age"],
                child_card=options["child_card"],
                authorized_categories=frozenset(options["authorized"]),
                **{fact: options[fact] for fact in vocab.VALIDITY_FACTS},
            )
            decision = engine.decide(request)
        except engine.InvalidRequest as exc:
            raise CommandError(str(exc)) from exc
        if options["as_json"]:
            self.stdout.write(json.dumps(decision.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(explain.render(decision, request))
