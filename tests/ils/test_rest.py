"""Koha's REST API connector (OAuth2 client credentials), read-only.

A hosted Koha's REST API cannot exist here: these tests run against a faithful local
stand-in (tests/ils/koha_api_server.py) that implements the documented endpoints the
client uses (POST /oauth/token, GET /patrons, /checkouts with checked_in, /holds,
/items/{id}, ``q`` queries, paging, X-Total-Count, 401/403/400 answers) over a real
Koha database in the test MariaDB, so its answers can be checked against Koha's tables.
"""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quietdesk.ils import connector
from quietdesk.ils.connector import ConnectorError
from quietdesk.ils.koha_db import KohaDatabase
from quietdesk.ils.koha_rest import KohaRest
from tests.ils.conftest import AS_OF
from tests.ils.koha_api_server import KohaAPI

pytestmark = pytest.mark.django_db
ALL = {"borrowers", "catalogue", "circulate", "reserveforothers"}


@pytest.fixture
def api(koha, settings):
    server = KohaAPI({"host": koha.server.host, "port": koha.server.port, "user": koha.server.user,
                      "password": koha.server.password, "database": koha.database},
                     clients={"quietdesk": ("s3cret-client", ALL), "weak": ("weak-secret", {"borrowers"})})
    settings.QUIETDESK_KOHA_DATABASE_URL = ""
    settings.QUIETDESK_KOHA_API_URL = server.url
    settings.QUIETDESK_KOHA_API_CLIENT_ID = "quietdesk"
    settings.QUIETDESK_KOHA_API_CLIENT_SECRET = "s3cret-client"
    settings.QUIETDESK_KOHA_ANONYMOUS_PATRON = "1"
    yield server
    server.stop()


def test_exposure_through_the_api_matches_the_database(koha, api):
    out = io.StringIO()
    call_command("koha", "exposure", "--json", "--as-of", AS_OF.isoformat(), stdout=out)
    data = json.loads(out.getvalue())
    assert data["source"] == "Koha REST API"
    loans = next(f for f in data["findings"] if f["table"] == "old_issues")
    cutoff = AS_OF - datetime.timedelta(days=30)
    rows, linked, due, oldest = koha.one(
        "SELECT COUNT(*), SUM(borrowernumber <> 1), SUM(borrowernumber <> 1 AND returndate < %s), "
        "MIN(CASE WHEN borrowernumber <> 1 THEN returndate END) FROM old_issues", (cutoff,))
    assert (loans["rows"], loans["linked"], loans["past_retention"]) == (rows, int(linked), int(due))
    assert loans["oldest"] == oldest.date().isoformat()
    assert "upper bound" in loans["recommendation"]
    birth = next(f for f in data["findings"] if f["kind"] == "field" and f["column"] == "date_of_birth")
    assert birth["rows"] == koha.one("SELECT COUNT(*) FROM borrowers WHERE dateofbirth IS NOT NULL")[0]
    notes = next(f for f in data["findings"] if f["kind"] == "free_text" and f["column"] == "staff_notes")
    db_notes = next(f for f in KohaDatabase(koha.url).exposure(connector.retention(AS_OF))
                    if f.kind == "free_text" and f.column == "borrowernotes")
    assert notes["kinds"] == db_notes.kinds and notes["rows"] == db_notes.rows
    assert any(f["kind"] == "preference" and "does not show system preferences" in f["recommendation"]
               for f in data["findings"])
    assert "219-09-9999" not in out.getvalue()
    # Counting costs a few requests, not one per loan; notes are read a page of patrons at a time.
    assert len(api.requests) < 25
    assert api.requests[0] == "POST /api/v1/oauth/token"


def test_the_api_cannot_enforce_and_says_so(koha, api):
    with pytest.raises(CommandError, match="cannot be changed from quietdesk"):
        call_command("koha", "enforce", "--apply", stdout=io.StringIO())
    assert not any(r.startswith("POST") and "token" not in r for r in api.requests)


def test_patron_records_through_the_api(koha, api):
    number = koha.facts.patrons[3]
    card = koha.facts.cards[number]
    rest = KohaRest(api.url, "quietdesk", "s3cret-client", anonymous=1)
    db = KohaDatabase(koha.url)
    start, end = datetime.date(2023, 1, 1), datetime.date(2025, 6, 30)
    columns, rows = rest.patron_records(card, "circulation", start, end)
    _, db_rows = db.patron_records(card, "circulation", start, end)
    key = ("date", "record", "barcode", "due_on", "returned_on")
    assert rows and sorted(tuple(r[k] for k in key) for r in rows) == sorted(tuple(r[k] for k in key) for r in db_rows)
    assert all(start.isoformat() <= r["date"] <= end.isoformat() for r in rows)
    _, registration = rest.patron_records(card, "registration", None, None)
    assert [r["cardnumber"] for r in registration] == [card]
    assert rest.patron_records("00000000000000", "circulation", None, None)[1] == []
    db.close()


@pytest.mark.parametrize("change, says", [
    ({"QUIETDESK_KOHA_API_CLIENT_SECRET": "wrong"}, "refused the client id or secret"),
    ({"QUIETDESK_KOHA_API_CLIENT_ID": "weak", "QUIETDESK_KOHA_API_CLIENT_SECRET": "weak-secret"},
     "lacks a permission"),
    ({"QUIETDESK_KOHA_API_URL": "http://127.0.0.1:9/"}, "Cannot reach Koha's REST API"),
    ({"QUIETDESK_KOHA_API_URL": "ftp://koha.example.org"}, "must be Koha's staff address"),
    ({"QUIETDESK_KOHA_API_CLIENT_SECRET": ""}, "needs QUIETDESK_KOHA_API_CLIENT_ID"),
])
def test_bad_api_settings_get_a_clear_message(koha, api, settings, change, says):
    for name, value in change.items():
        setattr(settings, name, value)
    with pytest.raises(CommandError) as raised:
        call_command("koha", "exposure", stdout=io.StringIO())
    assert says in str(raised.value)
    assert "s3cret-client" not in str(raised.value)


def test_client_credentials_turned_off_in_koha(koha, api):
    api.client_credentials = False
    with pytest.raises(ConnectorError, match="RESTOAuth2ClientCredentials"):
        KohaRest(api.url, "quietdesk", "s3cret-client").check()


def test_an_expired_token_is_renewed_once(koha, api):
    rest = KohaRest(api.url, "quietdesk", "s3cret-client", anonymous=1)
    rest.check()
    api.tokens.clear()  # Koha forgot the token (expired, or the key was revoked and re-made)
    rest.check()
    assert api.requests.count("POST /api/v1/oauth/token") == 2
