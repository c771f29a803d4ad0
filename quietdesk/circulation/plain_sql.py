"""Small helpers for the plain SQL on circulation's hot paths (checkout and return
run thousands of times a day; the ORM's query building would cost more than the
writes). Only constant table and column names are ever put into SQL text."""

import datetime
import uuid

from quietdesk import sql

# A UUID as the database stores it (hex text on SQLite, uuid on PostgreSQL).
uid = sql.uuid_param


def to_uuid(value):
    return None if value is None else value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def day(value: datetime.date | None):
    """A date as a parameter (ISO text on SQLite, as Django stores it there; a date elsewhere)."""
    if value is None:
        return None
    return value.isoformat() if sql.vendor() == "sqlite" else value


def to_date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def lock() -> str:
    """Row lock suffix: PostgreSQL locks rows; SQLite transactions are IMMEDIATE already."""
    return " FOR UPDATE" if sql.vendor() == "postgresql" else ""

