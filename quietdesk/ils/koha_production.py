"""Scoped production from Koha: the ILS as a source in legal's producer registry.

When a case's judge-signed order names a patron, categories and dates, the production
(``legal/production.py``) reads, beside quietdesk's own records, exactly those
categories from Koha, read-only, for that patron's card number. Each read is decided
and logged like quietdesk's own: the policy engine decides the category for the
officer's order (``access.read`` of no fields: one entry per category, under the
production's action and purpose, so a request under non-disclosure stays marked);
the card number is decrypted through the reader (one entry); the production then
logs what was read from Koha against the case (``Event.KOHA_PRODUCTION_READ``).
The rows go into the same package: records/koha/<category>.csv, the PDF, the
inventory with SHA-256, the legal hold (which ``koha enforce`` honours in Koha).
"""

from __future__ import annotations

from quietdesk.legal import registry
from quietdesk.vault import reader

from .configured import configured
from .connector import ConnectorError


def _categories() -> tuple[str, ...]:
    connector = configured()
    if connector is None:
        return ()
    try:
        return connector.producible()
    finally:
        connector.close()


def _records(access: registry.Access, patron, categories, date_from, date_to):
    connector = configured()
    if connector is None:
        return []
    for category in categories:  # the engine decides each category for this request; logged
        access.read([patron], (), category=category)
    card = reader.read(access.actor, patron, ("card_number",), category="registration",
                       purpose=f"{access.purpose}: find the patron in Koha"[:250], event=access.event,
                       case_ref=access.case_ref, restricted=access.restricted)["card_number"]
    try:
        connector.check()
        return [(category, *connector.patron_records(card, category, date_from, date_to))
                for category in categories]
    except ConnectorError as exc:
        raise registry.SourceUnavailable(f"Koha could not be read: {exc}") from None
    finally:
        connector.close()


SOURCE = registry.Source(name="koha", label="Koha", categories=_categories, records=_records)


def register() -> None:
    """From IlsConfig.ready(), when a Koha is configured."""
    registry.register_source(SOURCE)
