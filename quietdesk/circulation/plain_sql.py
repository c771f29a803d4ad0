"""Small helpers for the plain SQL on circulation's hot paths (checkout and return
run thousands of times a day; the ORM's query building would cost more than the
writes). Only constant table and column names are ever put into SQL text."""

import datetime
import uuid

from django.db import connection


def uid(value):
    """A UUID as the database stores it (hex text on SQLite, uuid on PostgreSQL)."""
    if value is None:
        return None
    if not isinstance(value, uuid.UUID):
        value = uuid.UUID(str(value))
    return value.hex if connection.vendor == "sqlite" else value


def to_uuid(value):
    return None if value is None else value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def day(value: datetime.date | None):
    return connection.ops.adapt_datefield_value(value)


def to_date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def lock() -> str:
    """Row lock suffix: PostgreSQL locks rows; SQLite transactions are IMMEDIATE already."""
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def insert(cursor, sql: str, params) -> int:
    """Run an INSERT and return the new integer id."""
    if connection.vendor == "postgresql":
        cursor.execute(sql + " RETURNING id", params)
        return cursor.fetchone()[0]
    cursor.execute(sql, params)
    return cursor.lastrowid
