"""Patrons see their own records (policy III.B.1.b), after proving who they are.

* A PIN is set at the desk by staff, with the patron there; only its hash is kept
  (the project's password hashers: Argon2 in production).
* Sign-in takes the card number and PIN (``signin.py``): failures are limited per card
  blind index (whether or not the card exists), per client and in all; found and not
  found do the same work.
* The patron's session is separate from staff sessions: it is refused while a staff
  member is signed in on the browser, carries only the patron's id, and expires quickly.
* Reading is done by the reader with requester ``patron_self``: the engine decides
  each category (camera recordings go to the director) and each record is logged.
"""

from __future__ import annotations

import datetime
import json
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.patrons.models import Patron
from quietdesk.policy import explain
from quietdesk.vault import api as vault

from . import pdf, registry, signin, words
from .models import PatronCredential

SESSION_PATRON = "qd_patron_id"
SESSION_AT = "qd_patron_at"


def do_set_pin(actor: Actor, patron: Patron, pin: str) -> None:
    with transaction.atomic():
        PatronCredential.objects.update_or_create(
            patron=patron, defaults={"pin_hash": make_password(pin), "set_by": actor.name})
        signin.clear(patron)  # a new PIN, set with the patron there, lifts any lock
        append(actor, Event.PIN_CHANGE, subject=vault.log_ref(patron.pk), categories=["registration"],
               basis="self-access PIN set at the desk")


def do_remove_pin(actor: Actor, patron: Patron) -> None:
    with transaction.atomic():
        PatronCredential.objects.filter(patron=patron).delete()
        append(actor, Event.PIN_CHANGE, subject=vault.log_ref(patron.pk), categories=["registration"],
               basis="self-access PIN removed at the desk")


def has_pin(patron: Patron) -> bool:
    return PatronCredential.objects.filter(patron=patron).exists()


# --- sign-in (the checks and their limits are in signin.py) ----------------------


def start_session(request, patron: Patron) -> None:
    request.session.cycle_key()  # never reuse a session id from before sign-in
    request.session[SESSION_PATRON] = str(patron.id)
    request.session[SESSION_AT] = int(time.time())


def end_session(request) -> None:
    request.session.pop(SESSION_PATRON, None)
    request.session.pop(SESSION_AT, None)
    request.session.cycle_key()


def session_patron(request) -> Patron | None:
    """The signed-in patron, if any: never while a staff member is signed in."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        # A staff member signed in over a patron's session: the patron's part is dropped.
        request.session.pop(SESSION_PATRON, None)
        request.session.pop(SESSION_AT, None)
        return None
    patron_id, started = request.session.get(SESSION_PATRON), request.session.get(SESSION_AT)
    if not patron_id or not started:
        return None
    if time.time() - started > settings.QUIETDESK_PATRON_SESSION_MINUTES * 60:
        end_session(request)
        return None
    return Patron.objects.filter(pk=patron_id).select_related("home_branch").first()


# --- the records ------------------------------------------------------------------


def collect(access: registry.Access, patron: Patron, categories=None) -> list[dict]:
    """Each category the engine allows, with its rows; others with the engine's words."""
    out = []
    for category in categories or registry.categories():
        producer = registry.get(category)
        decision = access.decide(category)
        section = {"category": category, "label": words.CATEGORY_SHORT.get(category, category),
                   "columns": list(producer.columns) if producer else [], "rows": [], "note": ""}
        if not decision.allows_disclosure or producer is None:
            section["note"] = decision.say
        elif decision.scope == "overdue_and_fines":
            section["columns"] = ["overdue_items", "amount_owed"]
            section["rows"] = producer.owed(access, patron) if producer.owed else []
            section["note"] = explain.SCOPE_TEXT["overdue_and_fines"].capitalize() + "."
        else:
            section["rows"] = registry.produce(producer, access, patron)
        out.append(section)
    return out


def own_records(patron: Patron, *, purpose: str) -> list[dict]:
    access = registry.Access(actor=Actor.patron(), requester="patron_self", purpose=purpose,
                             event=Event.SELF_ACCESS)
    return collect(access, patron)


def as_json(patron: Patron, sections: list[dict], *, exported_at: datetime.datetime) -> bytes:
    data = {
        "library": settings.LIBRARY_NAME,
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "records": {s["category"]: ({"note": s["note"]} if not s["rows"] and s["note"] else s["rows"])
                    for s in sections},
    }
    return json.dumps(data, indent=2, ensure_ascii=False, default=str).encode("utf-8")


def as_pdf(title: str, sections: list[dict], *, exported_at: datetime.datetime, intro: str = "") -> bytes:
    blocks: list[tuple] = [("h1", title), ("p", f"{settings.LIBRARY_NAME} · {pdf.when(exported_at, '%d %B %Y %H:%M %Z')}")]
    if intro:
        blocks.append(("p", intro))
    for s in sections:
        blocks.append(("h2", s["label"]))
        if s["note"]:
            blocks.append(("p", s["note"]))
        if s["rows"] or not s["note"]:
            blocks.append(("rows", s["columns"], s["rows"]))
    return pdf.render(blocks, title=title, footer=settings.LIBRARY_NAME, created=exported_at)
