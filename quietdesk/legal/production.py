"""Scoped production under a judge-signed order, or under a subpoena that the director
and counsel decided, two people together, the law compels the library to answer
(``subpoena.py``).

The director names exactly what the order names (one patron, categories, a date
range) and attaches the copy of the order; staff then produce it themselves. The
package is a zip: the records (CSV per category and one PDF), the copy of the
order, ``production.json`` (who produced what, when, under which order) and
``inventory.csv`` (every other file with its SHA-256). Every record is read through
the reader with the officer as requester and the order as document, so the policy
engine decides and the access log has one entry per record. A legal hold is placed
in the same transaction. A copy of the package stays in the case, sealed.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import uuid
import zipfile

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.policy import vocab
from quietdesk.vault import api as vault
from quietdesk.vault.reader import AccessDenied

from . import intake, pdf, production_hold, registry, services, subpoena, timeline, words
from .models import Case, CaseDocument, CaseEvent, Production, State, Verdict

PRODUCTION_MODEL = "legal.production"
_EXT = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic",
        "image/tiff": "tiff", "application/pdf": "pdf"}


class ProductionError(ValueError):
    """A production that cannot go ahead; the message says why."""


def check_scope(document: str, patron, categories, date_from, date_to) -> list[str]:
    """Everything wrong with a scope (empty when it can be produced)."""
    problems = []
    if document not in vocab.JUDICIAL_DOCUMENTS and document not in subpoena.SUBPOENAS:
        problems.append("Only a warrant or order signed by a judge, or a subpoena the director and counsel decide "
                        "the law compels, can be produced against (policy III.B.1.d, III.C.2.d.i, III.C.2.i).")
    if patron is None:
        problems.append("The order names no patron here: select the patron the order names.")
    if not categories:
        problems.append("The order names no records: select the categories it names. "
                        "An order with no named scope cannot be produced.")
    unknown = [c for c in categories or () if registry.get(c) is None]
    if unknown:
        problems.append("No producer for: " + ", ".join(unknown) + ". Producible: "
                        + ", ".join(registry.categories()) + ".")
    dated = [c for c in categories or () if c not in words.UNDATED]
    if dated and (date_from is None or date_to is None):
        problems.append("Give the date range the order names (both dates) for: " + ", ".join(dated) + ".")
    if date_from and date_to and date_from > date_to:
        problems.append("The date range ends before it starts.")
    return problems


def order_copy_problem(actor: Actor, doc: CaseDocument, document: str) -> str | None:
    """Why a copy already in the case cannot serve as the copy of a judge-signed order, or None.

    A copy keeps what the desk or the document reader said it is: a copy recorded as an
    ICE warrant, a subpoena or an unknown document stays that, and a copy the reader did
    not take for a judge's order cannot be used either. Upload a new copy of the order.
    The copy of a subpoena must have been recorded as that subpoena (or not classified),
    and not read by the reader as anything else."""
    said = words.DOCUMENT.get(doc.kind, doc.kind)
    if document in subpoena.SUBPOENAS:
        if doc.kind not in ("", "unknown", document):
            return f"That copy was recorded as: {said}. It cannot be the copy of this subpoena: attach a new copy."
        reading = services.read_reading(actor, doc, purpose="check the copy of the subpoena") if doc.reading_ct else None
        why = subpoena.copy_problem(reading, document)
        return f"That copy cannot be the copy of this subpoena ({why}): attach a new copy." if why else None
    if doc.kind and doc.kind not in vocab.JUDICIAL_DOCUMENTS:
        return (f"That copy was recorded as: {said}. It cannot be used as the copy of a judge-signed "
                "order: attach a new copy of the order.")
    reading = services.read_reading(actor, doc, purpose="check the copy of the order") if doc.reading_ct else None
    why = intake.reader_disagrees(reading)
    if why:
        return f"The document reader did not take that copy for a judge-signed order ({why}): attach a new copy."
    if doc.kind and doc.kind != document:
        return f"That copy was recorded as: {said}. Choose the same kind of order, or attach a new copy."
    return None


def do_set_scope(actor: Actor, case, *, document: str, patron, categories, date_from=None, date_to=None,
                 order_uploads=(), order_doc: CaseDocument | None = None) -> Production:
    categories = [c for c in vocab.ASKABLE if c in set(categories or ())]
    problems = check_scope(document, patron, categories, date_from, date_to)
    if not order_uploads and order_doc is None:
        problems.append("Attach the copy of the order (a photo or scan).")
    if order_doc is not None:
        order_doc = CaseDocument.objects.select_related("case").get(pk=order_doc.pk)  # as stored, not as passed
        if order_doc.case_id != case.id:
            problems.append("That document belongs to another case.")
    if case.state == State.CLOSED:
        problems.append("The case is closed: reopen it first.")
    if document in subpoena.SUBPOENAS and document != case.document:
        problems.append("Only a warrant or order signed by a judge, or the subpoena the case records, can be scoped "
                        f"here: this case records {words.DOCUMENT.get(case.document, case.document)}. If a "
                        "subpoena was served, correct the case's document first (with the reason).")
    if not problems and not order_uploads and order_doc is not None:
        problem = order_copy_problem(actor, order_doc, document)
        if problem:
            problems.append(problem)
    for number, up in enumerate(order_uploads or (), 1):
        if not hasattr(up, "reading"):
            up.reading = intake.read_kind(up)[1]
        if document in subpoena.SUBPOENAS:
            why = subpoena.copy_problem(up.reading, document)
            if why:
                problems.append(f"File {number}: it cannot be the copy of this subpoena ({why}).")
            continue
        why = intake.reader_disagrees(up.reading)
        if why:
            problems.append(f"File {number}: the document reader did not take it for a judge-signed order ({why}).")
    if problems:
        raise ProductionError(" ".join(problems))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if document in vocab.NONDISCLOSURE_DOCUMENTS and not case.nondisclosure:
            case.nondisclosure = True
            case.save(update_fields=["nondisclosure"])
        if order_uploads:
            order_doc = services.do_add_documents(actor, case, order_uploads, role=CaseDocument.Role.ORDER,
                                                  kind=document)[0]
        elif order_doc is not None and order_doc.role != CaseDocument.Role.ORDER:
            # The copy becomes the order's copy; what it is (its kind) never changes.
            CaseDocument.objects.filter(pk=order_doc.pk).update(role=CaseDocument.Role.ORDER)
        production = Production.objects.create(
            id=uuid.uuid4(), case=case, document=document, order=order_doc, patron=patron,
            patron_pseudonym=patron.pseudonym, categories=categories, date_from=date_from, date_to=date_to,
            scoped_by=actor.name,
        )
        span = f"{date_from or '-'}..{date_to or '-'}"
        # Which patron stays sealed in the case file: the plain summary and the log say what, not whom.
        summary = f"{document}: {', '.join(categories)}, {span}"
        timeline.add_event(case, vault.sealer_for(case.id), actor.name, CaseEvent.Kind.SCOPE,
                           f"{words.document(document)}: {words.categories(categories)}, {span}",
                        f"patron {patron.pseudonym}")
        timeline.log_case(actor, case, Event.PRODUCTION_SCOPE, f"scope set: {summary}"[:300], categories)
    return production


def do_remove_scope(actor: Actor, production: Production) -> None:
    with transaction.atomic():
        production = Production.objects.select_for_update().get(pk=production.pk)
        if production.produced_at:
            raise ProductionError("This production was made; it stays in the case.")
        case = production.case
        production.delete()
        timeline.add_event(case, vault.sealer_for(case.id), actor.name, CaseEvent.Kind.SCOPE, "scope removed")
        timeline.log_case(actor, case, Event.PRODUCTION_SCOPE, "scope removed")


# --- the package ------------------------------------------------------------------


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets run cells that start like a formula; the recipient's computer is not ours to risk.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(columns, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c, "")) for c in columns])
    return out.getvalue().encode("utf-8")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_package(files: dict[str, bytes]) -> tuple[bytes, list[dict]]:
    """Zip the files with inventory.csv (each file's size and SHA-256)."""
    inventory = [{"path": p, "bytes": len(d), "sha256": _sha(d)} for p, d in sorted(files.items())]
    inv = io.StringIO()
    writer = csv.writer(inv, lineterminator="\r\n")
    writer.writerow(["path", "bytes", "sha256"])
    for item in inventory:
        writer.writerow([item["path"], item["bytes"], item["sha256"]])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path, data in sorted(files.items()):
            zf.writestr(path, data)
        zf.writestr("inventory.csv", inv.getvalue().encode("utf-8"))
    return buffer.getvalue(), inventory


def _count_label(key: str) -> str:
    """``circulation`` or ``koha:circulation`` (read from the library's ILS) in words."""
    source, _, category = key.rpartition(":")
    return f"{words.category(category)} ({source})" if source else words.category(category)


def _records_pdf(production, sections, produced_by: str, produced_at) -> bytes:
    compelled = production.document in subpoena.SUBPOENAS
    under = "a subpoena the library is compelled by law to answer" if compelled else "a judge-signed order"
    blocks: list[tuple] = [
        ("h1", f"Records produced under {under}"),
        ("kv", [("Library", settings.LIBRARY_NAME), ("Case", production.case.pseudonym),
                ("Subpoena" if compelled else "Order", words.document(production.document)),
                ("Patron reference", production.patron_pseudonym),
                ("Records", words.categories(production.categories)),
                ("Date range", f"{production.date_from or '-'} to {production.date_to or '-'}"),
                ("Produced by", produced_by), ("Produced at", pdf.when(produced_at))]),
    ]
    for category, columns, rows in sections:
        blocks.append(("h2", f"{words.category(category)} ({len(rows)})"))
        blocks.append(("rows", columns, rows))  # printed as "First name", not given_name
    return pdf.render(blocks, title=f"Production {production.case.pseudonym}",
                      footer=f"{production.case.pseudonym} · produced {pdf.when(produced_at, '%Y-%m-%d')}",
                      created=produced_at)


def do_produce(actor: Actor, production: Production, *, user=None) -> Production:
    """Retrieve exactly what the scope names, package it, hold it, log it."""
    with transaction.atomic():
        production = Production.objects.select_for_update(of=("self",)).select_related("case", "patron", "order").get(
            pk=production.pk)
        case = production.case
        if production.produced_at:
            raise ProductionError("This production was already made: download it from the case.")
        compelled = production.document in subpoena.SUBPOENAS
        why = subpoena.production_problem(case, production) if compelled else None
        if why:
            raise ProductionError(why)
        if case.verdict != Verdict.DISCLOSE:
            raise ProductionError("The director has not decided to disclose: record the decision "
                                  "and what supports it (policy III.C.2.i) first.")
        if production.decided_at is None:
            raise ProductionError("The director's decision to disclose does not cover this scope (it was set "
                                  "after the decision, or the case changed since): the director decides on "
                                  "it, with what supports it (policy III.C.2.i), before it is produced.")
        if case.requester not in vocab.OFFICERS:
            raise ProductionError("Production answers an officer's order: set who is asking on the case "
                                  "(law enforcement or immigration officer).")
        why = None if compelled else services.not_an_order(case)
        if why:
            raise ProductionError(why)
        problems = check_scope(production.document, production.patron, production.categories,
                               production.date_from, production.date_to)
        if production.order is None:
            problems.append("The copy of the order is missing.")
        else:
            problem = order_copy_problem(actor, production.order, production.document)
            if problem:
                problems.append(problem)
        if problems:
            raise ProductionError(" ".join(problems))
        secret = case.nondisclosure or production.document in vocab.NONDISCLOSURE_DOCUMENTS
        access = registry.Access(
            actor=actor, requester=case.requester, document=production.document,
            event=Event.PRODUCE, case_ref=case.pseudonym, restricted=secret,
            # Under non-disclosure the patron's entries name neither the case nor the document.
            purpose=services.ND_BASIS if secret else f"production for case {case.pseudonym} under {production.document}",
            # A subpoena: the engine allows it only on the two-person decision checked above.
            extra={"compelled": True} if compelled else {},
        )
        patron, df, dt = production.patron, production.date_from, production.date_to
        produced_at = timezone.now().replace(microsecond=0)
        sections, files, counts = [], {}, {}
        try:
            for category in production.categories:
                producer = registry.get(category)
                if producer is None:
                    raise ProductionError(f"Nothing here produces {category} records: nothing was produced.")
                rows = registry.produce(producer, access, patron, df, dt)
                sections.append((category, producer.columns, rows))
                counts[category] = len(rows)
                files[f"records/{category}.csv"] = _csv(producer.columns, rows)
            for source in registry.sources():  # the library's ILS, read-only (quietdesk/ils)
                read = registry.produce_from(source, access, patron, production.categories, df, dt)
                for category, columns, rows in read:
                    sections.append((f"{words.CATEGORY_SHORT.get(category, category)} ({source.label})", columns, rows))
                    counts[f"{source.name}:{category}"] = len(rows)
                    files[f"records/{source.name}/{category}.csv"] = _csv(columns, rows)
                if read:
                    append(actor, Event.KOHA_PRODUCTION_READ, case_ref=case.pseudonym,
                           categories=[c for c, _, _ in read], restricted=secret,
                           basis=f"read from {source.label}, read-only: "
                                 + ", ".join(f"{c} {len(r)}" for c, _, r in read))
        except registry.SourceUnavailable as exc:
            raise ProductionError(f"{exc} Nothing was produced: try again when it can be read.") from None
        except AccessDenied as exc:
            raise ProductionError(f"The policy refuses this production: {exc.decision.say}") from None
        order = production.order
        if order is None:
            raise ProductionError("The copy of the order is missing: nothing was produced.")
        order_bytes, _ = services.read_document(actor, order, purpose=f"copy of the order, case {case.pseudonym}")
        files[f"order/order-copy.{_EXT.get(order.content_type, 'bin')}"] = order_bytes
        files["records/records.pdf"] = _records_pdf(production, sections, actor.name, produced_at)
        hold_ref = production_hold.place_legal_hold(actor, patron=patron, categories=production.categories,
                                          date_from=df, date_to=dt, case=case, user=user, secret=secret)
        manifest = {
            "library": settings.LIBRARY_NAME,
            "case": case.pseudonym,
            "order": {"kind": production.document, "file": next(p for p in files if p.startswith("order/"))},
            "patron": production.patron_pseudonym,
            "categories": production.categories,
            "date_from": df.isoformat() if df else None,
            "date_to": dt.isoformat() if dt else None,
            "counts": counts,
            "produced_by": actor.name,
            "produced_at": produced_at.isoformat(),
            "legal_hold": hold_ref,
            "note": "Only the records named on the face of the order. Spreadsheet cells that began "
                    "with = + - or @ are prefixed with an apostrophe.",
        }
        decision = subpoena.in_force(case) if compelled else None
        if decision is not None:  # who decided, never why: the legal basis is the library's and counsel's
            manifest["decision"] = {"outcome": "compelled by law", "recorded_by": decision.proposed_by,
                                    "confirmed_by": decision.confirmed_by,
                                    "counsel_advised_on": decision.counsel_advised_on.isoformat()}
        files["production.json"] = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
        package, inventory = build_package(files)
        sealer = vault.sealer_for(case.id)
        production.package_ct = sealer.seal(PRODUCTION_MODEL, "package", production.id,
                                            base64.b64encode(package).decode("ascii"))
        production.package_sha256 = _sha(package)
        production.inventory, production.hold_ref = inventory, hold_ref
        production.produced_by, production.produced_at = actor.name, produced_at
        production.save()
        case.state = State.PRODUCED
        case.save(update_fields=["state"])
        total = sum(counts.values())
        timeline.add_event(case, sealer, actor.name, CaseEvent.Kind.PRODUCED,
                           f"{total} record(s): " + ", ".join(f"{_count_label(c)} {n}" for c, n in counts.items()))
        timeline.add_event(case, sealer, actor.name, CaseEvent.Kind.HOLD, f"legal hold: {hold_ref}"[:200])
        append(actor, Event.PRODUCTION, case_ref=case.pseudonym, categories=production.categories,
               basis=f"package {production.package_sha256[:16]}; {total} record(s); hold {hold_ref}"[:300],
               restricted=secret)
    return production


def read_package(actor: Actor, production: Production) -> bytes:
    from quietdesk.vault import reader

    values = reader.read(actor, production, ("package",), category=services.READ_CATEGORY,
                         purpose=f"download production package, case {production.case.pseudonym}",
                         event=Event.PACKAGE_DOWNLOAD)
    return base64.b64decode(values["package"])
