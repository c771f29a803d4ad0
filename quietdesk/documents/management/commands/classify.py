"""quietdesk classify FILE [--json]: what a legal document is, in plain words."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils import timezone

from quietdesk.core.models import Branch
from quietdesk.documents.document_guidance import NAMES
from quietdesk.documents.extract import DEFAULT_MAX_BYTES, Limits
from quietdesk.documents.pipeline import read_document

YES_NO = {True: "yes", False: "no", None: "cannot tell"}


class Command(BaseCommand):
    help = (
        "Read a photo (JPEG/PNG), PDF or text file of a legal document and say what it is, "
        "who signed it, what it allows and what it does not."
    )
    # It reads a file and the branches' addresses, nothing else: no system checks to wait for.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="The photo, PDF or text file.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        limits = Limits(max_bytes=getattr(settings, "DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))
        result = read_document(
            options["file"],
            today=timezone.localdate(),
            library_state=getattr(settings, "LIBRARY_STATE", "CA"),
            limits=limits,
            branch_addresses=self.branch_addresses(),
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(self.plain(result))

    def branch_addresses(self) -> list[str]:
        """The branches' addresses; none (so "names other premises" is null) when the
        database is not set up yet."""
        try:
            return Branch.street_addresses()
        except DatabaseError:
            self.stderr.write("The branches' addresses could not be read; premises not checked.")
            return []

    @staticmethod
    def plain(c) -> str:
        name = NAMES[c.kind]
        lines = [f"This is: {'an' if name[0] in 'AEIOUaeiou' else 'a'} {name}."]
        lines.append(f"Signed by a judge: {YES_NO[c.signed_by_judge]}")
        if c.form_number:
            lines.append(f"Form: {c.form_number}")
        for label, key in (
            ("Issued", "issued"),
            ("Carry out by", "execute_by"),
            ("Return date", "return_date"),
        ):
            if c.dates.get(key):
                lines.append(f"{label}: {c.dates[key]}")
        named = [*c.names["persons"], *c.names["premises"], *c.names["records"]]
        if named:
            lines.append("Names: " + "; ".join(named))
        if c.names["premises"]:
            lines.append(f"Names a place that is not one of our branches: {YES_NO[c.names_other_premises]}")
        lines.append("")
        lines += [f"- {line}" for line in c.guidance]
        return "\n".join(lines)
