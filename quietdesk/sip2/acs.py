"""quietdesk as the ACS (the circulation system a self-check machine talks to):
one SIP2 request in, one answer out, through the same circulation service layer
as the desk and the JSON API (``circulation.services``), with the same rules.

What answers carry, and why no more:
* never an address, email, phone or birth date (quietdesk has no birth date);
* the name (AE, required in 64 and 24) only in the library's form: the first
  name, initials, or nothing (QUIETDESK_SIP2_NAME_FORM);
* item lists (AS/AT/AU/AV/CD) only in a 64, and only the kinds the machine
  asked for in the request's summary field: a patron who asked at the machine;
* item identifiers are barcodes; titles only for the item in hand (12, 10, 30, 18).

Every answer echoes only what the machine itself sent (institution, card, item).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from quietdesk.audit.service import Actor
from quietdesk.circulation import errors, services
from quietdesk.circulation.json_api import TOKEN_PREFIX
from quietdesk.circulation.models import Hold, Item, Loan, SelfCheckMachine
from quietdesk.patrons.validators import validate_card_number

from . import filtering, wire
from .wire import Message, encode

SEE_STAFF = "This cannot be done at this machine. Please ask at the desk."
UNKNOWN_PATRON = errors.UnknownPatron.default
# Positions in BX, the supported-messages field of 98 (SIP2 2.00): patron status,
# checkout, checkin, block patron, SC/ACS status, resend, login, patron information,
# end session, fee paid, item information, item status update, patron enable,
# hold, renew, renew all.
SUPPORTED = "YYYNYYYYYNYNNNYN"
CIRCULATION_STATUS: dict[str, str] = {Item.Status.AVAILABLE: "03", Item.Status.OUT: "04", Item.Status.HELD: "08",
                      Item.Status.MISSING: "13"}


@dataclass(frozen=True)
class Machine:
    pk: int
    label: str

    @property
    def actor(self) -> Actor:
        return Actor(name=f"selfcheck:{self.label}", role="selfcheck")  # as the JSON API names it

    def still_allowed(self) -> bool:
        """Revoking a machine ends its sessions (checked every few seconds, not per message)."""
        return SelfCheckMachine.objects.filter(pk=self.pk, revoked_at__isnull=True).exists()


def login(message: Message) -> Machine | None:
    """93: CN is the machine's label, CO its token (``quietdesk selfcheck add``)."""
    label, token = message.get("CN").strip(), message.get("CO").strip()
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    found = SelfCheckMachine.objects.filter(token_digest=digest, revoked_at__isnull=True).first()
    if found is None or not hmac.compare_digest(found.label.encode(), label.encode()):
        return None
    return Machine(found.pk, found.label)


def login_answer(ok: bool) -> bytes:
    return encode("94", "1" if ok else "0", [])


def _today() -> str:
    return wire.date18(timezone.localtime())


def _due(day) -> str:
    return day.strftime("%Y%m%d    235900") if day else ""


def _card(message: Message) -> str:
    try:
        return validate_card_number(message.get("AA").strip())
    except ValidationError:
        raise errors.UnknownPatron() from None


def _name(account: services.Account, form: str) -> str:
    return filtering.display_name(account.first_name, account.family_name, form)


def _name_fields(form: str) -> tuple[str, ...]:
    return {"first": ("given_name",), "initials": ("given_name", "family_name")}.get(form, ())


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _password_fields(message: Message) -> list[tuple[str, str | None]]:
    # quietdesk does not use patron PINs at self-check (nor does the JSON API): when
    # a machine sends one, it is told it was not checked.
    return [("CQ", "N")] if message.get("AD") else []


# --- the messages ------------------------------------------------------------


def status(machine: Machine, message: Message, form: str) -> bytes:
    fixed = "YYYYNN" + "100" + "003" + _today() + "2.00"
    return encode("98", fixed, [("AO", ""), ("AM", settings.LIBRARY_NAME), ("BX", SUPPORTED)])


def _summary_lists(message: Message, account: services.Account) -> list[tuple[str, str | None]]:
    """The item lists the patron asked for at the machine (summary field, BP/BQ)."""
    summary = message.fixed[21:31].ljust(10)
    today = timezone.localdate()
    out = [loan for loan in account.loans if loan.returned_on is None]
    lists: tuple[tuple[str, list[str]], ...] = (
        ("AS", [h.item.barcode for h in account.holds if h.status == Hold.Status.READY]),
        ("AT", [loan.item.barcode for loan in out if loan.due_on and loan.due_on < today]),
        ("AU", [loan.item.barcode for loan in out]),
        ("AV", [loan.item.barcode for loan in account.loans if loan.fine_cents > 0]),
        ("BU", []),  # quietdesk has no recalls
        ("CD", [h.item.barcode for h in account.holds if h.status == Hold.Status.WAITING]),
    )
    try:
        start = max(1, int(message.get("BP") or 1))
        end = int(message.get("BQ") or 0) or 10_000
    except ValueError:
        start, end = 1, 10_000
    fields: list[tuple[str, str | None]] = []
    for position, (fid, barcodes) in enumerate(lists):
        if summary[position] in "Yy":
            fields += [(fid, code) for code in barcodes[start - 1: end]]
    return fields


