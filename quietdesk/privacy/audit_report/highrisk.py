"""The high-risk data scan over every free-text field quietdesk holds.

Sealed fields are decrypted in memory only, through the one decrypting code path
(``vault.reader.read_many``: the policy engine decides, each row read is written
to the access log with the purpose "privacy audit scan", as requester "staff").
Each value is scanned (``scanner.scan``) and dropped at once; a finding names the
record (its pseudonym, or the model and a short reference for rows that are not
about one person) and the field, never the value or where in it the match was.

Left out on purpose: titles (reading history, interlibrary loan titles, item
titles). Looking for immigration words in what someone reads is the reading
surveillance the library exists to prevent, and titles are not notes anyone
wrote about a person. Requests under non-disclosure are left out entirely.
Plain (unsealed) free-text columns are scanned as they are: a number typed into a
program title or a SALUTE report is readable in the database, which is exactly
what the audit must find.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor

from . import scanner
from .secrecy import Secret

PURPOSE = "privacy audit scan"
BATCH = 200


@dataclass(frozen=True)
class Source:
    label: str  # shown in the report: "patrons.Patron notes"
    fields: tuple[str, ...]
    queryset: Callable[[Secret], object]
    record: Callable[[Any], str]  # how the report names a row (never personal)
    category: str | None = None  # sealed: the policy category read through the reader
    note: str = ""


def _short(prefix: str):
    return lambda obj: f"{prefix}-{str(obj.pk).replace('-', '')[:8].upper()}"


def sealed_sources() -> list[Source]:
    from django.db.models import Q

    from quietdesk.legal.models import Case, CaseEvent
    from quietdesk.patrons.models import Patron
    from quietdesk.records.models import ReferenceNote

    return [
        Source("Patron notes", ("notes",), lambda s: Patron.objects.filter(notes_ct__isnull=False).order_by("pk"),
               lambda o: o.vault_pseudonym, category="registration"),
        Source("Reference follow-up notes", ("question",),
               lambda s: ReferenceNote.objects.order_by("pk"), lambda o: o.vault_pseudonym, category="reference"),
        Source("Request case files", ("purpose", "decision_support"),
               lambda s: Case.objects.filter(nondisclosure=False).filter(
                   Q(purpose_ct__isnull=False) | Q(decision_support_ct__isnull=False)).order_by("pk"),
               lambda o: o.vault_pseudonym, category="case_file",
               note="A request's own subject may show here; check nothing more was written than it needs."),
        Source("Request case timelines", ("text",),
               lambda s: CaseEvent.objects.filter(text_ct__isnull=False, case__nondisclosure=False)
               .select_related("case").order_by("pk"), lambda o: o.vault_pseudonym, category="case_file",
               note="A request's own subject may show here; check nothing more was written than it needs."),
    ]


def plain_sources() -> list[Source]:
    from quietdesk.alerts.models import Report
    from quietdesk.guide.models import Contact, Zone
    from quietdesk.records.models import Camera, Program
    from quietdesk.retention.models import LegalHold

    from ..models import Vendor

    return [
        Source("Rapid-response reports", tuple(Report.CONTENT_FIELDS),
               lambda s: Report.objects.filter(purged_at__isnull=True).order_by("pk"), lambda o: o.ref),
        Source("Program titles", ("title",), lambda s: Program.objects.order_by("pk"), lambda o: o.vault_pseudonym),
        Source("Camera register", ("name", "location"), lambda s: Camera.objects.order_by("pk"), _short("CAM")),
        Source("Legal holds", ("reference", "release_reason"),
               lambda s: LegalHold.objects.exclude(id__in=list(s.hold_ids)).order_by("pk"), lambda o: o.label),
        Source("Guide contacts", ("note",), lambda s: Contact.objects.order_by("pk"), _short("CON")),
        Source("Guide building areas", ("note",), lambda s: Zone.objects.order_by("pk"), _short("ZONE")),
        Source("Vendor register", ("holds", "contact", "notes"), lambda s: Vendor.objects.order_by("pk"),
               _short("V")),
    ]


def _batches(queryset, size: int = BATCH) -> Iterable[list]:
    batch = []
    for obj in queryset.iterator(chunk_size=size):
        batch.append(obj)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _read(actor: Actor, source: Source, batch: list) -> tuple[list[tuple[object, dict]], int, str | None]:
    """Decrypt one batch through the reader; a row that cannot be read is counted, not shown."""
    from quietdesk.vault import reader

    kwargs: dict[str, Any] = {"category": source.category, "purpose": PURPOSE, "requester": "staff", "event": Event.AUDIT_SCAN}
    try:
        return list(zip(batch, reader.read_many(actor, batch, source.fields, **kwargs), strict=True)), 0, None
    except reader.AccessDenied as exc:
        return [], len(batch), f"refused by the policy: {exc}"
    except Exception:  # noqa: BLE001, S110  a shredded or damaged row: read the others one by one
        pass
    out, unreadable = [], 0
    for obj in batch:
        try:
            out.append((obj, reader.read(actor, obj, source.fields, **kwargs)))
        except Exception:  # noqa: BLE001
            unreadable += 1
    return out, unreadable, None


def scan(actor: Actor, secret: Secret) -> dict:
    findings, sources = [], []
    totals: Counter = Counter()
    for source in [*sealed_sources(), *plain_sources()]:
        rows = values = unreadable = 0
        problem = None
        for batch in _batches(source.queryset(secret)):
            if source.category:
                read, bad, problem = _read(actor, source, batch)
                unreadable += bad
            else:
                read = [(obj, {f: getattr(obj, f) or "" for f in source.fields}) for obj in batch]
            for obj, fields in read:
                rows += 1
                for field, value in fields.items():
                    if not value:
                        continue
                    values += 1
                    kinds = scanner.kinds_in(value)
                    if kinds:
                        totals.update(kinds)
                        findings.append({"source": source.label, "record": source.record(obj), "field": field,
                                         "kinds": dict(sorted(kinds.items()))})
                del fields
            if problem:
                break
        sources.append({"label": source.label, "fields": list(source.fields), "rows": rows, "values": values,
                        "sealed": bool(source.category), "unreadable": unreadable, "problem": problem,
                        "findings": sum(1 for f in findings if f["source"] == source.label), "note": source.note})
    return {
        "sources": sources,
        "findings": findings,
        "totals": {k: totals.get(k, 0) for k in scanner.KINDS},
        "labels": scanner.LABELS,
        "purpose": PURPOSE,
    }
