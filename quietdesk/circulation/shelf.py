"""The hold shelf's low-level steps, shared by checkout and return (``services``) and by
placing and cancelling holds (``holds``): plain SQL over constant table names, inside the
caller's transaction. Kept apart so neither module needs the other's."""

from __future__ import annotations

import datetime
import secrets

from . import errors, plain_sql
from .models import CirculationPreference, Hold, Item, Loan, ReadingHistoryEntry

ITEM = Item._meta.db_table
LOAN = Loan._meta.db_table
HOLD = Hold._meta.db_table
PREF = CirculationPreference._meta.db_table
HISTORY = ReadingHistoryEntry._meta.db_table

_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # read aloud safely: no 0/O, 1/I


def new_shelf_code() -> str:
    """Random, so the shelf says nothing about who the item waits for."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(4))


def make_ready(cursor, hold_id, today: datetime.date) -> tuple[str, bool]:
    """Put a waiting hold on the shelf under a fresh code; returns (code, self pickup)."""
    for _ in range(20):
        code = new_shelf_code()
        cursor.execute(f"SELECT 1 FROM {HOLD} WHERE status = 'ready' AND shelf_code = %s", [code])  # noqa: S608
        if cursor.fetchone() is None:
            break
    cursor.execute(
        f"UPDATE {HOLD} SET status = 'ready', shelf_code = %s, ready_on = %s WHERE id = %s",  # noqa: S608
        [code, plain_sql.day(today), plain_sql.uid(hold_id)],
    )
    cursor.execute(f"SELECT self_pickup FROM {HOLD} WHERE id = %s", [plain_sql.uid(hold_id)])  # noqa: S608
    return code, bool(cursor.fetchone()[0])


def close_hold(cursor, hold_id) -> None:
    """Filled or cancelled: the hold is deleted at once, so no anonymous row is left whose
    place among the patron's other holds could say whose it was."""
    cursor.execute(f"DELETE FROM {HOLD} WHERE id = %s", [plain_sql.uid(hold_id)])  # noqa: S608


def fill_ready_hold(cursor, item_id: int, patron_id, today: datetime.date) -> None:
    """Checkout of a held item: allowed only to the patron it waits for, and fills the hold."""
    cursor.execute(
        f"SELECT id FROM {HOLD} WHERE item_id = %s AND status = 'ready' AND patron_id = %s",  # noqa: S608
        [item_id, plain_sql.uid(patron_id)],
    )
    row = cursor.fetchone()
    if row is None:
        raise errors.HeldForAnother()
    close_hold(cursor, row[0])


