"""Canary: register patrons whose fields hold unique canary strings, run a workload
(views, edits, a backup), stop the server, then search every file under the data
directory (database, -wal, -shm, backups, logs) and the PostgreSQL dump for the
canaries: zero hits.

The scanner is shown to work on the same canaries (a plaintext control written
outside the data directory, and the decrypted pages the server sent back), so
zero hits means the data is sealed, not that the search is blind.
"""

from __future__ import annotations

import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow]


def patron(given, family, card, *, contact="email", email="", phone="", band="adult", changes_on="", notes=""):
    return {
        "given_name": given,
        "family_name": family,
        "card_number": card,
        "contact": contact,
        "email": email,
        "phone": phone,
        "age_band": band,
        "age_band_changes_on": changes_on,
        "notes": notes,
    }


# Every field a canary; each value appears nowhere else.
ALPHA = patron("Zqxcanaryalpha", "Zqxcanarybravo", "ZQXCANARY0001", email="zqx.canary.charlie@example.org",
               notes="Zqxcanarydelta prefers the quiet room")
ECHO = patron("Zqxcanaryecho", "Zqxcanaryfoxtrot-Ñandú", "ZQXCANARY0002", contact="phone",
              phone="+44 20 7946 0958", band="teen", changes_on="2028-06-01", notes="Zqxcanarygolf 高尔夫 гольф")
HOTEL = patron("Zqxcanaryhotel", "Zqxcanaryindia", "ZQXCANARY0003", contact="none", band="child",
               changes_on="2030-01-01", notes="Zqxcanaryjuliet")
# Edits replace every field of ALPHA (at the desk) and ECHO (by the director).
ALPHA_EDITED = patron("Zqxcanarykilo", "Zqxcanarylima", "ZQXCANARY0011", email="zqx.canary.mike@example.net",
                      notes="Zqxcanarynovember")
ECHO_EDITED = patron("Zqxcanaryoscar", "Zqxcanarypapa", "ZQXCANARY0012", email="zqx.canary.quebec@example.com",
                     notes="Zqxcanaryromeo")
# Registered by the director, then deleted for good.
SIERRA = patron("Zqxcanarysierra", "Zqxcanarytango", "ZQXCANARY0004", email="zqx.canary.uniform@example.org",
                notes="Zqxcanaryvictor")
# Never stored: a form refused for its card number, and a search that matches no one.
REFUSED = patron("Zqxcanarywhiskey", "Zqxcanaryxray", "ZQ", contact="none", notes="Zqxcanaryxylophone")
MISSED_SEARCH = "Zqxcanaryyankee Zqxcanaryzulu"

SEALED = ("given_name", "family_name", "card_number", "email", "phone", "notes")
STORED = [ALPHA, ECHO, HOTEL, ALPHA_EDITED, ECHO_EDITED, SIERRA]
CANARIES = sorted(
    {p[f] for p in STORED for f in SEALED if p[f]}
    | {REFUSED["given_name"], REFUSED["family_name"], REFUSED["notes"], MISSED_SEARCH}
)
# Pieces too: a truncated, normalized or re-joined copy is a leak as well.
FRAGMENTS = ["Zqxcanary", "zqx.canary", "7946 0958", "Ñandú", "高尔夫", "гольф"]


# --- the scanner --------------------------------------------------------------

def _forms(text: str) -> set[str]:
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    forms = {text, bare, unicodedata.normalize("NFD", text), unicodedata.normalize("NFC", text)}
    return {f for form in forms for f in (form, form.lower(), form.upper(), form.casefold())}


def needles(text: str) -> list[tuple[str, bytes]]:
    """Byte patterns for ``text``, compared against a lower-cased (ASCII) haystack."""
    out = set()
    for form in _forms(text):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            out.add((encoding, form.encode(encoding).lower()))
        out.add(("hex", form.encode("utf-8").hex().encode()))
    return sorted(out)


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def scan(paths: Iterable[Path], texts: Iterable[str]) -> set[tuple[str, str, str]]:
    """(file, text, encoding) for every text found in any of the files, in any form."""
    patterns = [(text, label, needle) for text in texts for label, needle in needles(text)]
    hits = set()
    for path in paths:
        try:
            data = path.read_bytes().lower()
        except FileNotFoundError:
            continue  # a live server's scratch file (e.g. PostgreSQL's pg_internal.init) went away mid-scan
        for text, label, needle in patterns:
            if needle in data:
                hits.add((str(path), text, label))
    return hits


