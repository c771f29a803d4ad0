"""The self-check JSON API and its OpenAPI document."""

import datetime
import json
import re

from django.urls import reverse

from quietdesk.circulation import services
from quietdesk.circulation.json_api import new_token
from quietdesk.circulation.models import Hold, Loan, SelfCheckMachine
from quietdesk.circulation.openapi import document
from tests.circulation.helpers import DESK, item
from tests.personas import PersonaTestCase
from tests.test_every_url import walk

CARD = "21000000000001"  # tests.personas patron_data(1)


def check(value, schema, spec, path="$"):
    """A small JSON Schema check (type, required, properties, enum, minimum, $ref)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return check(value, spec["components"]["schemas"][name], spec, path)
    kinds = schema.get("type")
    if kinds is not None:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        py = {"object": dict, "string": str, "integer": int, "boolean": bool, "null": type(None), "array": list}
        assert any(isinstance(value, py[k]) and not (k == "integer" and isinstance(value, bool)) for k in kinds), \
            f"{path}: {value!r} is not {kinds}"
    if "enum" in schema:
        assert value in schema["enum"], f"{path}: {value!r} not in {schema['enum']}"
    if "minimum" in schema and isinstance(value, int):
        assert value >= schema["minimum"], f"{path}: {value} < {schema['minimum']}"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{path}: missing {key}"
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                check(value[key], sub, spec, f"{path}.{key}")
        extra = set(value) - set(schema.get("properties", {}))
        assert not extra, f"{path}: undocumented keys {extra}"


class Api(PersonaTestCase):
    def setUp(self):
        token, digest = new_token()
        SelfCheckMachine.objects.create(label="front-door", token_digest=digest)
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        self.book = item(1)
        self.spec = self.client.get("/circulation/api/v1/openapi.json").json()

    def call(self, path, body, **headers):
        r = self.client.post(f"/circulation/api/v1/{path}/", json.dumps(body) if not isinstance(body, bytes) else body,
                             content_type=headers.pop("content_type", "application/json"), **{**self.auth, **headers})
        op = self.spec["paths"].get(f"/circulation/api/v1/{path}/", {}).get("post")
        if op is not None:
            schema = op["responses"][str(r.status_code)]["content"]["application/json"]["schema"]
            check(r.json(), schema, self.spec)
        return r

    def test_document_lists_exactly_the_api(self):
        spec = document()
        self.assertEqual(spec["openapi"], "3.1.0")
        served = {"/" + re.sub(r"<[^>]+>", "x", route) for _, route, _ in walk() if route.startswith("circulation/api/v1/")}
        served.discard("/circulation/api/v1/openapi.json")
        self.assertEqual(served, set(spec["paths"]))
        refs = re.findall(r'"\$ref": "#/components/schemas/(\w+)"', json.dumps(spec))
        self.assertTrue(refs)
        for name in refs:
            self.assertIn(name, spec["components"]["schemas"])
        for path, ops in spec["paths"].items():
            for op in ops.values():
                self.assertIn("operationId", op)
                self.assertIn("requestBody", op)
                self.assertTrue({"200", "201"} & set(op["responses"]), path)

    def test_served_anonymously(self):
        r = self.client.get(reverse("circulation:api_openapi"))
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["info"]["title"], "quietdesk self-check API")

    def test_checkout_checkin_cycle(self):
        r = self.call("checkout", {"card": CARD, "item": self.book.barcode})
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(r.json()["item"], self.book.barcode)
        self.assertNotIn("Given1", r.content.decode())
        r = self.call("renew", {"card": CARD, "item": self.book.barcode})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["renewals"], 1)
        r = self.call("checkin", {"item": self.book.barcode})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json(), {"item": self.book.barcode, "fine_cents": 0, "hold_shelf_code": None,
                                    "self_pickup": None})
        self.assertFalse(Loan.objects.exists())  # the loan is gone at return

    def test_holds_and_fines(self):
        r = self.call("holds", {"card": CARD, "item": self.book.barcode})
        self.assertEqual(r.status_code, 201)
        self.assertEqual(r.json()["status"], "ready")
        r = self.call("holds/cancel", {"card": CARD, "hold": r.json()["hold"]})
        self.assertEqual(r.status_code, 200)
        self.assertFalse(Hold.objects.exists())  # a cancelled hold is deleted at once
        loan = services.do_checkout(DESK, self.patron, self.book, today=datetime.date(2026, 1, 1))
        services.do_return(DESK, self.book, today=loan.due_on + datetime.timedelta(days=2))
        r = self.call("fines/pay", {"card": CARD, "item": self.book.barcode, "amount_cents": 50})
        self.assertEqual((r.status_code, r.json()["fine_cents"]), (200, 0))
        self.assertFalse(Loan.objects.exists())  # paid: the loan is gone

    def test_errors_are_json_never_500(self):
        before = Loan.objects.count()
        cases = [
            ("checkout", {"card": CARD, "item": "NOPE"}, 404, "unknown_item"),
            ("checkout", {"card": "99999999", "item": self.book.barcode}, 404, "unknown_patron"),
            ("checkout", {"card": "12", "item": self.book.barcode}, 400, "bad_request"),
            ("checkout", {"item": self.book.barcode}, 400, "bad_request"),
            ("checkout", ["not", "an", "object"], 400, "bad_request"),
            ("checkin", {"item": self.book.barcode}, 409, "not_out"),
            ("holds/cancel", {"card": CARD, "hold": "not-a-uuid"}, 400, "bad_request"),
            ("holds/cancel", {"card": CARD, "hold": "00000000-0000-4000-8000-000000000000"}, 409, "hold_refused"),
            ("fines/pay", {"card": CARD, "item": self.book.barcode, "amount_cents": "5"}, 400, "bad_request"),
            ("fines/pay", {"card": CARD, "item": self.book.barcode, "amount_cents": 5}, 409, "nothing_owed"),
        ]
        for path, body, status, code in cases:
            r = self.call(path, body)
            self.assertEqual((r.status_code, r.json()["error"]["code"]), (status, code), (path, body))
        r = self.call("checkout", b"\xff\xfe{", content_type="application/json")
        self.assertEqual(r.status_code, 400)
        r = self.call("checkout", {"card": CARD, "item": self.book.barcode})
        r = self.call("checkout", {"card": CARD, "item": self.book.barcode})
        self.assertEqual((r.status_code, r.json()["error"]["code"]), (409, "already_out"))
        self.assertEqual(Loan.objects.count(), before + 1)

    def test_needs_a_live_machine_token(self):
        for headers in ({"HTTP_AUTHORIZATION": ""}, {"HTTP_AUTHORIZATION": "Bearer qd_sc_wrong"},
                        {"HTTP_AUTHORIZATION": "Basic abc"}):
            r = self.call("checkout", {"card": CARD, "item": self.book.barcode}, **headers)
            self.assertEqual(r.status_code, 401)
        SelfCheckMachine.objects.update(revoked_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
        self.assertEqual(self.call("checkin", {"item": "X"}).status_code, 401)
        # A signed-in staff session is not a machine token (no CSRF exposure).
        self.login(self.desk)
        r = self.client.post("/circulation/api/v1/checkin/", "{}", content_type="application/json")
        self.assertEqual(r.status_code, 401)
        self.assertEqual(self.client.get("/circulation/api/v1/checkout/").status_code, 405)
