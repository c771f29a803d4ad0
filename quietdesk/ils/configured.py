"""The connector the settings name: Koha's database if given, else Koha's REST API, else None.

Apart from ``connector.py`` (the interface) so that the interface imports none of its
implementations: they import it."""

from __future__ import annotations

from django.conf import settings

from .connector import Connector
from .koha_db import KohaDatabase
from .koha_rest import KohaRest


def configured() -> Connector | None:
    if settings.QUIETDESK_KOHA_DATABASE_URL:
        return KohaDatabase(settings.QUIETDESK_KOHA_DATABASE_URL)
    if settings.QUIETDESK_KOHA_API_URL:
        return KohaRest(settings.QUIETDESK_KOHA_API_URL, settings.QUIETDESK_KOHA_API_CLIENT_ID,
                        settings.QUIETDESK_KOHA_API_CLIENT_SECRET)
    return None