def found(hits: set[tuple[str, str, str]]) -> set[str]:
    return {text for _, text, _ in hits}


# --- the workload -------------------------------------------------------------

def register(client, data) -> str:
    client.get("/patrons/register/")
    page = client.post("/patrons/register/", data)
    m = re.fullmatch(r"/patrons/([0-9a-f-]{36})/", page.path)
    assert m, f"registration did not open the new record (ended at {page.path})"
    assert "Patron registered." in page.text
    return m.group(1)


def find(client, by: str, query: str, expect_id: str | None) -> None:
    client.get("/patrons/find/")
    page = client.post("/patrons/find/", {"by": by, "query": query})
    if expect_id is None:
        assert page.path == "/patrons/find/" and "No patron matches" in page.text
    elif page.path != f"/patrons/{expect_id}/":
        # A blind-index collision may list more than one: ours must be among them.
        assert f"/patrons/{expect_id}/" in page.text, f"find by {by} did not find {expect_id}"


def view(client, patron_id: str, data: dict) -> str:
    page = client.get(f"/patrons/{patron_id}/")
    for f in SEALED:
        if data[f]:
            assert data[f] in page.text, f"the record does not show its {f}"
    return re.search(r"<code>(P-[0-9A-Z-]+)</code>", page.text).group(1)


def edit(client, patron_id: str, data: dict) -> None:
    client.get(f"/patrons/{patron_id}/edit/")
    page = client.post(f"/patrons/{patron_id}/edit/", data)
    assert page.path == f"/patrons/{patron_id}/" and "Changes saved." in page.text


