"""Schemathesis against the self-check API's own OpenAPI document.

The real Django application (its WSGI handler and every middleware) is called in
process through schemathesis' WSGI transport, on the test database, with a real
machine token made by ``quietdesk selfcheck add``. For each operation schemathesis
runs its phases (the document's examples; boundary, missing-field, wrong-type,
wrong-content-type and other-method coverage; then generated bodies, valid and
invalid) and applies all of its checks: no 5xx, only documented statuses and
content types, answers that match their schemas, every valid body accepted (2xx,
or 404/409 for an unknown card or a refused step), every invalid one refused with
a 4xx, the token enforced, 405 with Allow for other methods. Examples are bounded
and generation deterministic: the same run every time, in seconds.

Bodies schemathesis cannot produce (invalid UTF-8, deep nesting, lone surrogates,
duplicate keys, oversized bodies) are in ``test_api.py``.
"""

import copy
import io

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from schemathesis.core.failures import FailureGroup

from quietdesk.circulation import services
from quietdesk.circulation.models import Item
from quietdesk.circulation.openapi import PREFIX
from tests.circulation.helpers import patron

DOCUMENT = PREFIX + "/openapi.json"
EXAMPLES = 25  # per operation and phase; 6 operations, about 450 requests in all
CONFIG = {"generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none", "mode": "all"},
          "checks": {"enabled": True}}


def load(document: dict | None = None):
    """The API's schema as schemathesis loads it: from the served document, or from ``document``."""
    config = schemathesis.Config.from_dict(CONFIG)
    app = get_wsgi_application()
    if document is None:
        return schemathesis.openapi.from_wsgi(DOCUMENT, app, config=config)
    schema = schemathesis.openapi.from_dict(document, config=config)
    schema.app = app
    return schema


@pytest.fixture
def machine_token(db):
    # Django's WSGI handler closes the database connection after each request
    # (close_old_connections); inside the test's transaction that would end it (on
    # PostgreSQL). Django's own test client disconnects it for the same reason.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield make_token()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def make_token() -> str:
    out = io.StringIO()
    call_command("selfcheck", "add", "schemathesis", stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip()
    assert token.startswith("qd_sc_")
    # What the document's examples name: a patron with that card, an item with that barcode.
    patron(1)
    Item.objects.create(barcode="QDAPI0001", title="A book for the examples")
    return token


SCHEMA = load()


@SCHEMA.parametrize()
@hypothesis.settings(deadline=None, suppress_health_check=list(hypothesis.HealthCheck))
def test_api_matches_its_document(case, machine_token):
    auth = f"Bearer {machine_token}"
    response = case.call_and_validate(headers={"Authorization": auth})
    if response.request.headers.get("Authorization") == auth:
        # The token reached the API (schemathesis leaves it out on purpose to check that
        # it is required): it must work, or the run would test nothing but the 401 path.
        assert response.status_code != 401, response.text


def failures(schema, machine_token, path: str) -> list[str]:
    """What schemathesis finds on one operation with generated valid bodies (the harness above)."""
    operation = schema[PREFIX + path]["POST"]
    found = []

    @hypothesis.given(case=operation.as_strategy())
    @hypothesis.settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    def run(case):
        try:
            case.call_and_validate(headers={"Authorization": f"Bearer {machine_token}"})
        except FailureGroup as exc:
            found.append(str(exc))

    run()
    return found


def test_a_document_that_disagrees_with_the_validators_fails(machine_token):
    """The served document with the card rule it had before (1 to 40 characters of anything):
    schemathesis must see the API refuse cards that the document allows."""
    document = copy.deepcopy(SCHEMA.raw_schema)  # as served
    card = document["components"]["schemas"]["CheckoutRequest"]["properties"]["card"]
    for rule in ("pattern", "not", "examples"):
        card.pop(rule)
    card.update(minLength=1, maxLength=40)
    found = failures(load(document), machine_token, "/checkout/")
    assert any("Schema-valid request rejected" in text for text in found), found
    assert not failures(SCHEMA, machine_token, "/checkout/")


def test_a_server_error_fails(machine_token, monkeypatch):
    def broken(barcode):
        raise RuntimeError("a bug in a service")

    monkeypatch.setattr(services, "item_by_barcode", broken)
    found = failures(SCHEMA, machine_token, "/checkin/")
    assert any("Server error" in text for text in found), found
