"""Circulation writes: checkout, return, renew, pay a fine. Used by the desk pages,
the JSON API and the SIP2 server alike.

These are routine steps, not views of a record: each ``do_*`` adds one to the day's
count for the member of staff or the machine (``audit.service.count_routine``), in
the same transaction as the change, and names no patron and no item anywhere. A log
entry per checkout, even under a sealed reference, would be a history of the
patron's visits for anyone holding the keys (docs/architecture.md, "The access log").
A loan is deleted when it is returned and nothing is owed: there is no anonymous
row left whose place among the others could say whose it was.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from quietdesk import sql
from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, count_routine
from quietdesk.patrons.models import Patron
from quietdesk.patrons.services import touch_active
from quietdesk.retention import legal_holds
from quietdesk.vault import api as vault
from quietdesk.vault import reader

from . import errors, plain_sql, shelf
from .models import CirculationPreference, Hold, Item, Loan, ReadingHistoryEntry
from .shelf import HISTORY, HOLD, ITEM, LOAN, PREF

LOAN_DAYS = settings.QUIETDESK_LOAN_DAYS
MAX_RENEWALS = settings.QUIETDESK_MAX_RENEWALS
FINE_CENTS_PER_DAY = settings.QUIETDESK_FINE_CENTS_PER_DAY
FINE_CAP_CENTS = settings.QUIETDESK_FINE_CAP_CENTS

PATRON = Patron._meta.db_table
HISTORY_MODEL = ReadingHistoryEntry._meta.label_lower




# --- lookups ------------------------------------------------------------


def item_by_barcode(barcode: str) -> Item:
    # Plain SQL: every return and every checkout at a machine starts here (quietdesk.sql says why).
    rows = sql.fetchall(f"SELECT {sql.columns_of(Item)} FROM {ITEM} t WHERE t.barcode = %s",  # noqa: S608
                        ((barcode or "").strip().upper(),))
    if not rows:
        raise errors.UnknownItem()
    return sql.instances(Item, rows)[0]


def patron_by_card(actor: Actor, card_number: str, *, purpose: str, category: str = "circulation") -> Patron:
    """The patron holding this card (blind-index lookup through the reader; a routine step, counted)."""
    matches = reader.find(actor, Patron.objects.all(), "card_number", card_number or "", purpose=purpose,
                          category=category, event=Event.CARD_LOOKUP)
    if len(matches) != 1:
        raise errors.UnknownPatron()
    return matches[0]


def fine_for(due_on: datetime.date | None, returned_on: datetime.date) -> int:
    if due_on is None or returned_on <= due_on:
        return 0
    return min((returned_on - due_on).days * FINE_CENTS_PER_DAY, FINE_CAP_CENTS)


# --- checkout -----------------------------------------------------------

_CHECK_OUT_IF_AVAILABLE = f"UPDATE {ITEM} SET status = 'out' WHERE id = %s AND status = 'available'"  # noqa: S608
_INSERT_LOAN = (f"INSERT INTO {LOAN} (id, item_id, patron_id, out_on, due_on, returned_on, renewals, fine_cents) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s, NULL, 0, 0)")


def do_checkout(actor: Actor, patron: Patron, item: Item, *, today: datetime.date | None = None) -> Loan:
    """Lend ``item`` to ``patron``. Fills the patron's hold if the item waits for them."""
    today = today or timezone.localdate()
    due = today + datetime.timedelta(days=LOAN_DAYS)
    # quietdesk.sql for the statements every checkout runs (its docstring says why);
    # a Django cursor only on the rare path through the hold shelf.
    with transaction.atomic():
        if sql.execute(_CHECK_OUT_IF_AVAILABLE, (item.pk,)) != 1:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT status FROM {ITEM} WHERE id = %s{plain_sql.lock()}", [item.pk])  # noqa: S608
                row = cursor.fetchone()
                if row is None:
                    raise errors.UnknownItem()
                if row[0] == Item.Status.OUT:
                    raise errors.AlreadyOut()
                if row[0] == Item.Status.MISSING:
                    raise errors.ItemMissing()
                shelf.fill_ready_hold(cursor, item.pk, patron.pk, today)  # raises HeldForAnother
                cursor.execute(f"UPDATE {ITEM} SET status = 'out' WHERE id = %s", [item.pk])  # noqa: S608
        loan_id = uuid.uuid4()  # random: a loan's id says nothing about when it was made
        sql.execute(_INSERT_LOAN, (plain_sql.uid(loan_id), item.pk, plain_sql.uid(patron.pk), plain_sql.day(today),
                                   plain_sql.day(due)))
        touch_active(patron, today)  # registration expiry: the month only, one UPDATE a month at most
        count_routine(actor, Event.CHECKOUT)
    item.status = Item.Status.OUT
    return Loan(id=loan_id, item=item, patron=patron, out_on=today, due_on=due)


# --- return -------------------------------------------------------------

