"""Koha's own database (MariaDB or MySQL), through PyMySQL.

``KohaDatabase`` is the Koha connector with database access: exposure reads
(``exposure.py``), enforcement writes (``enforce.py``, only with ``--apply``) and
a patron's records for a production (``koha_records.py``).

Every statement quietdesk sends is a constant text with values as parameters; table
and column names come only from ``koha_tables``. Connections are in autocommit mode:
each enforcement batch is one statement, so it commits alone (see ``enforce.py``).
Errors become ``ConnectorError`` messages that name the server and the problem,
never the password and never a row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from urllib.parse import parse_qs, unquote, urlsplit

import pymysql
import pymysql.cursors
from pymysql.constants import ER

from .connector import Connector, ConnectorError, Finding, Retention, Step

# The oldest Koha whose schema quietdesk reads: 22.11 renamed old_issues.renewals to
# renewals_count; 20.11 added borrowers.anonymized and pseudonymized_transactions.
REQUIRED = {
    "borrowers": ("borrowernumber", "cardnumber", "categorycode", "privacy", "anonymized", "dateofbirth"),
    "categories": ("categorycode", "default_privacy"),
    "old_issues": ("issue_id", "borrowernumber", "issuedate", "returndate", "renewals_count"),
    "old_reserves": ("reserve_id", "borrowernumber", "reservedate", "timestamp"),
    "statistics": ("datetime", "borrowernumber"),
    "systempreferences": ("variable", "value"),
}
SUPPORTED = "Koha 22.11 or later (tested with the 24.05 schema)"


def parse_url(url: str) -> dict:
    """mysql://USER:PASSWORD@HOST:PORT/DATABASE[?unix_socket=PATH] -> PyMySQL's arguments."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("mysql", "mariadb", "mysql+pymysql"):
        raise ConnectorError("QUIETDESK_KOHA_DATABASE_URL must look like mysql://USER:PASSWORD@HOST:3306/DATABASE "
                             f"(it starts with {parts.scheme + '://' if parts.scheme else 'no scheme'}).")
    database = unquote(parts.path.lstrip("/"))
    if not database or "/" in database:
        raise ConnectorError("QUIETDESK_KOHA_DATABASE_URL names no database: add /DATABASE (e.g. /koha_library).")
    try:
        port = parts.port or 3306
    except ValueError:
        raise ConnectorError("QUIETDESK_KOHA_DATABASE_URL has a port that is not a number.") from None
    args = {"host": parts.hostname or "127.0.0.1", "port": port, "user": unquote(parts.username or ""),
            "password": unquote(parts.password or ""), "database": database}
    socket = parse_qs(parts.query).get("unix_socket")
    if socket:
        args["unix_socket"] = socket[0]
    return args


def _where(args: dict) -> str:
    place = args.get("unix_socket") or f"{args['host']}:{args['port']}"
    return f"Koha's database {args['database']} at {place} (user {args['user'] or '-'})"


def explain(exc: Exception, where: str) -> ConnectorError:
    """A database error as a sentence. PyMySQL's own text may quote SQL: it is not passed on."""
    code = exc.args[0] if getattr(exc, "args", None) and isinstance(exc.args[0], int) else None
    if code in (ER.ACCESS_DENIED_ERROR,):
        return ConnectorError(f"{where} refused the login: check the user name and password.")
    if code in (ER.DBACCESS_DENIED_ERROR,):
        return ConnectorError(f"{where}: this user may not use that database (GRANT SELECT ON it, see the guide).")
    if code == ER.BAD_DB_ERROR:
        return ConnectorError(f"{where}: no such database. Check the name at the end of the URL.")
    if code in (ER.TABLEACCESS_DENIED_ERROR, ER.COLUMNACCESS_DENIED_ERROR, ER.SPECIFIC_ACCESS_DENIED_ERROR):
        return ConnectorError(f"{where}: this account may not do that (it lacks a privilege). The operator's guide, "
                              "'Using quietdesk with Koha', lists the grants.")
    if code in (ER.NO_SUCH_TABLE, ER.BAD_FIELD_ERROR):
        return ConnectorError(f"{where}: a table or column quietdesk needs is missing; this does not look like "
                              f"{SUPPORTED}.")
    if code in (2003, 2005, 2006, 2013) or isinstance(exc, OSError | TimeoutError):
        return ConnectorError(f"Cannot reach {where}: is the server running, and the host and port right?")
    if code == ER.OPTION_PREVENTS_STATEMENT:
        return ConnectorError(f"{where} is read-only (a replica, or read_only is on): nothing was changed.")
    if code in (ER.LOCK_WAIT_TIMEOUT, ER.LOCK_DEADLOCK):
        return ConnectorError(f"{where}: rows were locked by Koha for too long; run again (nothing is lost).")
    return ConnectorError(f"{where} answered with error {code or type(exc).__name__}.")


