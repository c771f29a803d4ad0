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


def execute(sql: str, params=()):
    """Run one statement; returns a DB-API cursor (fetchone, fetchall)."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.connection is None:
        db.ensure_connection()
    with db.wrap_database_errors:
        if db.vendor == "sqlite":
            return db.connection.execute(_qmark(sql), params)
        return db.connection.execute(sql, params)


def vendor() -> str:
    return connections[DEFAULT_DB_ALIAS].vendor
