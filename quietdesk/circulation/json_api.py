"""The JSON API for self-check machines and integrations (described by ``openapi.py``).

Plain Django views. Each machine has its own bearer token (``quietdesk selfcheck
add``); only a SHA-256 digest of it is stored. These views are ``public_view``
only in the sense that they are not behind the staff sign-in page: every call
needs a machine token, and no browser session is accepted (so no CSRF exposure).
Cards travel in POST bodies, never in URLs; answers name items, never people.
Bad input gets a 4xx with ``{"error": {"code", "message"}}``, never a 500: bodies
are read with limits (``read_body``) and checked against the request schemas that
the OpenAPI document publishes (``validate``), before any service sees them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import secrets
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from quietdesk.audit.service import Actor
from quietdesk.patrons.validators import NO_SSN_MESSAGE, validate_card_number
from quietdesk.staff.access import public_view

from . import errors, holds, services
from .models import Hold, Loan, SelfCheckMachine
from .openapi import MAX_AMOUNT_CENTS, MAX_BODY_BYTES, document, request_schema

TOKEN_PREFIX = "qd_sc_"  # noqa: S105 (a prefix, not a secret)


def new_token() -> tuple[str, str]:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, hashlib.sha256(token.encode()).hexdigest()


def _error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def _machine(request) -> SelfCheckMachine | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = hashlib.sha256(token.strip().encode()).hexdigest()
    return SelfCheckMachine.objects.filter(token_digest=digest, revoked_at__isnull=True).first()


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400, code: str = "bad_request"):
        super().__init__(message)
        self.status, self.code = status, code


# --- reading a body -------------------------------------------------------------
# Each step refuses with a 4xx before the next one could fail in a worse way: the
# size before reading, strict UTF-8 before parsing, the nesting depth before the
# recursive JSON parser, numbers, constants and duplicate keys during parsing, then
# the operation's request schema from openapi.py (the one the document publishes).

MAX_DEPTH = 4  # bodies are one flat object; deeper nesting is refused before parsing
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')


class _NotJson(ValueError):
    pass


def _depth(raw: bytes) -> int:
    """How deep brackets nest outside strings (an unterminated string counts as outside)."""
    depth = deepest = 0
    for byte in _JSON_STRING.sub(b"", raw):
        if byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif byte in b"]}":
            depth -= 1
    return deepest


def _constant(name: str):
    raise _NotJson(f"{name} is not a JSON value.")


def _object(pairs: list) -> dict:
    body = dict(pairs)
    if len(body) != len(pairs):
        # Two parsers could read {"item": "A", "item": "B"} differently: refuse it.
        raise _NotJson("a field appears twice in one object.")
    return body


def read_body(request) -> dict:
    """The request's JSON object, or BadRequest with the status and message to answer."""
    if request.content_type != "application/json" or \
            request.content_params.get("charset", "utf-8").lower() not in ("utf-8", "utf8"):
        raise BadRequest("Send a JSON body with Content-Type: application/json (UTF-8).", 415,
                         "unsupported_media_type")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadRequest("The Content-Length header is not a number.") from None
    if length > MAX_BODY_BYTES:  # refused before a byte of it is read
        raise BadRequest(f"The body is larger than {MAX_BODY_BYTES} bytes.", 413, "body_too_large")
    raw = request.body
    if not raw.strip():
        raise BadRequest("The body is empty: send a JSON object.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The body is not valid UTF-8.") from None
    if _depth(raw) > MAX_DEPTH:
        raise BadRequest("The body nests too deeply: send one flat JSON object.")
    try:
        body = json.loads(text, object_pairs_hook=_object, parse_constant=_constant)
    except _NotJson as exc:
        raise BadRequest(f"The body is not valid JSON: {exc}") from None
    except ValueError:  # JSONDecodeError, and any number Python refuses to convert
        raise BadRequest("The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object.")
    return body


# --- validating it against the published request schema -------------------------------

FIELD_RULES = {
    "card": "'card' must be a library card number as scanned: 5 to 20 letters and digits (A-Z, 0-9), "
            "nothing else.",
    "item": "'item' must be an item barcode: 1 to 32 printable ASCII characters, no spaces.",
    "hold": "'hold' must be a hold id as placing the hold returned it (a UUID, 36 characters).",
    "amount_cents": f"'amount_cents' must be a whole number of cents from 1 to {MAX_AMOUNT_CENTS}.",
}


@functools.cache
def _regex(pattern: str) -> re.Pattern:
    # ECMA-262's $ is the very end; Python's also matches before a final newline.
    return re.compile(pattern.replace("$", r"\Z"))


def _valid(value, rule: dict):
    """``value`` as the rule's type, or None when the rule refuses it (the subset of
    JSON Schema that openapi.py's request schemas use)."""
    if rule["type"] == "integer":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if isinstance(value, float):  # JSON Schema: 25.0 is an integer, 25.5 is not
            if not value.is_integer():
                return None
            value = int(value)
        if value < rule.get("minimum", value) or value > rule.get("maximum", value):
            return None
        return value
    if not isinstance(value, str) or not rule.get("minLength", 0) <= len(value) <= rule.get("maxLength", len(value)):
        return None
    if "pattern" in rule and not _regex(rule["pattern"]).search(value):
        return None
    return value


