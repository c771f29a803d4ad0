"""Plain DB-API statements for the few hottest paths: the access-log append, the
data-key, patron and name-word inserts of a registration, blind-index candidates
(with the rows they match), checkout and return, an item by its barcode, a patron's
loans and holds with their items.

Why: Django's cursor wrapper (execute wrappers, placeholder rewriting, a new
cursor object each time) costs about 8 µs a statement, more than SQLite takes to
run most of these, and a queryset compiles its SQL afresh on every call (a card
lookup and an item lookup cost more to compile than to run; a self-check machine
does both for every checkout). ``execute`` runs on the same connection, in the
caller's transaction, and still raises Django's database exceptions;
``instances`` builds model instances from rows with the ORM's own converters.

Write statements with ``%s`` placeholders (as for ``connection.cursor()``) and
no literal ``%``. Anything not on a measured hot path uses the ORM or
``connection.cursor()``; these statements are not seen by ``assertNumQueries``
or Django's SQL logging (which, here, is no loss: they carry ciphertext).
"""

from __future__ import annotations

import functools
import uuid

from django.db import DEFAULT_DB_ALIAS, connections


@functools.lru_cache(maxsize=128)
def _qmark(sql: str) -> str:
    if "%%" in sql:
        raise ValueError("quietdesk.sql statements take no literal %.")
    return sql.replace("%s", "?")


def _run(sql: str, params, fetch):
    db = connections[DEFAULT_DB_ALIAS]
    if db.connection is None:
        db.ensure_connection()
    db.validate_no_broken_transaction()
    # Fetching inside the wrapper too: SQLite can fail while stepping past the first row.
    with db.wrap_database_errors:
        cursor = db.connection.execute(_qmark(sql) if vendor() == "sqlite" else sql, params)
        return fetch(cursor) if fetch else None


def execute(sql: str, params=()) -> int:
    """Run one statement that returns no rows; returns how many rows it changed."""
    return _run(sql, params, _ROWCOUNT)


def _ROWCOUNT(cursor) -> int:  # noqa: N802 — a constant, for ``execute``
    return cursor.rowcount


def fetchone(sql: str, params=()):
    return _run(sql, params, lambda cursor: cursor.fetchone())


def fetchall(sql: str, params=()) -> list:
    return _run(sql, params, lambda cursor: cursor.fetchall())


@functools.cache
def vendor() -> str:
    """The default database's vendor. Fixed for the life of a process (settings choose it),
    so it is looked up once: ``connection.vendor`` goes through a thread-local proxy that
    costs ~3.5 µs a call, and a registration asked it a dozen times."""
    return connections[DEFAULT_DB_ALIAS].vendor


def uuid_param(value):
    """A UUID (or its text) as a parameter: 32 hex characters on SQLite, Django's storage
    there, and a native uuid elsewhere. ``None`` stays ``None``."""
    if value is None:
        return None
    if not isinstance(value, uuid.UUID):
        value = uuid.UUID(str(value))
    return value.hex if vendor() == "sqlite" else value


# --- rows as model instances -------------------------------------------------


@functools.cache
def _loader(model) -> tuple[list[str], list[str], list[tuple[int, list, object]]]:
    """The quoted columns of ``model``, their attribute names, and for each column that
    needs one the converters the ORM would apply (UUID and date text on SQLite)."""
    db = connections[DEFAULT_DB_ALIAS]
    fields = model._meta.concrete_fields
    converters = []
    for i, field in enumerate(fields):
        col = field.get_col("t")
        found = db.ops.get_db_converters(col) + col.get_db_converters(db)
        if found:
            converters.append((i, found, col))
    return [db.ops.quote_name(f.column) for f in fields], [f.attname for f in fields], converters


@functools.cache
def columns_of(model, alias: str = "t") -> str:
    """``t.a, t.b, ...``: every column of ``model`` (under ``alias``), for a statement whose
    rows ``instances`` builds."""
    return ", ".join(f"{alias}.{column}" for column in _loader(model)[0])


def instances(model, rows, start: int = 0) -> list:
    """Rows that hold ``columns_of(model)`` from position ``start`` as instances, converted
    as the ORM converts them (a queryset compiles its SQL on every call: more than a keyed
    lookup costs to run). Two models in one row (a join): call once for each."""
    _columns, attnames, converters = _loader(model)
    db = connections[DEFAULT_DB_ALIAS]
    end = start + len(attnames)
    out = []
    for row in rows:
        values = list(row[start:end])
        for i, found, col in converters:
            for convert in found:
                values[i] = convert(values[i], col, db)
        out.append(model.from_db(DEFAULT_DB_ALIAS, attnames, values))
    return out


def width(model) -> int:
    """How many columns ``columns_of(model)`` names."""
    return len(_loader(model)[1])
