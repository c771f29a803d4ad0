"""The JSON API for self-check machines and integrations (described by ``openapi.py``).

Plain Django views. Each machine has its own bearer token (``quietdesk selfcheck
add``); only a SHA-256 digest of it is stored. These views are ``public_view``
only in the sense that they are not behind the staff sign-in page: every call
needs a machine token, and no browser session is accepted (so no CSRF exposure).
Cards travel in POST bodies, never in URLs; answers name items, never people.
Bad input gets a 4xx with ``{"error": {"code", "message"}}``, never a 500.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from quietdesk.audit.service import Actor
from quietdesk.patrons.validators import validate_card_number
from quietdesk.staff.access import public_view

from . import errors, holds, services
from .models import Hold, Loan, SelfCheckMachine

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
    pass


def _text(body: dict, key: str, limit: int = 40) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise BadRequest(f"{key!r} must be a non-empty string of at most {limit} characters.")
    return value.strip()


def _card(body: dict) -> str:
    try:
        return validate_card_number(_text(body, "card"))
    except ValidationError as exc:
        raise BadRequest(exc.messages[0]) from None


def machine_api(view):
    """POST, JSON body, machine token; maps service errors to JSON answers."""

    @wraps(view)
    def wrapped(request):
        machine = _machine(request)
        if machine is None:
            response = _error("unauthorized", "Send a valid machine token: Authorization: Bearer qd_sc_...", 401)
            response["WWW-Authenticate"] = 'Bearer realm="quietdesk"'
            return response
        if request.content_type != "application/json":
            return _error("bad_request", "Send a JSON body with Content-Type: application/json.", 415)
        try:
            body = json.loads(request.body.decode("utf-8") or "null")
        except (UnicodeDecodeError, json.JSONDecodeError):
            return _error("bad_request", "The body is not valid JSON (UTF-8).", 400)
        if not isinstance(body, dict):
            return _error("bad_request", "The body must be a JSON object.", 400)
        actor = Actor(name=f"selfcheck:{machine.label}", role="selfcheck")
        try:
            payload, status = view(request, actor, body)
        except BadRequest as exc:
            return _error("bad_request", str(exc), 400)
        except errors.CirculationError as exc:
            return _error(exc.code, str(exc), exc.status)
        return JsonResponse(payload, status=status)

    return public_view(csrf_exempt(require_POST(wrapped)))


@machine_api
def checkout(request, actor, body):
    item = services.item_by_barcode(_text(body, "item"))
    patron = services.patron_by_card(actor, _card(body), purpose="checkout at a self-check machine")
    loan = services.do_checkout(actor, patron, item)
    return {"item": item.barcode, "title": item.title, "due_on": loan.due_on.isoformat()}, 201


@machine_api
def checkin(request, actor, body):
    done = services.do_return(actor, services.item_by_barcode(_text(body, "item")))
    return {"item": done.item.barcode, "fine_cents": done.fine_cents, "hold_shelf_code": done.shelf_code,
            "self_pickup": done.self_pickup if done.shelf_code else None}, 200


@machine_api
def renew(request, actor, body):
    item = services.item_by_barcode(_text(body, "item"))
    patron = services.patron_by_card(actor, _card(body), purpose="renewal at a self-check machine")
    loan = services.do_renew(actor, patron, item)
    return {"item": item.barcode, "due_on": loan.due_on.isoformat(), "renewals": loan.renewals}, 200


@machine_api
def place_hold(request, actor, body):
    item = services.item_by_barcode(_text(body, "item"))
    patron = services.patron_by_card(actor, _card(body), purpose="hold placed by an integration", category="holds")
    hold = holds.do_place_hold(actor, patron, item)
    return {"hold": str(hold.pk), "item": item.barcode, "status": hold.status, "shelf_code": hold.shelf_code}, 201


@machine_api
def cancel_hold(request, actor, body):
    patron = services.patron_by_card(actor, _card(body), purpose="hold cancelled by an integration", category="holds")
    hold_id = _text(body, "hold", 36)
    try:
        hold = Hold.objects.get(pk=hold_id, patron=patron, status__in=Hold.ACTIVE)
    except (Hold.DoesNotExist, ValidationError):
        raise errors.HoldRefused("This card has no open hold with that id.") from None
    holds.do_cancel_hold(actor, hold)
    return {"hold": str(hold.pk), "status": "cancelled"}, 200


@machine_api
def pay_fine(request, actor, body):
    amount = body.get("amount_cents")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise BadRequest("'amount_cents' must be a positive whole number of cents.")
    item = services.item_by_barcode(_text(body, "item"))
    patron = services.patron_by_card(actor, _card(body), purpose="fine paid at a self-check machine")
    loan = Loan.objects.filter(item=item, patron=patron, fine_cents__gt=0).order_by("-id").first()
    if loan is None:
        raise errors.NothingOwed("Nothing is owed on this item on this card.")
    loan = services.do_pay_fine(actor, loan, amount)
    return {"item": item.barcode, "fine_cents": loan.fine_cents}, 200


@public_view
@require_GET
def openapi_document(request):
    from .openapi import document

    return JsonResponse(document(request.build_absolute_uri("/")[:-1]), json_dumps_params={"indent": 2})


