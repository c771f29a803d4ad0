"""The OpenAPI 3.1 description of the self-check API (served at
/circulation/api/v1/openapi.json).

The request schemas here are not only documentation: ``json_api.py`` validates every
body against these very dictionaries (``api.validate``), so the document and the
validators cannot drift apart. ``tests/circulation/test_api_schemathesis.py`` runs
schemathesis against the served document to check that it stays so: every body
the document calls valid is accepted, every other one gets a 4xx.
"""

from __future__ import annotations

PREFIX = "/circulation/api/v1"
MAX_BODY_BYTES = 4096  # the largest body the API reads; real ones are under 200 bytes
MAX_AMOUNT_CENTS = 100_000_000

# Patterns are ECMA-262 as JSON Schema wants them; json_api.py anchors them the same way
# in Python (``\Z``, not ``$``, which would let a trailing newline through).
# Cards and barcodes are ASCII only: a look-alike (a dotless ı, a fullwidth digit)
# that Python's upper() would fold into a real barcode is refused, not matched.
CARD_PATTERN = "^[A-Za-z0-9]{5,20}$"
# A run of exactly nine digits is shaped like a Social Security or taxpayer number:
# refused, as at the desk (patrons.validators.looks_like_ssn_or_itin).
SSN_SHAPED = "(^|[A-Za-z])[0-9]{9}([A-Za-z]|$)"
BARCODE_PATTERN = "^[!-~]{1,32}$"
UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


def _string(description: str, **extra) -> dict:
    return {"type": "string", "description": description, **extra}


CARD = _string("The patron's library card number as scanned: 5 to 20 letters and digits (ASCII), "
               "no spaces or dashes. A number shaped like a Social Security number (nine digits in a row) "
               "is refused.", minLength=5, maxLength=20, pattern=CARD_PATTERN, **{"not": {"pattern": SSN_SHAPED}},
               examples=["21000000000001"])
ITEM = _string("The item's barcode: 1 to 32 printable ASCII characters, no spaces (case does not matter).",
               minLength=1, maxLength=32, pattern=BARCODE_PATTERN, examples=["QDAPI0001"])
HOLD_ID = _string("A hold's id, as the answer to placing it gave it.", format="uuid", minLength=36, maxLength=36,
                  pattern=UUID_PATTERN)
AMOUNT = {"type": "integer", "minimum": 1, "maximum": MAX_AMOUNT_CENTS, "examples": [25],
          "description": "Cents, a whole number (JSON Schema counts 25.0 as one too)."}
# In answers: what the database holds, described without the request's limits.
BARCODE_OUT = {"type": "string", "description": "The item's barcode."}
DATE = {"type": "string", "format": "date"}


def _request(*required: str, **properties) -> dict:
    return {"type": "object", "required": list(required), "properties": properties, "additionalProperties": False}


def _answer(**properties) -> dict:
    return {"type": "object", "required": list(properties), "properties": properties, "additionalProperties": False}


# Error codes: those of circulation.errors that the API can raise, and the API's own.
API_ERROR_CODES = ("unauthorized", "bad_request", "unsupported_media_type", "body_too_large")
SERVICE_ERROR_CODES = ("unknown_item", "unknown_patron", "already_out", "not_out", "held_for_another",
                       "item_missing", "renew_refused", "hold_refused", "nothing_owed", "bad_amount", "refused")

