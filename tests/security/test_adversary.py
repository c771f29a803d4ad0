"""The adversary: a full copy of the database (with its WAL), the backups and every other
file quietdesk keeps, everything except the keyring. After a realistic week (registrations,
checkouts and returns on several days, holds, sessions, views, a production under a
judge's order, a shred, the purge), it tries every join it can find, and must fail to list
the visits of any patron, living or shredded (issue: "A test plays the adversary").

Runs on a real SQLite file in the SQLite leg and on a real PostgreSQL database (dumped
with pg_dump) in the PostgreSQL leg. What such an adversary still learns is written down
in docs/threat-model.md ("Someone holding a copy without the keys").
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import uuid
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow]

DATE = re.compile(r"\d{4}-\d\d-\d\d")
# Tables that may name a living patron, and why (what the library holds now, by design).
MAY_NAME_A_PATRON = {
    "patrons_patron": "the registration itself (sealed)",
    "patrons_patronnameword": "the truncated blind indexes of the words of the patron's name (no dates)",
    "vault_datakey": "the patron's wrapped data key",
    "circulation_loan": "a loan still out (or a fine owed)",
    "circulation_hold": "a hold still waiting or on the shelf",
    "circulation_circulationpreference": "the patron's own choices",
    "legal_production": "a production under a judge's order (the disclosure record)",
    "retention_legalhold": "the legal hold that production placed",
}
# Dates that these rows carry and that are not visits: the order's date range (chosen by the officer).
NOT_VISITS = {"legal_production", "retention_legalhold"}


def _env(data: Path, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(QUIETDESK_MODE="test", QUIETDESK_DATA_DIR=str(data), PYTHONPATH=str(REPO))
    if database_url:
        env["QUIETDESK_DATABASE_URL"] = database_url
    return env


def _qd(env, *args):
    return subprocess.run([sys.executable, "-m", "quietdesk", *args], env=env, cwd=REPO, check=True,
                          capture_output=True, text=True)


@pytest.fixture
def database_url():
    """A fresh PostgreSQL database on the leg's server, or None for a SQLite file."""
    base = os.environ.get("QUIETDESK_DATABASE_URL")
    if not base:
        yield None
        return
    import psycopg

    name = f"qd_adversary_{secrets.token_hex(4)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _tables_sqlite(db: Path) -> dict[str, list[dict]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        out = {}
        for name in names:
            cur = None if name.startswith("sqlite_") else conn.execute(f'SELECT rowid, * FROM "{name}"')  # noqa: S608
            if cur is None:
                continue
            cols = [c[0] for c in cur.description]
            out[name] = [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
        return out
    finally:
        conn.close()


def _tables_pg(url: str) -> dict[str, list[dict]]:
    import psycopg

    out = {}
    with psycopg.connect(url) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()]
        for name in names:
            cur = conn.execute(f'SELECT ctid, * FROM "{name}"')  # noqa: S608  (names from the catalog)
            cols = [c.name for c in cur.description]
            out[name] = [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    return out


def _text(value) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return "" if value is None else str(value)


def _identifiers(person: dict) -> dict[str, str]:
    pid = uuid.UUID(person["id"])
    return {"id": str(pid), "id_hex": pid.hex, "pseudonym": person["pseudonym"], "card": person["card"],
            "given": person["given"], "family": person["family"], "email": person["email"]}


def test_a_copy_without_the_keyring_lists_no_ones_visits(tmp_path, database_url):
    data = tmp_path / "data"
    env = _env(data, database_url)
    _qd(env, "migrate", "-v0")
    truth_path = tmp_path / "truth.json"
    _qd(env, "shell", "-c", f"from tests.security.workload import run; run({str(truth_path)!r})")
    truth = json.loads(truth_path.read_text())
    people = truth["people"]

    # --- the adversary's copy: the database (and its WAL), the backups, every other file -------
    keyring = data / "keys" / "keyring.json"
    files = {p: p.read_bytes() for p in data.rglob("*") if p.is_file() and p != keyring}
    if database_url:
        dump = subprocess.run(["pg_dump", "--no-owner", database_url], capture_output=True, check=True).stdout
        files[Path("pg_dump.sql")] = dump
        tables = _tables_pg(database_url)
    else:
        db = Path(truth["database"])
        assert db.exists() and db in files
        tables = _tables_sqlite(db)

    # 1. Nothing personal in clear anywhere: every name, email and card number is sealed.
    for person in people:
        for what in ("given", "family", "email", "card"):
            needle = person[what].encode()
            for path, blob in files.items():
                assert needle not in blob, f"{what} of a patron in clear in {path.name}"

    # 2. Where each patron's identifiers appear, cell by cell.
    found = defaultdict(set)  # person index -> {(table, column)}
    rows_of = defaultdict(list)  # person index -> [(table, row)]
    for table, rows in tables.items():
        for row in rows:
            for col, value in row.items():
                text = _text(value)
                if not text:
                    continue
                for i, person in enumerate(people):
                    ids = _identifiers(person)
                    if any(ids[k] in text for k in ("id", "id_hex", "pseudonym")):
                        found[i].add((table, col))
                        rows_of[i].append((table, row))

    shredded = [i for i, p in enumerate(people) if p.get("shredded")]
    assert shredded, "the workload shreds a patron"
    for i in shredded:
        # Living nowhere in the database; in the raw files only in the shred list (key custody).
        assert not found[i], f"a shredded patron is still named in {sorted(found[i])}"
        ids = _identifiers(people[i])
        for path, blob in files.items():
            if path.name == "shredded.list":
                continue
            for key in ("id", "id_hex", "pseudonym"):
                assert ids[key].encode() not in blob, f"a shredded patron's {key} remains in {path.name}"

    for i in range(len(people)):
        tables_naming = {t for t, _ in found[i]}
        assert tables_naming <= set(MAY_NAME_A_PATRON), (
            f"patron {i} is named in {sorted(tables_naming - set(MAY_NAME_A_PATRON))}")

    # 3. The access log: no routine step, no reference that repeats or joins anything else.
    log = tables["audit_accessentry"]
    routine = {"checkout", "return", "renew", "pay_fine", "place_hold", "cancel_hold", "card_lookup",
               "desk_account", "computer_session", "computer_session_end", "program_register", "ill_request",
               "ill_close", "self_access"}
    assert not [e for e in log if e["action"] in routine], "routine steps were logged one by one"
    refs = [e["subject"] for e in log if e["subject"]]
    assert refs, "views and disclosures still name their subject (sealed)"
    assert all(r.startswith("r1:") for r in refs)
    assert len(refs) == len(set(refs)), "two entries share a reference: they could be linked"
    elsewhere = {_text(v) for t, rows in tables.items() if t != "audit_accessentry" for r in rows for v in r.values()}
    assert not set(refs) & elsewhere, "a log reference joins to another table"
    for e in log:
        for person in people:
            ids = _identifiers(person)
            assert not any(ids[k] in " ".join(_text(v) for v in e.values()) for k in ids), "the log names a patron"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?", e["at"]) for e in log)
    for tally in tables.get("audit_routinetally", []):
        assert tally["actor"] in {"desk-ana", "director-lee", "selfcheck:lobby", "patron (self-service)"} or \
            tally["actor"].startswith("system:"), tally

    # 4. No anonymous leftovers whose place could relink them (returned loans, closed holds, done ILLs).
    for table, link in (("circulation_loan", "patron_id"), ("circulation_hold", "patron_id"),
                        ("circulation_interlibraryloan", "patron_id")):
        orphans = [r for r in tables.get(table, []) if r[link] in (None, "")]
        assert not orphans, f"{len(orphans)} anonymous row(s) left in {table}"
    assert not tables.get("records_computersession"), "an ended session was kept"

    # 5. The visits: every date joined to a patron is one of what they hold now, never a past visit.
    for i, person in enumerate(people):
        if person.get("shredded"):
            continue
        joined = set()
        for table, row in rows_of[i]:
            if table in NOT_VISITS:
                continue
            for col, value in row.items():
                joined |= set(DATE.findall(_text(value))) if col not in {"id", "ctid", "rowid"} else set()
        # What they hold now (its day), when it is due back (the future), and when they registered.
        allowed = set(person["current"]) | {d for d in joined if d > truth["today"]} | {
            d for t, r in rows_of[i] if t == "patrons_patron" for d in DATE.findall(_text(r.get("registered_on")))}
        past = set(person["visits"]) - allowed
        assert past, f"the workload gave patron {i} past visits to hide"
        assert not joined & past, f"patron {i}'s past visits {sorted(joined & past)} can be joined to them"
        assert joined <= allowed | {""}, f"patron {i}: unexpected dates {sorted(joined - allowed)}"

    # 6. The keyring was what stood in the way: without it the backups are opaque.
    for backup in truth["backups"]:
        blob = Path(backup).read_bytes()
        assert b"SQLite format" not in blob and b"PGDMP" not in blob