def _counts(account: services.Account) -> str:
    today = timezone.localdate()
    out = [loan for loan in account.loans if loan.returned_on is None]
    counts = (
        sum(1 for h in account.holds if h.status == Hold.Status.READY),
        sum(1 for loan in out if loan.due_on and loan.due_on < today),
        len(out),
        sum(1 for loan in account.loans if loan.fine_cents > 0),
        0,
        sum(1 for h in account.holds if h.status == Hold.Status.WAITING),
    )
    return "".join(f"{min(n, 9999):04d}" for n in counts)


def _unknown_patron(code: str, message: Message, fixed_tail: str) -> bytes:
    fields = [("AO", message.get("AO")), ("AA", message.get("AA")), ("AE", ""), ("BL", "N"), ("AF", UNKNOWN_PATRON)]
    return encode(code, " " * 14 + "000" + _today() + fixed_tail, fields)


def patron_information(machine: Machine, message: Message, form: str) -> bytes:
    actor = machine.actor
    try:
        patron = services.patron_by_card(actor, _card(message), purpose="patron information at a self-check machine")
    except errors.UnknownPatron:
        return _unknown_patron("64", message, "0000" * 6)
    account = services.account_for(actor, patron, purpose="patron information at a self-check machine",
                                   name_fields=_name_fields(form))
    fields = [("AO", message.get("AO")), ("AA", message.get("AA")), ("AE", _name(account, form)), ("BL", "Y"),
              *_password_fields(message)]
    if account.fines_cents:
        fields += [("BH", "USD"), ("BV", _money(account.fines_cents))]
    fields += _summary_lists(message, account)
    return encode("64", " " * 14 + "000" + _today() + _counts(account), fields)


def patron_status(machine: Machine, message: Message, form: str) -> bytes:
    actor = machine.actor
    try:
        patron = services.patron_by_card(actor, _card(message), purpose="patron status at a self-check machine")
    except errors.UnknownPatron:
        return _unknown_patron("24", message, "")
    account = services.account_for(actor, patron, purpose="patron status at a self-check machine",
                                   name_fields=_name_fields(form))
    fields = [("AO", message.get("AO")), ("AA", message.get("AA")), ("AE", _name(account, form)), ("BL", "Y"),
              *_password_fields(message)]
    if account.fines_cents:
        fields += [("BH", "USD"), ("BV", _money(account.fines_cents))]
    return encode("24", " " * 14 + "000" + _today(), fields)


def checkout(machine: Machine, message: Message, form: str) -> bytes:
    item = services.item_by_barcode(message.get("AB"))
    patron = services.patron_by_card(machine.actor, _card(message), purpose="checkout at a self-check machine")
    loan = services.do_checkout(machine.actor, patron, item)
    fields = [("AO", message.get("AO")), ("AA", message.get("AA")), ("AB", item.barcode), ("AJ", item.title),
              ("AH", _due(loan.due_on))]
    return encode("12", "1NUY" + _today(), fields)


def checkin(machine: Machine, message: Message, form: str) -> bytes:
    done = services.do_return(machine.actor, services.item_by_barcode(message.get("AB")))
    branch = done.item.branch.code if done.item.branch else ""
    fields = [("AO", message.get("AO")), ("AB", done.item.barcode), ("AQ", branch), ("AJ", done.item.title)]
    alert = "N"
    if done.shelf_code:  # the item goes to the hold shelf, under a code that names no one
        alert = "Y"
        fields += [("CV", "01"), ("AF", f"Hold shelf: {done.shelf_code}")]
    return encode("10", "1YU" + alert + _today(), fields)


def renew(machine: Machine, message: Message, form: str) -> bytes:
    item = services.item_by_barcode(message.get("AB"))
    patron = services.patron_by_card(machine.actor, _card(message), purpose="renewal at a self-check machine")
    loan = services.do_renew(machine.actor, patron, item)
    fields = [("AO", message.get("AO")), ("AA", message.get("AA")), ("AB", item.barcode), ("AJ", item.title),
              ("AH", _due(loan.due_on))]
    return encode("30", "1YUY" + _today(), fields)


def item_information(machine: Machine, message: Message, form: str) -> bytes:
    item = services.item_by_barcode(message.get("AB"))
    due = Loan.objects.filter(item=item, returned_on__isnull=True).values_list("due_on", flat=True).first()
    fields = [("AB", item.barcode), ("AJ", item.title), ("AH", _due(due) if due else None)]
    if item.branch:
        fields.append(("AQ", item.branch.code))
    return encode("18", CIRCULATION_STATUS.get(item.status, "01") + "00" + "01" + _today(), fields)


def end_session(machine: Machine, message: Message, form: str) -> bytes:
    # Nothing to forget: the server keeps nothing about a patron between messages.
    return encode("36", "Y" + _today(), [("AO", message.get("AO")), ("AA", message.get("AA"))])


HANDLERS = {"99": status, "63": patron_information, "23": patron_status, "11": checkout, "09": checkin,
            "29": renew, "17": item_information, "35": end_session}


def answer(machine: Machine, message: Message, form: str) -> bytes:
    """The answer's body (no trailer). Circulation's refusals become the protocol's
    negative answer with the service's message (messages never name a patron)."""
    handler = HANDLERS.get(message.code)
    if handler is None:
        return wire.refusal(message, _today(), SEE_STAFF)
    try:
        return handler(machine, message, form)
    except errors.CirculationError as exc:
        return wire.refusal(message, _today(), str(exc))
    except PermissionDenied:  # the policy engine refused a read (AccessDenied)
        return wire.refusal(message, _today(), SEE_STAFF)
