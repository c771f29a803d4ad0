"""Fixtures for the Koha tests: a real MariaDB server with Koha's real schema.

The server is started once per session by scripts/mariadb-test-server (Debian's
mariadb-server, installed by scripts/setup), unless QD_MARIADB_URL names one. If it
cannot start, every Koha test FAILS with the reason: these tests are never skipped.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from tests.ils import kohadata
from tests.ils.mariadb import MariaDBUnavailable, Server

AS_OF = datetime.date(2026, 11, 20)


@pytest.fixture(scope="session")
def mariadb():
    try:
        server = Server.start()
        server.sql("SELECT 1")
    except (MariaDBUnavailable, OSError, KeyError) as exc:
        pytest.fail(f"MariaDB for the Koha tests could not start: {exc}", pytrace=False)
    except Exception as exc:  # pymysql errors: say what the server said
        pytest.fail(f"MariaDB for the Koha tests could not be reached: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def koha_base(mariadb):
    """One database with Koha's schema (loaded once per session) and its default preferences."""
    try:
        url = mariadb.create_koha("koha_test")
    except MariaDBUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    prefs = mariadb.sql("SELECT variable, value, options, explanation, type FROM systempreferences",
                        database="koha_test")
    return url, list(prefs)


@dataclass
class Koha:
    server: Server
    url: str
    database: str
    facts: kohadata.Facts

    def conn(self):
        return self.server.connect(self.database)

    def sql(self, statement, params=None):
        return self.server.sql(statement, params, database=self.database)

    def one(self, statement, params=None):
        rows = self.sql(statement, params)
        return rows[0] if rows else None


@pytest.fixture
def koha(mariadb, koha_base, settings):
    """koha_test emptied and filled with fresh data, and quietdesk pointed at it."""
    url, prefs = koha_base
    conn = mariadb.connect("koha_test")
    try:
        kohadata.reset(conn, prefs)
        facts = kohadata.build(conn, as_of=AS_OF)
    finally:
        conn.close()
    settings.QUIETDESK_KOHA_DATABASE_URL = url
    settings.QUIETDESK_KOHA_API_URL = ""
    return Koha(mariadb, url, "koha_test", facts)