def test_no_canary_reaches_the_disk(quietdesk_servers, tmp_path):
    server = quietdesk_servers.start("canary")
    data_dir = server.data_dir

    # Desk: register, refuse a bad form, find, view, edit.
    desk = server.client(sign_in_as="desk")
    ids = {}
    for name, data in (("alpha", ALPHA), ("echo", ECHO), ("hotel", HOTEL)):
        ids[name] = register(desk, data)
    refused = desk.post("/patrons/register/", REFUSED)
    assert refused.path == "/patrons/register/" and "A card number is 5 to 20" in refused.text
    pseudonyms = {name: view(desk, ids[name], data) for name, data in (("alpha", ALPHA), ("echo", ECHO), ("hotel", HOTEL))}
    find(desk, "card_number", ALPHA["card_number"].lower(), ids["alpha"])
    find(desk, "email", ALPHA["email"].upper(), ids["alpha"])
    find(desk, "full_name", "zqxcanaryecho  ZQXCANARYFOXTROT-nandu", ids["echo"])
    find(desk, "card_number", "zqx canary 0003", ids["hotel"])
    find(desk, "full_name", f"{HOTEL['given_name']} {HOTEL['family_name']}", ids["hotel"])
    find(desk, "full_name", MISSED_SEARCH, None)
    server.manage("backup")  # while the server runs, with the first records in it
    edit(desk, ids["alpha"], ALPHA_EDITED)
    view(desk, ids["alpha"], ALPHA_EDITED)
    find(desk, "card_number", ALPHA_EDITED["card_number"], ids["alpha"])
    find(desk, "email", ALPHA_EDITED["email"], ids["alpha"])
    find(desk, "card_number", ALPHA["card_number"], None)  # the old card no longer finds anyone

    # Director (password and second factor): edit, register and delete, read the log.
    director = server.client(sign_in_as="director")
    view(director, ids["echo"], ECHO)
    edit(director, ids["echo"], ECHO_EDITED)
    view(director, ids["echo"], ECHO_EDITED)
    find(director, "full_name", f"{ECHO_EDITED['given_name']} {ECHO_EDITED['family_name']}", ids["echo"])
    ids["sierra"] = register(director, SIERRA)
    pseudonyms["sierra"] = view(director, ids["sierra"], SIERRA)
    director.get(f"/patrons/{ids['sierra']}/delete/")
    gone = director.post(f"/patrons/{ids['sierra']}/delete/", {"confirm": "on"})
    assert gone.path == "/patrons/find/" and "The record was destroyed." in gone.text
    director.get(f"/patrons/{ids['sierra']}/", expect=404)
    log_page = director.get("/audit/log/")
    assert log_page.text.count("a person") >= 8  # views, changes and the shred, each about someone
    for name in ("alpha", "echo", "hotel", "sierra"):
        assert pseudonyms[name] not in log_page.text  # sealed references only: no join to the patron's row
    assert not found(scan([_write(tmp_path / "log.html", log_page.text)], CANARIES + FRAGMENTS))

    backup = Path(server.manage("backup").stdout.strip().splitlines()[-1])
    assert backup.is_file() and backup.parent == data_dir / "backups"
    server.manage("audit", "checkpoint")
    assert "Access log intact" in server.manage("audit", "verify").stdout

    # Stop the server: everything it wrote is now on disk.
    server.stop()
    stderr_log = (server.log_dir / "gunicorn.stderr.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in stderr_log and "Internal Server Error" not in stderr_log, stderr_log[-3000:]
    assert (server.log_dir / "gunicorn.stdout.log").stat().st_size > 0, "gunicorn's access log is empty"

    # Controls: the scanner finds every canary where it is known to be.
    sent_back = _write(tmp_path / "responses.html", "\n".join(p.text for p in desk.pages + director.pages))
    assert found(scan([sent_back], CANARIES)) == set(CANARIES), "a canary never reached the server and back"
    for control in _plaintext_controls(tmp_path / "control"):
        assert found(scan([control], CANARIES)) == set(CANARIES), f"scanner missed canaries in {control.name}"

    # The data directory: database, -wal, -shm, keys, backups, checkpoints, logs.
    files = files_under(data_dir)
    names = {p.name for p in files}
    assert any(n.endswith(".qdbackup") for n in names), names
    assert any(n.startswith("checkpoint-") for n in names), names
    assert {"gunicorn.stdout.log", "gunicorn.stderr.log", "commands.log"} <= names, names
    if server.database is None:
        assert "quietdesk.sqlite3" in names, names
        # Pseudonyms are stored in clear by design: the scanner sees the database.
        assert found(scan([p for p in files if p.name.startswith("quietdesk.sqlite3")], pseudonyms.values())) \
            >= {pseudonyms["alpha"], pseudonyms["echo"]}
    hits = scan(files, CANARIES + FRAGMENTS)
    assert not hits, "canaries found on disk:\n" + "\n".join(sorted(f"{f}: {t!r} ({e})" for f, t, e in hits))

    if server.database is not None:
        dump = server.database.dump(tmp_path / "pg_dump.sql")
        text = dump.read_text(encoding="utf-8")
        assert "patrons_patron" in text and pseudonyms["alpha"] in text, "the dump holds no patrons"
        hits = scan([dump], CANARIES + FRAGMENTS)
        assert not hits, "canaries found in pg_dump:\n" + "\n".join(sorted(f"{t!r} ({e})" for _, t, e in hits))
        cluster = _pg_cluster_dir(server.database.port)
        if cluster is not None:
            hits = scan(files_under(cluster), FRAGMENTS)
            assert not hits, "canaries in PostgreSQL's files:\n" + "\n".join(sorted(f"{f}: {t!r}" for f, t, _ in hits))

    # Sessions are signed and compressed on disk: decode them and look inside too.
    decoded = server.manage(
        "shell", "-c",
        "import json; from django.contrib.sessions.models import Session; "
        "print(json.dumps([s.get_decoded() for s in Session.objects.all()], default=str, ensure_ascii=False))",
        log=False,
    ).stdout.lower()
    assert "_auth_user_id" in decoded
    leaked = [c for c in CANARIES + FRAGMENTS if any(f.lower() in decoded for f in _forms(c))]
    assert not leaked, f"canaries in session data: {leaked}"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _plaintext_controls(directory: Path) -> list[Path]:
    """The canaries written in clear, the ways a leak might write them."""
    directory.mkdir()
    db = directory / "control.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (v TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", [(c,) for c in CANARIES])
    conn.close()
    return [
        _write(directory / "utf8.txt", "\n".join(CANARIES)),
        _write(directory / "upper.txt", "\n".join(c.upper() for c in CANARIES)),
        _write(directory / "hex.txt", "\n".join(c.encode().hex().upper() for c in CANARIES)),
        _write_bytes(directory / "utf16.bin", "\0".join(CANARIES).encode("utf-16-le")),
        _write_bytes(directory / "utf16be.bin", "\0".join(CANARIES).encode("utf-16-be")),
        db,
    ]


def _write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _pg_cluster_dir(port: int) -> Path | None:
    """The throwaway cluster of scripts/pg-test-cluster, when it is the one in use."""
    root = os.environ.get("QD_PG_DIR")
    if not root:
        return None
    pid_file = Path(root) / "data" / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
    except OSError:
        return None
    return Path(root) if len(lines) > 3 and lines[3].strip() == str(port) else None