def validate(body: dict, schema: dict) -> dict:
    fields = schema["properties"]
    if set(body) - set(fields):
        raise BadRequest(f"Unknown field: this call takes only {', '.join(fields)}.")
    missing = [name for name in schema["required"] if name not in body]
    if missing:
        raise BadRequest(f"Missing field(s): {', '.join(missing)}.")
    clean = {}
    for name, rule in fields.items():
        if name not in body:
            continue
        value = _valid(body[name], rule)
        if value is None:
            raise BadRequest(FIELD_RULES[name])
        if "not" in rule and _regex(rule["not"]["pattern"]).search(value):
            raise BadRequest(NO_SSN_MESSAGE)
        clean[name] = value
    if "card" in clean:
        try:  # the desk's own rule, which the schema's pattern states
            clean["card"] = validate_card_number(clean["card"])
        except ValidationError as exc:
            raise BadRequest(exc.messages[0]) from None
    return clean


def machine_api(operation_id: str):
    """POST, JSON body valid against the operation's request schema, machine token;
    maps service errors to JSON answers."""

    def decorate(view):
        schema = request_schema(operation_id)

        @wraps(view)
        def wrapped(request):
            if request.method != "POST":
                response = _error("bad_request", "Use POST.", 405)
                response["Allow"] = "POST"
                return response
            machine = _machine(request)
            if machine is None:
                response = _error("unauthorized", "Send a valid machine token: Authorization: Bearer qd_sc_...", 401)
                response["WWW-Authenticate"] = 'Bearer realm="quietdesk"'
                return response
            actor = Actor(name=f"selfcheck:{machine.label}", role="selfcheck")
            try:
                body = validate(read_body(request), schema)
                payload, status = view(request, actor, body)
            except BadRequest as exc:
                return _error(exc.code, str(exc), exc.status)
            except errors.CirculationError as exc:
                return _error(exc.code, str(exc), exc.status)
            return JsonResponse(payload, status=status)

        return public_view(csrf_exempt(wrapped))

    return decorate


@machine_api("checkout")
def checkout(request, actor, body):
    item = services.item_by_barcode(body["item"])
    patron = services.patron_by_card(actor, body["card"], purpose="checkout at a self-check machine")
    loan = services.do_checkout(actor, patron, item)
    return {"item": item.barcode, "title": item.title, "due_on": loan.due_on.isoformat()}, 201


@machine_api("checkin")
def checkin(request, actor, body):
    done = services.do_return(actor, services.item_by_barcode(body["item"]))
    return {"item": done.item.barcode, "fine_cents": done.fine_cents, "hold_shelf_code": done.shelf_code,
            "self_pickup": done.self_pickup if done.shelf_code else None}, 200


@machine_api("renew")
def renew(request, actor, body):
    item = services.item_by_barcode(body["item"])
    patron = services.patron_by_card(actor, body["card"], purpose="renewal at a self-check machine")
    loan = services.do_renew(actor, patron, item)
    return {"item": item.barcode, "due_on": loan.due_on.isoformat(), "renewals": loan.renewals}, 200


@machine_api("placeHold")
def place_hold(request, actor, body):
    item = services.item_by_barcode(body["item"])
    patron = services.patron_by_card(actor, body["card"], purpose="hold placed by an integration", category="holds")
    hold = holds.do_place_hold(actor, patron, item)
    return {"hold": str(hold.pk), "item": item.barcode, "status": hold.status, "shelf_code": hold.shelf_code}, 201


@machine_api("cancelHold")
def cancel_hold(request, actor, body):
    patron = services.patron_by_card(actor, body["card"], purpose="hold cancelled by an integration",
                                     category="holds")
    hold = Hold.objects.filter(pk=body["hold"], patron=patron, status__in=Hold.ACTIVE).first()
    if hold is None:
        raise errors.HoldRefused("This card has no open hold with that id.")
    holds.do_cancel_hold(actor, hold)
    return {"hold": str(hold.pk), "status": "cancelled"}, 200


@machine_api("payFine")
def pay_fine(request, actor, body):
    item = services.item_by_barcode(body["item"])
    patron = services.patron_by_card(actor, body["card"], purpose="fine paid at a self-check machine")
    # The oldest fine on this item first, should the card owe on two of its loans.
    loan = Loan.objects.filter(item=item, patron=patron, fine_cents__gt=0).order_by("returned_on", "id").first()
    if loan is None:
        raise errors.NothingOwed("Nothing is owed on this item on this card.")
    loan = services.do_pay_fine(actor, loan, body["amount_cents"])
    return {"item": item.barcode, "fine_cents": loan.fine_cents}, 200


@public_view
@require_GET
def openapi_document(request):
    return JsonResponse(document(request.build_absolute_uri("/")[:-1]), json_dumps_params={"indent": 2})