# The open loan of an item, with everything a return decides on, in one statement.
_OPEN_LOAN = (
    f"SELECT l.id, l.patron_id, l.out_on, l.due_on, p.keep_reading_history, i.title, pt.active_month, "  # noqa: S608
    f"(SELECT h.id FROM {HOLD} h WHERE h.item_id = l.item_id AND h.status = 'waiting' "
    "ORDER BY h.placed_on, h.id LIMIT 1), "
    f"(SELECT COUNT(*) FROM {legal_holds.TABLE} WHERE released_at IS NULL) "
    f"FROM {LOAN} l JOIN {ITEM} i ON i.id = l.item_id LEFT JOIN {PREF} p ON p.patron_id = l.patron_id "
    f"LEFT JOIN {PATRON} pt ON pt.id = l.patron_id "
    "WHERE l.item_id = %s AND l.returned_on IS NULL"
)
_KEEP_RETURNED_LOAN = f"UPDATE {LOAN} SET returned_on = %s, fine_cents = %s WHERE id = %s"  # noqa: S608
_DELETE_LOAN = f"DELETE FROM {LOAN} WHERE id = %s"  # noqa: S608
_SHELVE = f"UPDATE {ITEM} SET status = %s, loan_count = loan_count + 1 WHERE id = %s"  # noqa: S608


@dataclass(frozen=True)
class Returned:
    item: Item
    fine_cents: int  # owed on this loan now (0: the link to the borrower is gone)
    shelf_code: str | None  # put the item on the hold shelf under this code
    self_pickup: bool
    kept_for_legal_hold: bool


def do_return(actor: Actor, item: Item, *, today: datetime.date | None = None) -> Returned:
    """Check ``item`` in. In the same transaction: the loan is deleted (unless a fine
    is owed or a legal hold preserves it, when it stays with its borrower), the item's count goes
    up, the title goes to the borrower's reading history if they asked for one,
    and the next hold waiting for the item becomes ready on the hold shelf."""
    today = today or timezone.localdate()
    with transaction.atomic():
        row = sql.fetchone(_OPEN_LOAN + (plain_sql.lock() and " FOR UPDATE OF l"), (item.pk,))
        if row is None:
            if not Item.objects.filter(pk=item.pk).exists():
                raise errors.UnknownItem()
            raise errors.NotOut()
        loan_id, patron_id, out_on, due_on, keep_history, title, active_month, next_hold, holds_in_force = row
        out_on, due_on = plain_sql.to_date(out_on), plain_sql.to_date(due_on)
        fine = fine_for(due_on, today)
        preserve = patron_id is not None and holds_in_force > 0 and legal_holds.covers(
            "circulation", patron_id=plain_sql.to_uuid(patron_id), start=out_on or today, end=today)
        if fine or preserve:
            sql.execute(_KEEP_RETURNED_LOAN, (plain_sql.day(today), fine, loan_id))
        else:
            sql.execute(_DELETE_LOAN, (loan_id,))
        if patron_id is not None:
            touch_active(patron_id, today, active_month=active_month)
        shelf_code, self_pickup = None, True
        if (keep_history and patron_id is not None) or next_hold is not None:
            with connection.cursor() as cursor:
                if keep_history and patron_id is not None:
                    _add_to_history(cursor, plain_sql.to_uuid(patron_id), title, today)
                if next_hold is not None:
                    shelf_code, self_pickup = shelf.make_ready(cursor, next_hold, today)
        status = Item.Status.HELD if shelf_code else Item.Status.AVAILABLE
        sql.execute(_SHELVE, (status, item.pk))
        count_routine(actor, Event.RETURN)
    item.status = status
    return Returned(item, fine if (fine or preserve) else 0, shelf_code, self_pickup, preserve and not fine)


def _add_to_history(cursor, patron_id, title: str, today: datetime.date) -> None:
    row_id = uuid.uuid4()
    sealed = vault.sealer_for(patron_id).seal(HISTORY_MODEL, "title", row_id, title)
    cursor.execute(
        f"INSERT INTO {HISTORY} (id, patron_id, title_ct, returned_on, erased_on) VALUES (%s, %s, %s, %s, NULL)",  # noqa: S608
        [plain_sql.uid(row_id), plain_sql.uid(patron_id), sealed, plain_sql.day(today)],
    )


# --- renew and fines ----------------------------------------------------


def do_renew(actor: Actor, patron: Patron, item: Item, *, today: datetime.date | None = None) -> Loan:
    today = today or timezone.localdate()
    with transaction.atomic():
        loan = Loan.objects.select_for_update().filter(item=item, returned_on__isnull=True).first()
        if loan is None:
            raise errors.NotOut()
        if loan.patron_id != patron.pk:
            raise errors.RenewRefused("This item is checked out on another card.")
        if loan.renewals >= MAX_RENEWALS:
            raise errors.RenewRefused(f"This item was already renewed {loan.renewals} times, the most allowed.")
        if Hold.objects.filter(item=item, status=Hold.Status.WAITING).exists():
            raise errors.RenewRefused("Another patron is waiting for this item, so it cannot be renewed.")
        loan.due_on = max(loan.due_on or today, today) + datetime.timedelta(days=LOAN_DAYS)
        loan.renewals += 1
        loan.save(update_fields=["due_on", "renewals"])
        touch_active(patron, today)
        count_routine(actor, Event.RENEW)
    return loan


