"""Exposure and enforcement runs, as services: each run is written to the access log (counts only).

``do_exposure`` and ``do_enforce`` take an Actor (the command line's is
``Actor.system("koha")``; the privacy audit passes its own). Legal holds are read
first (``legal_keep``: held patrons' card numbers, through the reader, logged);
then the connector works; then one entry records the run. An enforcement run also
writes an entry when it starts, so a run that is killed half way still left a trace
of what it was about to change. No entry names a card number or a patron.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, record

from . import legal_keep
from .configured import configured
from .connector import Connector, ConnectorError, Finding, Step, retention

EXPOSURE, ENFORCE = Event.KOHA_EXPOSURE, Event.KOHA_ENFORCE
CATEGORIES = ["registration", "circulation", "holds"]


def connector_or_error() -> Connector:
    connector = configured()
    if connector is None:
        raise ConnectorError("No Koha is configured: set QUIETDESK_KOHA_DATABASE_URL (or QUIETDESK_KOHA_API_URL "
                             "with its client id and secret). See the operator's guide, 'Using quietdesk with Koha'.")
    return connector


@dataclass
class Exposure:
    source: str
    as_of: datetime.date
    findings: list[Finding]
    summary: dict

    def as_dict(self) -> dict:
        return {"source": self.source, "as_of": self.as_of.isoformat(), "summary": self.summary,
                "findings": [f.as_dict() for f in self.findings]}


def do_exposure(actor: Actor, *, connector: Connector | None = None, as_of: datetime.date | None = None) -> Exposure:
    from .exposure import summary

    own = connector is None
    connector = connector or connector_or_error()
    try:
        r = retention(as_of, legal_keep.keep(actor))
        findings = connector.exposure(r)
    finally:
        if own:
            connector.close()
    s = summary(findings)
    record(actor, EXPOSURE, categories=CATEGORIES,
           basis=(f"{connector.label} exposure as of {r.as_of}: {s['past_retention']} row(s) past retention, "
                  f"{s['linked_rows']} naming patrons, {s['high_risk_text']} note(s) with high-risk data, "
                  f"{s['severity']['high']} high finding(s)")[:300])
    return Exposure(source=_source(connector), as_of=r.as_of, findings=findings, summary=s)


def _source(connector: Connector) -> str:
    kind = "REST API" if connector.__class__.__name__ == "KohaRest" else "database"
    return f"{connector.label} {kind}"


@dataclass
class Enforcement:
    apply: bool
    as_of: datetime.date
    steps: list[Step]
    remaining: dict[str, int] = field(default_factory=dict)  # past retention when read back (all 0 when done)

    @property
    def proven(self) -> bool:
        return self.apply and not any(self.remaining.values())


def do_enforce(actor: Actor, *, apply: bool, batch_size: int, progress=None, as_of: datetime.date | None = None,
               connector: Connector | None = None) -> Enforcement:
    own = connector is None
    connector = connector or connector_or_error()
    try:
        if not connector.can_enforce:
            connector.enforce(retention(as_of), apply=apply, batch_size=batch_size)  # raises: says why
        r = retention(as_of, legal_keep.keep(actor))
        if apply:
            connector.check_writable(r)  # before the first write, and before logging a start
            record(actor, ENFORCE, categories=CATEGORIES,
                   basis=f"{connector.label} enforcement started as of {r.as_of}, batches of {batch_size}")
        steps = connector.enforce(r, apply=apply, batch_size=batch_size, progress=progress)
        remaining = {}
        if apply:
            from .enforce import verify

            remaining = verify(connector, r)
    finally:
        if own:
            connector.close()
    result = Enforcement(apply=apply, as_of=r.as_of, steps=steps, remaining=remaining)
    if apply:
        done = ", ".join(f"{s.key} {s.done}" for s in steps if s.done) or "nothing due"
        left = sum(remaining.values())
        basis = f"{connector.label} enforcement done: {done}; read back: {left} past retention"
    else:
        basis = (f"{connector.label} enforcement dry run as of {r.as_of}: "
                 + (", ".join(f"{s.key} {s.due}" for s in steps if s.due) or "nothing due"))
    record(actor, ENFORCE, categories=CATEGORIES, basis=basis[:300])
    return result
