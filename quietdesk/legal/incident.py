"""The incident report (policy III.C.2.h): a PDF made from the case file.

Timeline, the officer's credentials, statements and actions, the documents copied
(with their SHA-256), what the policy required, the decisions and what was produced.
Patrons appear only by pseudonym.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor
from quietdesk.policy import explain

from . import pdf, services, timeline, words

_when = pdf.when


def report_pdf(actor: Actor, case) -> bytes:
    purpose = "incident report"
    values = services.read_case(actor, case, purpose=purpose)
    events = services.read_events(actor, case, purpose=purpose)
    docs = []
    for doc in case.documents.select_related("case"):
        data, _name = services.read_document(actor, doc, purpose=purpose)
        docs.append((doc, hashlib.sha256(data).hexdigest()))
    now = timezone.now()
    blocks = [
        ("h1", f"Incident report · {case.pseudonym}"),
        ("kv", [
            ("Library", settings.LIBRARY_NAME),
            ("Branch", case.branch.name if case.branch else "-"),
            ("Arrived", _when(case.arrived_at)),
            ("Taken by", case.opened_by.get_username() if case.opened_by else "-"),
            ("Who asked", words.requester(case.requester)),
            ("What they asked for", words.CATEGORY.get(case.category, "Not recorded")),
            ("Document", words.document(case.document)
             + (" (read by the document reader)" if case.document_source == "reader" else "")),
            ("State", case.get_state_display()),
            ("Under non-disclosure", "yes: library administration only" if case.nondisclosure else "no"),
        ]),
        ("h2", "Officer"),
        ("kv", [("Name", values["officer_name"]), ("Badge", values["badge"]), ("Agency", values["agency"]),
                ("Stated purpose", values["purpose"]), ("Response to be sent to", values["respond_to"])]),
        ("h2", "What the policy required"),
        ("p", f"Decision at the desk: {explain.OUTCOME_TEXT.get(case.outcome, case.outcome)}"),
        ("p", f"What could be shared: {explain.SCOPE_TEXT.get(case.scope, case.scope)}."),
    ]
    blocks += [("p", "• " + explain.ACTION_TEXT[a]) for a in case.actions if a in explain.ACTION_TEXT]
    blocks.append(("p", "Based on: " + "; ".join(case.basis) + "."))
    blocks.append(("h2", "Timeline, statements and actions"))
    for event, text in events:
        line = f"{_when(event.at)} · {event.get_kind_display()} · {event.by}"
        if event.summary:
            line += f" · {event.summary}"
        blocks.append(("p", line + (f"\n{text}" if text else "")))
    blocks.append(("h2", "Documents copied"))
    if not docs:
        blocks.append(("p", "None."))
    for doc, sha in docs:
        blocks.append(("kv", [("Copied", f"{_when(doc.added_at)} by {doc.added_by}"),
                              ("Role", doc.get_role_display()),
                              ("Kind", words.document(doc.kind) if doc.kind else "not stated"),
                              ("Type and size", f"{doc.content_type}, {doc.size} bytes"),
                              ("SHA-256", sha)]))
    blocks.append(("h2", "Decisions"))
    blocks.append(("kv", [
        ("Decision", case.get_verdict_display() or "None yet"),
        ("Decided", f"{_when(case.decided_at)}"
                    + (f" by {case.decided_by.get_username()}" if case.decided_by else "")),
        ("What supported it (III.C.2.i)", values["decision_support"]),
        ("Return date", case.return_date.isoformat() if case.return_date else "-"),
        ("Staff member to be informed by", case.staff_inform_by.isoformat() if case.staff_inform_by else "-"),
        ("Staff member informed on", case.staff_informed_on.isoformat() if case.staff_informed_on else "-"),
    ]))
    for p in case.productions.all():
        blocks.append(("h2", f"Production ({'made' if p.produced_at else 'scoped, not produced'})"))
        blocks.append(("kv", [
            ("Order", words.document(p.document)), ("Patron", p.patron_pseudonym),
            ("Records", words.categories(p.categories)),
            ("Date range", f"{p.date_from or '-'} to {p.date_to or '-'}"),
            ("Produced", f"{_when(p.produced_at)} by {p.produced_by}" if p.produced_at else "-"),
            ("Package SHA-256", p.package_sha256 or "-"), ("Legal hold", p.hold_ref or "-"),
        ]))
    blocks.append(("p", f"Generated {_when(now)} by {actor.name}."))
    with transaction.atomic():
        timeline.log_case(actor, case, Event.INCIDENT_REPORT, "incident report generated")
    return pdf.render(blocks, title=f"Incident report {case.pseudonym}", footer=f"Incident report {case.pseudonym}",
                      created=now)
