"""A new photo of the document the desk already copied (the desk's "read it again")."""

from __future__ import annotations

import datetime

from django.db import transaction

from quietdesk.policy import vocab

from . import intake, services
from .models import Case, CaseDocument


def do_retake(actor, case, uploads) -> dict:
    """A new photo of the document the desk already copied: the reader reads the first file;
    the copies join the case. While the case's document is still not identified, it becomes
    what the reader now says, by the rules of ``resolve`` (a judge-signed kind only when the
    reader confirms it), and the policy decides again. Returns the new reading."""
    read_as, reading = intake.read_kind(uploads[0])
    uploads[0].reading = reading
    with transaction.atomic():
        docs = services.do_add_documents(actor, case, uploads)
        CaseDocument.objects.filter(pk=docs[0].pk).update(kind=read_as)  # what the reader read, as at intake
        case = Case.objects.get(pk=case.pk)
        changes: dict[str, object] = {}
        if case.document == "unknown" and read_as != "unknown" and (
                read_as not in vocab.JUDICIAL_DOCUMENTS or intake.confirms_judicial(reading)):
            changes["document"] = read_as
        if reading.get("nondisclosure"):
            changes["nondisclosure"] = True
        if not case.return_date and reading.get("return_date"):
            try:
                changes["return_date"] = datetime.date.fromisoformat(str(reading["return_date"])[:10])
            except ValueError:
                pass
        if changes:
            changes["reason"] = "A new photo of the document was read by the document reader at the desk."
            services.do_update(actor, case, changes)
            if "document" in changes:
                Case.objects.filter(pk=case.pk).update(document_source="reader")
    return reading