def do_pay_fine(actor: Actor, loan: Loan, amount_cents: int, *, today: datetime.date | None = None) -> Loan:
    """Take a payment. When nothing is owed any more on a returned loan, the loan is deleted.
    Returns the loan as it was left (unsaved, without its borrower, once deleted)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Loan.objects.select_for_update().filter(pk=loan.pk).first()
        if locked is None or locked.fine_cents <= 0 or locked.patron_id is None:
            raise errors.NothingOwed()
        loan = locked
        if not isinstance(amount_cents, int) or isinstance(amount_cents, bool) or not 0 < amount_cents <= loan.fine_cents:
            raise errors.BadAmount(f"Enter an amount in cents between 1 and {loan.fine_cents}.")
        patron_id = loan.patron_id
        loan.fine_cents -= amount_cents
        if loan.fine_cents == 0 and loan.returned_on is not None and not legal_holds.covers(
            "circulation", patron_id=patron_id, start=loan.out_on or loan.returned_on, end=loan.returned_on
        ):
            loan.delete()
            loan.patron, loan.out_on, loan.due_on = None, None, None
        else:
            loan.save()
        touch_active(patron_id, today)
        count_routine(actor, Event.PAY_FINE)
    return loan


# --- what a patron has (desk page; the reader logs the look) ------------------


@dataclass(frozen=True)
class Account:
    first_name: str
    loans: list
    holds: list
    fines_cents: int
    preferences: CirculationPreference
    family_name: str = ""  # only when asked for (``name_fields``)


def account_for(actor: Actor, patron: Patron, *, purpose: str,
                name_fields: tuple[str, ...] = ("given_name",)) -> Account:
    """Loans, fines and holds of one patron, for the desk or a machine: part of lending,
    counted, not logged per patron.

    ``name_fields``: which of given_name, family_name to decrypt (a self-check
    machine configured to show no name asks for none)."""
    values = reader.read(actor, patron, name_fields, category="circulation", purpose=purpose,
                         event=Event.DESK_ACCOUNT)
    who = plain_sql.uid(patron.pk)
    loans = _with_items(Loan, "t.patron_id = %s ORDER BY t.due_on, t.id", (who,))
    held = _with_items(Hold, "t.patron_id = %s AND t.status IN (%s, %s) ORDER BY t.placed_on", (who, *(status.value for status in Hold.ACTIVE)))
    found = sql.instances(CirculationPreference,
                          sql.fetchall(f"SELECT {sql.columns_of(CirculationPreference)} FROM {PREF} t "  # noqa: S608
                                       "WHERE t.patron_id = %s", (who,)))
    prefs = found[0] if found else CirculationPreference(patron=patron)
    return Account(values.get("given_name", ""), loans, held, sum(loan.fine_cents for loan in loans), prefs,
                   values.get("family_name", ""))


def _with_items(model, where: str, params) -> list:
    """Loans or holds with their items, as ``select_related("item")`` gives them, in one plain
    statement: every patron-information request at a machine reads both (the ORM compiled each
    query afresh, 0.7 ms apiece, more than the rest of the answer). ``where`` is constant text."""
    rows = sql.fetchall(f"SELECT {sql.columns_of(model)}, {sql.columns_of(Item, 'i')} "  # noqa: S608
                        f"FROM {model._meta.db_table} t JOIN {ITEM} i ON i.id = t.item_id WHERE {where}", params)
    found = sql.instances(model, rows)
    link = model._meta.get_field("item")
    for each, its_item in zip(found, sql.instances(Item, rows, start=sql.width(model)), strict=True):
        link.set_cached_value(each, its_item)
    return found


def settle_before_shred(patron: Patron) -> str | None:
    """What the desk must settle before a patron's record is destroyed (``patrons.services``).
    Waiting holds and open interlibrary loans go with the record (deleted with it)."""
    out = Loan.objects.filter(patron=patron, returned_on__isnull=True).count()
    owed = Loan.objects.filter(patron=patron, fine_cents__gt=0).count()
    shelved = Hold.objects.filter(patron=patron, status=Hold.Status.READY).count()
    needs = []
    if out:
        needs.append(f"check in the {out} item(s) still out (or mark them missing)")
    if owed:
        needs.append("settle or waive what is owed")
    if shelved:
        needs.append(f"cancel the {shelved} hold(s) waiting on the hold shelf")
    return ("First " + "; ".join(needs) + ".") if needs else None
