"""A throwaway MariaDB server with Koha's real schema, for the Koha tests and bench/koha.py.

The server is started by ``scripts/mariadb-test-server`` (or given by ``QD_MARIADB_URL``,
as scripts/test may export). Koha 24.05's schema and preferences are loaded in place
from shared/koha (kohastructure.sql, sysprefs.sql: never copied into the project),
with Debian's `mariadb` client, in about a second.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pymysql

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "mariadb-test-server"


class MariaDBUnavailable(RuntimeError):
    """The throwaway server could not be started or reached; the message says why."""


def schema_dir() -> Path:
    """shared/koha: QUIETDESK_KOHA_SCHEMA_DIR, or a `shared/koha` beside the checkout or above it."""
    override = os.environ.get("QUIETDESK_KOHA_SCHEMA_DIR")
    candidates = [Path(override)] if override else []
    candidates += [parent / "shared" / "koha" for parent in REPO.parents]
    for path in candidates:
        if (path / "kohastructure.sql").is_file() and (path / "sysprefs.sql").is_file():
            return path
    raise MariaDBUnavailable("Koha's schema was not found: no shared/koha/kohastructure.sql beside or above "
                             f"{REPO} (set QUIETDESK_KOHA_SCHEMA_DIR).")


class Server:
    """A running server: ``url(db)`` gives a connection URL as root (no password)."""

    def __init__(self, root_url: str, directory: str | None = None):
        parts = urlsplit(root_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 3306
        self.user, self.password = parts.username or "root", parts.password or ""
        self.directory = directory

    @classmethod
    def start(cls) -> Server:
        url = os.environ.get("QD_MARIADB_URL")
        if url:
            return cls(url)
        try:
            out = subprocess.run([str(SCRIPT), "start"], capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise MariaDBUnavailable(f"scripts/mariadb-test-server could not run: {exc}") from None
        if out.returncode != 0:
            raise MariaDBUnavailable(f"scripts/mariadb-test-server start failed:\n{out.stderr.strip()}")
        env = dict(line.removeprefix("export ").split("=", 1) for line in out.stdout.splitlines() if "=" in line)
        return cls(env["QD_MARIADB_URL"], env["QD_MARIADB_DIR"])

    def stop(self) -> None:
        if self.directory:
            subprocess.run([str(SCRIPT), "stop", self.directory], capture_output=True, timeout=60, check=False)
            self.directory = None

    def url(self, database: str, user: str | None = None, password: str | None = None) -> str:
        user = user or self.user
        password = self.password if password is None else password
        auth = f"{user}:{password}" if password else user
        return f"mysql://{auth}@{self.host}:{self.port}/{database}"

    def connect(self, database: str | None = None) -> pymysql.connections.Connection:
        return pymysql.connect(host=self.host, port=self.port, user=self.user, password=self.password,
                               database=database, autocommit=True, charset="utf8mb4")

    def sql(self, statement: str, params=None, database: str | None = None):
        conn = self.connect(database)
        try:
            with conn.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchall()
        finally:
            conn.close()

    def client(self, database: str, path: Path) -> None:
        """Feed an SQL file to Debian's `mariadb` client (what the README in shared/koha does)."""
        with path.open("rb") as fh:
            out = subprocess.run(["mariadb", "--no-defaults", f"--host={self.host}", f"--port={self.port}",
                                  f"--user={self.user}", *( [f"--password={self.password}"] if self.password else []),
                                  database], stdin=fh, capture_output=True, timeout=300)
        if out.returncode != 0:
            raise MariaDBUnavailable(f"loading {path.name} failed: {out.stderr.decode(errors='replace')[:500]}")

    def create_koha(self, database: str) -> str:
        """A fresh database with Koha's schema and default preferences; returns its URL."""
        schema = schema_dir()
        self.sql(f"DROP DATABASE IF EXISTS `{database}`")
        self.sql(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        self.client(database, schema / "kohastructure.sql")
        self.client(database, schema / "sysprefs.sql")
        return self.url(database)

    def drop(self, database: str) -> None:
        self.sql(f"DROP DATABASE IF EXISTS `{database}`")
