"""Hostile bodies for the self-check API: each gets a 4xx with a JSON error that a
person can act on, names nothing that was sent, and changes nothing.

These are the bodies schemathesis (test_api_schemathesis.py) cannot produce: bytes
that are not UTF-8, nesting deeper than the parser's recursion limit, lone
surrogates, duplicate keys, JSON's non-values, oversized bodies, look-alike
characters. Each was a 500, or silently matched a real item, before."""

import json

from quietdesk.audit.models import RoutineTally
from quietdesk.circulation.json_api import MAX_DEPTH, new_token
from quietdesk.circulation.models import Hold, Item, Loan, SelfCheckMachine
from quietdesk.circulation.openapi import MAX_BODY_BYTES, SCHEMAS
from tests.circulation.helpers import item
from tests.personas import PersonaTestCase

CARD = "21000000000001"  # tests.personas patron_data(1)


class HostileBodies(PersonaTestCase):
    def setUp(self):
        token, digest = new_token()
        SelfCheckMachine.objects.create(label="front-door", token_digest=digest)
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        self.book = item(1)  # barcode ITEM00001
        self.client.raise_request_exception = False  # a 500 must show as a 500 here, not as an exception

    def post(self, path: str, raw: bytes, content_type: str = "application/json", **extra):
        # CONTENT_TYPE given in the environ too: the test client drops it for an empty body.
        return self.client.post(f"/circulation/api/v1/{path}/", raw, content_type=content_type,
                                **{**self.auth, "CONTENT_TYPE": content_type, **extra})

    def state(self):
        return (Loan.objects.count(), Hold.objects.count(), list(Item.objects.values_list("status", flat=True)),
                sum(RoutineTally.objects.values_list("count", flat=True)))

    def refused(self, path: str, raw: bytes, status: int = 400, code: str = "bad_request", says: str = "",
                **kwargs):
        before = self.state()
        r = self.post(path, raw, **kwargs)
        self.assertEqual(r.status_code, status, (path, raw[:80], r.content[:300]))
        self.assertEqual(r["Content-Type"], "application/json")
        error = r.json()["error"]
        self.assertEqual(error["code"], code)
        self.assertIn(says, error["message"])
        self.assertNotIn(CARD, r.content.decode())  # an error never repeats what was sent
        self.assertEqual(self.state(), before)  # nothing changed, nothing counted
        return error["message"]

    def body(self, **fields) -> bytes:
        return json.dumps({"card": CARD, "item": self.book.barcode, **fields}).encode()

    def test_nesting_deeper_than_the_parser_can_recurse(self):
        self.refused("checkout", b"[" * 2000, says="nests too deeply")
        self.refused("checkout", b"[" * 2000 + b"]" * 2000, says="nests too deeply")
        self.refused("checkout", b'{"card": ' + b'{"a": ' * 300 + b"1" + b"}" * 301, says="nests too deeply")
        self.refused("checkout", b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), says="nests too deeply")
        # Brackets inside strings are text, not nesting: this one is refused for its card, not its depth.
        self.refused("checkout", self.body(card="[[[[[[[[[["), says="'card' must be")

    def test_lone_surrogates(self):
        for raw in (b'{"card": "\\ud800", "item": "ITEM00001"}', b'{"card": "' + CARD.encode() + b'", "item": "\\udfff"}',
                    b'{"\\ud800": 1}', b'{"item": "ITEM0000\\ud834"}'):
            self.refused("checkout" if b"card" in raw else "checkin", raw)
        # A surrogate pair is a real character, still not one a barcode may hold.
        self.refused("checkin", b'{"item": "\\ud834\\udd1e"}', says="'item' must be")

    def test_bytes_that_are_not_utf8(self):
        self.refused("checkin", b'{"item": "ITEM0000\xff"}', says="not valid UTF-8")
        self.refused("checkin", b'{"item": "\xc0\xaf"}', says="not valid UTF-8")  # an overlong "/"
        self.refused("checkin", '{"item": "ITEM00001"}'.encode("utf-16"), says="not valid UTF-8")
        self.refused("checkin", b'\xef\xbb\xbf{"item": "ITEM00001"}', says="not valid JSON")  # a BOM

    def test_not_json(self):
        for raw in (b"", b"   ", b"{", b"{'item': 'ITEM00001'}", b'{"item": "ITEM00001"} x', b"null",
                    b'"ITEM00001"', b"[]", b"1"):
            self.refused("checkin", raw)
        for constant in (b"NaN", b"Infinity", b"-Infinity"):
            self.refused("fines/pay", self.body(amount_cents=1).replace(b"1}", constant + b"}"),
                         says="not a JSON value")

    def test_duplicate_keys(self):
        # Two parsers could disagree on which one counts: refused, whichever comes first.
        self.refused("checkin", b'{"item": "NOPE", "item": "ITEM00001"}', says="appears twice")
        self.refused("checkout", self.body()[:-1] + b', "card": "21000000000002"}', says="appears twice")

    def test_content_type(self):
        raw = self.body()
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/jsonp",
                             "application/json; charset=latin-1", "application/json; charset=utf-16"):
            self.refused("checkout", raw, 415, "unsupported_media_type", content_type=content_type)
        r = self.post("checkout", raw, content_type="application/json; charset=UTF-8")
        self.assertEqual(r.status_code, 201, r.content)

    def test_size_limit(self):
        padding = b" " * (MAX_BODY_BYTES + 1)
        self.refused("checkin", b'{"item": "ITEM00001"}' + padding, 413, "body_too_large")
        self.refused("fines/pay", self.body(amount_cents=1)[:-1] + b', "amount_cents": ' + b"1" * 5000 + b"}",
                     413, "body_too_large")  # no 4,300-digit int conversion either
        # Refused on the announced length, before a byte is read.
        self.refused("checkin", b'{"item": "ITEM00001"}', 413, "body_too_large", CONTENT_LENGTH=str(10**9))
        self.refused("checkin", b'{"item": "ITEM00001"}', CONTENT_LENGTH="lots", says="Content-Length")
        # Just under the limit is fine.
        raw = b'{"item": "ITEM00001"}'
        raw = raw + b" " * (MAX_BODY_BYTES - len(raw))
        self.assertEqual(self.post("checkin", raw).json()["error"]["code"], "not_out")

    def test_wrong_types(self):
        for amount in (True, False, None, "5", [5], {"cents": 5}, 5.5, 0, -1, 10**12, 1e-300):
            self.refused("fines/pay", self.body(amount_cents=amount), says="'amount_cents' must be")
        for number in (b"1e400", b"-1e400", b"25e-1", b"1" * 400):  # infinities, a fraction, a huge integer
            self.refused("fines/pay", self.body(amount_cents=0).replace(b"0}", number + b"}"),
                         says="'amount_cents' must be")
        for value in (1, True, None, [], {}, ["ITEM00001"]):
            self.refused("checkin", json.dumps({"item": value}).encode(), says="'item' must be")
            self.refused("checkout", self.body(card=value), says="'card' must be")
        # JSON Schema counts 25.0 as an integer, so the API does too (the document says so).
        r = self.post("fines/pay", self.body(amount_cents=25.0))
        self.assertEqual(r.json()["error"]["code"], "nothing_owed")

    def test_extra_and_missing_fields(self):
        self.refused("checkin", self.body(), says="takes only item")  # card is not a field of checkin
        self.refused("checkout", self.body(note="hi"), says="takes only card, item")
        self.refused("checkout", b'{"card": "' + CARD.encode() + b'"}', says="Missing field(s): item")
        self.refused("fines/pay", self.body(), says="Missing field(s): amount_cents")
        self.refused("holds/cancel", b"{}", says="Missing field(s): card, hold")

    def test_look_alikes_and_invisible_characters(self):
        """Python's upper() folds a dotless ı into I and ſ into S: before, "ıtem00001"
        found ITEM00001. Fullwidth, Cyrillic and zero-width look-alikes are refused too."""
        for barcode in ("\u0131tem00001", "ITEM0000\uff11", "\u0406TEM00001", "ITEM\u200b00001", "ITEM\u00a000001",
                        "ſ" + "ITEM00001"[1:], "ITEM00001\n", " ITEM00001", "ITEM\x0000001", "ITEM\u202e00001"):
            self.refused("checkin", json.dumps({"item": barcode}).encode(), says="'item' must be")
        for card in ("2100000000000\u0661", "\uff12" + CARD[1:], CARD + "\n", CARD[:-1] + "\u0131", "21000-0000-0001",
                     " " + CARD, CARD + "\u200b", "\u0130" + CARD[1:]):
            self.refused("checkout", self.body(card=card), says="'card' must be")
        # What the document allows still works: letters in either case, digits.
        self.assertEqual(self.post("checkin", json.dumps({"item": "item00001"}).encode()).json()["error"]["code"],
                         "not_out")

    def test_ssn_shaped_card(self):
        message = self.refused("checkout", self.body(card="123456789"), says="Social Security")
        self.assertNotIn("123456789", message)
        self.refused("checkout", self.body(card="AB123456789"), says="Social Security")
        # Ten digits in a row are not shaped like one.
        self.assertEqual(self.post("checkout", self.body(card="1234567890")).json()["error"]["code"], "unknown_patron")

    def test_other_methods_get_405_with_allow(self):
        for method in ("get", "put", "delete", "patch"):
            r = getattr(self.client, method)("/circulation/api/v1/checkout/", **self.auth)
            self.assertEqual(r.status_code, 405)
            self.assertEqual(r["Allow"], "POST")
            self.assertEqual(r.json()["error"]["code"], "bad_request")

    def test_the_document_states_the_rules(self):
        card = SCHEMAS["CheckoutRequest"]["properties"]["card"]
        self.assertEqual((card["minLength"], card["maxLength"]), (5, 20))
        self.assertEqual(SCHEMAS["PayFineRequest"]["properties"]["amount_cents"]["type"], "integer")
        for name, schema in SCHEMAS.items():
            if name.endswith("Request"):
                self.assertIs(schema["additionalProperties"], False, name)
