"""Plain DB-API statements for the few hottest paths: the access-log append, the
data-key and patron inserts of a registration, blind-index candidates.

Why: Django's cursor wrapper (execute wrappers, placeholder rewriting, a new
cursor object each time) costs about 8 µs a statement, more than SQLite takes to
run most of these. A desk registration runs six statements and every read of
patron data appends to the access log. ``execute`` runs on the same connection,
in the caller's transaction, and still raises Django's database exceptions.

Write statements with ``%s`` placeholders (as for ``connection.cursor()``) and
no literal ``%``. Anything not on a measured hot path uses the ORM or
``connection.cursor()``; these statements are not seen by ``assertNumQueries``
or Django's SQL logging (which, here, is no loss: they carry ciphertext).
"""

from __future__ import annotations

import functools

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
        cursor = db.connection.execute(_qmark(sql) if db.vendor == "sqlite" else sql, params)
        return fetch(cursor) if fetch else None


def execute(sql: str, params=()) -> None:
    """Run one statement that returns no rows."""
    _run(sql, params, None)


def fetchone(sql: str, params=()):
    return _run(sql, params, lambda cursor: cursor.fetchone())


def fetchall(sql: str, params=()) -> list:
    return _run(sql, params, lambda cursor: cursor.fetchall())


def vendor() -> str:
    return connections[DEFAULT_DB_ALIAS].vendor