SCHEMAS = {
    "Error": {
        "type": "object", "required": ["error"], "additionalProperties": False,
        "properties": {"error": {
            "type": "object", "required": ["code", "message"], "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "enum": [*API_ERROR_CODES, *SERVICE_ERROR_CODES]},
                "message": {"type": "string", "description": "What went wrong, for a person to read."},
            },
        }},
    },
    "CheckoutRequest": _request("card", "item", card=CARD, item=ITEM),
    "CheckoutResponse": _answer(item=BARCODE_OUT, title={"type": "string"}, due_on=DATE),
    "CheckinRequest": _request("item", item=ITEM),
    "CheckinResponse": _answer(
        item=BARCODE_OUT,
        fine_cents={"type": "integer", "minimum": 0, "description": "Owed on this loan now."},
        hold_shelf_code={"type": ["string", "null"],
                         "description": "Put the item on the hold shelf under this code (never a name)."},
        self_pickup={"type": ["boolean", "null"], "description": "false: keep the item behind the desk."},
    ),
    "RenewRequest": _request("card", "item", card=CARD, item=ITEM),
    "RenewResponse": _answer(item=BARCODE_OUT, due_on=DATE, renewals={"type": "integer", "minimum": 1}),
    "HoldRequest": _request("card", "item", card=CARD, item=ITEM),
    "HoldResponse": _answer(hold={"type": "string", "format": "uuid"}, item=BARCODE_OUT,
                            status={"type": "string", "enum": ["waiting", "ready"]},
                            shelf_code={"type": ["string", "null"]}),
    "CancelHoldRequest": _request("card", "hold", card=CARD, hold=HOLD_ID),
    "CancelHoldResponse": _answer(hold={"type": "string", "format": "uuid"},
                                  status={"type": "string", "enum": ["cancelled"]}),
    "PayFineRequest": _request("card", "item", "amount_cents", card=CARD, item=ITEM, amount_cents=AMOUNT),
    "PayFineResponse": _answer(item=BARCODE_OUT, fine_cents={"type": "integer", "minimum": 0}),
}

ERRORS = {
    "400": "The body is not one JSON object with exactly the fields described (UTF-8, no duplicate keys, "
           "nothing nested), or a field breaks its rule; the message says which.",
    "401": "No valid machine token.",
    "404": "Unknown item or card.",
    "409": "Refused: the message says why (already out, not out, held for another patron, more than is owed...).",
    "413": f"The body is larger than {MAX_BODY_BYTES} bytes.",
    "415": "The body is not sent as application/json (UTF-8).",
}

OPERATIONS = [
    ("/checkout", "checkout", "Check an item out to a card", "Fills the card's hold if the item waits for it.",
     "CheckoutRequest", "CheckoutResponse", "201"),
    ("/checkin", "checkin", "Check an item in",
     "The loan loses its borrower at once unless a fine is owed; a waiting hold goes to the hold shelf.",
     "CheckinRequest", "CheckinResponse", "200"),
    ("/renew", "renew", "Renew a loan", "Refused when another patron waits for the item or renewals are used up.",
     "RenewRequest", "RenewResponse", "200"),
    ("/holds", "placeHold", "Place a hold on an item", "An item on the shelf goes to the hold shelf at once.",
     "HoldRequest", "HoldResponse", "201"),
    ("/holds/cancel", "cancelHold", "Cancel one of the card's holds", "The hold loses its link to the patron.",
     "CancelHoldRequest", "CancelHoldResponse", "200"),
    ("/fines/pay", "payFine", "Pay (part of) a fine on an item",
     "When nothing is owed any more the loan loses its borrower.", "PayFineRequest", "PayFineResponse", "200"),
]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def document(server: str = "") -> dict:
    paths = {}
    for path, op_id, summary, description, request, response, status in OPERATIONS:
        responses = {status: {"description": "Done.", "content": {"application/json": {"schema": _ref(response)}}}}
        for code, text in ERRORS.items():
            responses[code] = {"description": text, "content": {"application/json": {"schema": _ref("Error")}}}
        paths[PREFIX + path + "/"] = {"post": {
            "operationId": op_id, "summary": summary, "description": description,
            "security": [{"machineToken": []}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref(request)}}},
            "responses": responses,
        }}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "quietdesk self-check API",
            "version": "1.0.0",
            "description": (
                "Circulation for self-check machines and integrations. Every call needs a machine token "
                "(`quietdesk selfcheck add NAME` prints one). Card numbers travel only in request bodies; "
                "answers name items, never people. Bodies are one flat JSON object in UTF-8, at most "
                f"{MAX_BODY_BYTES} bytes, with exactly the fields described; anything else gets a 4xx "
                "answer with an error code and a message."
            ),
        },
        "servers": [{"url": server or "/"}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"machineToken": {"type": "http", "scheme": "bearer",
                                                 "description": "A token from `quietdesk selfcheck add`."}},
        },
    }


def request_schema(operation_id: str) -> dict:
    """The request schema of one operation, which ``json_api.py`` validates bodies against."""
    for _path, op_id, _summary, _description, request, _response, _status in OPERATIONS:
        if op_id == operation_id:
            return SCHEMAS[request]
    raise KeyError(operation_id)