class KohaDatabase(Connector):
    name = "koha"
    label = "Koha"
    can_enforce = True

    def __init__(self, url: str, *, connect_timeout: int = 10):
        self.args = parse_url(url)
        self.where = _where(self.args)
        self.connect_timeout = connect_timeout
        self._conn: pymysql.connections.Connection | None = None
        self._columns: dict[str, set[str]] | None = None

    # --- connection ---------------------------------------------------------------

    def connection(self) -> pymysql.connections.Connection:
        if self._conn is None:
            try:
                self._conn = pymysql.connect(**self.args, charset="utf8mb4", autocommit=True,
                                             connect_timeout=self.connect_timeout, read_timeout=3600,
                                             write_timeout=3600)
            except (pymysql.MySQLError, OSError) as exc:
                raise explain(exc, self.where) from None
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except pymysql.MySQLError:
                pass
            self._conn = None

    def execute(self, sql: str, params=()) -> int:
        """Run one statement (autocommit: it commits alone); returns the rows it changed."""
        try:
            with self.connection().cursor() as cursor:
                return cursor.execute(sql, params or None)
        except (pymysql.MySQLError, OSError) as exc:
            raise explain(exc, self.where) from None

    def rows(self, sql: str, params=()) -> list[tuple]:
        try:
            with self.connection().cursor() as cursor:
                cursor.execute(sql, params or None)
                return list(cursor.fetchall())
        except (pymysql.MySQLError, OSError) as exc:
            raise explain(exc, self.where) from None

    def one(self, sql: str, params=()) -> tuple | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def stream(self, sql: str, params=(), size: int = 5000) -> Iterator[tuple]:
        """Rows one batch at a time from an unbuffered cursor: memory stays flat on big tables."""
        try:
            with self.connection().cursor(pymysql.cursors.SSCursor) as cursor:
                cursor.execute(sql, params or None)
                while batch := cursor.fetchmany(size):
                    yield from batch
        except (pymysql.MySQLError, OSError) as exc:
            raise explain(exc, self.where) from None

    # --- what this Koha has ---------------------------------------------------------

    def columns(self) -> dict[str, set[str]]:
        """Tables and their columns, as this account sees them."""
        if self._columns is None:
            found: dict[str, set[str]] = {}
            for table, column in self.rows(
                    "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"):
                found.setdefault(table, set()).add(column)
            self._columns = found
        return self._columns

    def has(self, table: str, *columns: str) -> bool:
        have = self.columns().get(table)
        return have is not None and all(c in have for c in columns)

    def check(self) -> None:
        tables = self.columns()
        if not tables:
            raise ConnectorError(f"{self.where} holds no tables this account can see: is it Koha's database, and "
                                 "does the account have SELECT on it?")
        missing = [f"{t}.{c}" for t, cols in REQUIRED.items() for c in cols if c not in tables.get(t, set())]
        if missing:
            if "borrowers" not in tables or "systempreferences" not in tables:
                raise ConnectorError(f"{self.where} does not look like a Koha database (no borrowers or "
                                     "systempreferences table visible to this account).")
            raise ConnectorError(f"{self.where} has a schema quietdesk cannot read ({', '.join(missing[:4])} "
                                 f"missing): quietdesk supports {SUPPORTED}. Upgrade Koha first.")

    def preferences(self, names=None) -> dict[str, str]:
        rows = self.rows("SELECT variable, value FROM systempreferences")
        prefs = {name: ("" if value is None else str(value)) for name, value in rows}
        if names is None:
            return prefs
        wanted = {n.lower() for n in names}
        return {k: v for k, v in prefs.items() if k.lower() in wanted}

    def preference(self, name: str) -> str | None:
        """One preference (Koha's names are case-insensitive), or None when this Koha lacks it."""
        row = self.one("SELECT value FROM systempreferences WHERE variable = %s", (name,))
        return None if row is None else ("" if row[0] is None else str(row[0]))

    def anonymous_patron(self) -> int | None:
        """The borrowernumber AnonymousPatron names, if it names an existing patron."""
        raw = (self.preference("AnonymousPatron") or "").strip()
        if not raw.isdigit() or int(raw) == 0:
            return None
        found = self.one("SELECT borrowernumber FROM borrowers WHERE borrowernumber = %s", (int(raw),))
        return int(found[0]) if found else None

    def borrowernumbers(self, cards: list[str]) -> dict[str, list[int]]:
        """Card number -> borrowernumbers (current and deleted patrons). In memory only."""
        out: dict[str, list[int]] = {}
        unique = sorted(set(cards))
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            for table in ("borrowers", "deletedborrowers"):
                for card, number in self.rows(
                        f"SELECT cardnumber, borrowernumber FROM {table} WHERE cardnumber IN ({marks})",  # noqa: S608
                        chunk):
                    out.setdefault(str(card), []).append(int(number))
        return out

    # --- the connector's work (in their own modules) ---------------------------------

    def exposure(self, retention: Retention) -> list[Finding]:
        from . import exposure

        return exposure.database_exposure(self, retention)

    def enforce(self, retention: Retention, *, apply: bool, batch_size: int, progress=None) -> list[Step]:
        from . import enforce

        return enforce.run(self, retention, apply=apply, batch_size=batch_size, progress=progress)

    def check_writable(self, retention: Retention) -> None:
        from . import enforce

        enforce.preflight(self, retention)

    def producible(self) -> tuple[str, ...]:
        from . import koha_records

        return koha_records.CATEGORIES

    def patron_records(self, card_number: str, category: str, date_from: datetime.date | None,
                       date_to: datetime.date | None) -> tuple[tuple[str, ...], list[dict]]:
        from . import koha_records

        return koha_records.database_records(self, card_number, category, date_from, date_to)
