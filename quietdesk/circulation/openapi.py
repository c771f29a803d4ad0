"""The OpenAPI 3.1 description of the self-check API (served at
/circulation/api/v1/openapi.json; ``tests/circulation/test_api.py`` checks that
it lists exactly the API's URLs and that real answers match its schemas)."""

from __future__ import annotations

PREFIX = "/circulation/api/v1"


def _string(description: str, **extra) -> dict:
    return {"type": "string", "description": description, **extra}


CARD = _string("The patron's library card number (5 to 20 letters and digits).", minLength=5, maxLength=40)
ITEM = _string("The item's barcode.", minLength=1, maxLength=32)
DATE = {"type": "string", "format": "date"}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "enum": [
                    "unauthorized", "bad_request", "unknown_item", "unknown_patron", "already_out", "not_out",
                    "held_for_another", "item_missing", "renew_refused", "hold_refused", "nothing_owed",
                    "bad_amount", "refused"]},
                "message": {"type": "string", "description": "What went wrong, for a person to read."},
            },
        }},
    },
    "CheckoutRequest": {"type": "object", "required": ["card", "item"],
                        "properties": {"card": CARD, "item": ITEM}},
    "CheckoutResponse": {"type": "object", "required": ["item", "title", "due_on"],
                         "properties": {"item": ITEM, "title": {"type": "string"}, "due_on": DATE}},
    "CheckinRequest": {"type": "object", "required": ["item"], "properties": {"item": ITEM}},
    "CheckinResponse": {
        "type": "object", "required": ["item", "fine_cents", "hold_shelf_code", "self_pickup"],
        "properties": {
            "item": ITEM,
            "fine_cents": {"type": "integer", "minimum": 0, "description": "Owed on this loan now."},
            "hold_shelf_code": {"type": ["string", "null"],
                                "description": "Put the item on the hold shelf under this code (never a name)."},
            "self_pickup": {"type": ["boolean", "null"],
                            "description": "false: keep the item behind the desk."},
        },
    },
    "RenewRequest": {"type": "object", "required": ["card", "item"], "properties": {"card": CARD, "item": ITEM}},
    "RenewResponse": {"type": "object", "required": ["item", "due_on", "renewals"],
                      "properties": {"item": ITEM, "due_on": DATE, "renewals": {"type": "integer", "minimum": 1}}},
    "HoldRequest": {"type": "object", "required": ["card", "item"], "properties": {"card": CARD, "item": ITEM}},
    "HoldResponse": {
        "type": "object", "required": ["hold", "item", "status", "shelf_code"],
        "properties": {
            "hold": {"type": "string", "format": "uuid"}, "item": ITEM,
            "status": {"type": "string", "enum": ["waiting", "ready"]},
            "shelf_code": {"type": ["string", "null"]},
        },
    },
    "CancelHoldRequest": {"type": "object", "required": ["card", "hold"],
                          "properties": {"card": CARD, "hold": {"type": "string", "format": "uuid"}}},
    "CancelHoldResponse": {"type": "object", "required": ["hold", "status"],
                           "properties": {"hold": {"type": "string", "format": "uuid"},
                                          "status": {"type": "string", "enum": ["cancelled"]}}},
    "PayFineRequest": {"type": "object", "required": ["card", "item", "amount_cents"],
                       "properties": {"card": CARD, "item": ITEM, "amount_cents": {"type": "integer", "minimum": 1}}},
    "PayFineResponse": {"type": "object", "required": ["item", "fine_cents"],
                        "properties": {"item": ITEM, "fine_cents": {"type": "integer", "minimum": 0}}},
}

ERRORS = {
    "400": "The body is not a JSON object with the fields described.",
    "401": "No valid machine token.",
    "404": "Unknown item or card.",
    "409": "Refused: the message says why (already out, not out, held for another patron...).",
    "415": "The body is not JSON.",
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
                "answers name items, never people."
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
