"""The producer registry: how each records category turns one patron's records into rows.

A producer is ``rows(access, patron, date_from, date_to) -> list[dict]``. ``access``
carries who is asking and on what document, and its ``read()`` is the only way a
producer decrypts: it calls ``quietdesk.vault.reader.read_many`` with that requester
and document, so the policy engine decides every read and every row is logged.

Contract for dated categories: each row has a ``date`` (ISO ``YYYY-MM-DD``) and the
producer returns only rows with ``date_from <= date <= date_to`` (either bound may be
None). Callers check it again (``within``): a producer cannot widen a scope.
A producer may also offer ``owed(access, patron)``: only whether items are overdue
and what is owed, for a parent of a 13 to 17 year old (scope ``overdue_and_fines``).

Sources are other systems that hold the same patron's records (the library's ILS:
``quietdesk/ils``). A production reads each registered source for the categories it
holds, read-only, beside quietdesk's own producers; the same date check applies.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor
from quietdesk.policy import engine, vocab
from quietdesk.vault import reader


@dataclass(frozen=True)
class Access:
    actor: Actor
    requester: str
    purpose: str
    document: str = "none"
    event: Event = Event.EXPORT
    case_ref: str = ""  # the case a production answers
    restricted: bool = False  # a request under non-disclosure
    extra: dict = field(default_factory=dict)  # age, child_card, authorized_categories

    def decide(self, category: str) -> engine.Decision:
        return engine.decide(engine.Request(requester=self.requester, category=category,
                                            document=self.document, **self.extra))

    def read(self, objs: Sequence, fields: Sequence[str], *, category: str) -> list[dict[str, str]]:
        """Decrypt through the reader: the engine decides, each row is logged."""
        return reader.read_many(self.actor, list(objs), fields, category=category, purpose=self.purpose,
                                requester=self.requester, document=self.document, event=self.event,
                                case_ref=self.case_ref, restricted=self.restricted, **self.extra)


Rows = list[dict]


@dataclass(frozen=True)
class Producer:
    category: str
    label: str
    columns: tuple[str, ...]
    rows: Callable[[Access, Any, datetime.date | None, datetime.date | None], Rows]
    dated: bool = True
    owed: Callable[[Access, Any], Rows] | None = None


REGISTRY: dict[str, Producer] = {}


def register(producer: Producer) -> None:
    if producer.category not in vocab.PATRON_RECORDS:
        raise ValueError(f"{producer.category!r} is not a patron records category: "
                         f"{', '.join(sorted(vocab.PATRON_RECORDS))}.")
    REGISTRY[producer.category] = producer


def unregister(category: str) -> None:
    REGISTRY.pop(category, None)


def categories() -> list[str]:
    """Registered categories, in the policy's order."""
    return [c for c in vocab.CATEGORIES if c in REGISTRY]


def get(category: str) -> Producer | None:
    return REGISTRY.get(category)


def within(row: dict, date_from: datetime.date | None, date_to: datetime.date | None) -> bool:
    """True if a dated row falls in the range (a row without a readable date never does,
    unless there is no range at all)."""
    if date_from is None and date_to is None:
        return True
    raw = row.get("date")
    try:
        day = raw if isinstance(raw, datetime.date) else datetime.date.fromisoformat(str(raw)[:10])
    except ValueError:
        return False
    if isinstance(day, datetime.datetime):
        day = day.date()
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)


def produce(producer: Producer, access: Access, patron, date_from=None, date_to=None) -> Rows:
    """The producer's rows, with the date range enforced again for dated categories."""
    rows = producer.rows(access, patron, date_from, date_to)
    if producer.dated:
        rows = [r for r in rows if within(r, date_from, date_to)]
    return [{c: r.get(c, "") for c in producer.columns} for r in rows]


# --- other systems that hold the patron's records (the library's ILS) ----------------


class SourceUnavailable(Exception):
    """A source could not be read; the message says why (never personal data)."""


@dataclass(frozen=True)
class Source:
    """``records(access, patron, categories, date_from, date_to) -> [(category, columns, rows)]``."""

    name: str  # short: "koha" (file names in the package)
    label: str  # "Koha"
    categories: Callable[[], Sequence[str]]
    records: Callable[..., list[tuple[str, tuple[str, ...], Rows]]]


SOURCES: dict[str, Source] = {}


def register_source(source: Source) -> None:
    SOURCES[source.name] = source


def unregister_source(name: str) -> None:
    SOURCES.pop(name, None)


def sources() -> list[Source]:
    return list(SOURCES.values())


def produce_from(source: Source, access: Access, patron, categories, date_from=None, date_to=None):
    """The source's rows for the categories it holds, with the date range enforced again."""
    wanted = [c for c in categories if c in set(source.categories())]
    if not wanted:
        return []
    out = []
    for category, columns, rows in source.records(access, patron, wanted, date_from, date_to):
        if category not in wanted:
            continue  # a source cannot widen a scope either
        if "date" in columns:
            rows = [r for r in rows if within(r, date_from, date_to)]
        out.append((category, tuple(columns), [{c: r.get(c, "") for c in columns} for r in rows]))
    return out
