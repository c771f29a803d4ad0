"""Holds: placed on an item, shelved under a random shelf code (never a name),
picked up by the patron (self-service unless they opted out), and cut from the
patron when filled or cancelled."""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, count_routine
from quietdesk.patrons.models import Patron
from quietdesk.patrons.services import touch_active

from . import errors, plain_sql
from .models import CirculationPreference, Hold, Item
from .services import do_checkout
from .shelf import ITEM, PREF, close_hold, make_ready


def do_place_hold(actor: Actor, patron: Patron, item: Item, *, today: datetime.date | None = None) -> Hold:
    """A hold on ``item``. An item on the shelf goes to the hold shelf at once."""
    today = today or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        item = Item.objects.select_for_update().get(pk=item.pk)
        if item.status == Item.Status.MISSING:
            raise errors.HoldRefused("This item is marked missing; it cannot be held.")
        if Hold.objects.filter(item=item, patron=patron, status__in=Hold.ACTIVE).exists():
            raise errors.HoldRefused("This patron already has a hold on this item.")
        cursor.execute(f"SELECT self_pickup FROM {PREF} WHERE patron_id = %s", [plain_sql.uid(patron.pk)])  # noqa: S608
        pref = cursor.fetchone()
        hold = Hold.objects.create(item=item, patron=patron, placed_on=today,
                                   self_pickup=bool(pref[0]) if pref else True)
        if item.status == Item.Status.AVAILABLE:
            hold.shelf_code, hold.self_pickup = make_ready(cursor, hold.pk, today)
            hold.status, hold.ready_on = Hold.Status.READY, today
            cursor.execute(f"UPDATE {ITEM} SET status = 'held' WHERE id = %s", [item.pk])  # noqa: S608
        touch_active(patron, today)
        count_routine(actor, Event.PLACE_HOLD)
    return hold


def do_fill_hold(actor: Actor, hold: Hold, *, today: datetime.date | None = None):
    """The patron picks up their hold: a checkout, which fills (and unlinks) the hold."""
    locked = Hold.objects.select_related("item", "patron").filter(pk=hold.pk).first()
    if locked is None or locked.status != Hold.Status.READY or locked.patron is None:
        raise errors.HoldRefused("This hold is not on the hold shelf.")
    return do_checkout(actor, locked.patron, locked.item, today=today)


def do_cancel_hold(actor: Actor, hold: Hold, *, today: datetime.date | None = None) -> str | None:
    """Cancel a hold. Returns the next shelf code if the item now waits for someone else."""
    today = today or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        locked = Hold.objects.select_for_update().filter(pk=hold.pk).first()
        if locked is None or locked.status not in Hold.ACTIVE:
            raise errors.HoldRefused("This hold is already closed.")
        hold = locked
        was_ready = hold.status == Hold.Status.READY
        close_hold(cursor, hold.pk)
        code = None
        if was_ready:
            nxt = Hold.objects.filter(item_id=hold.item_id, status=Hold.Status.WAITING).order_by("placed_on", "id").first()
            if nxt is not None:
                code, _ = make_ready(cursor, nxt.pk, today)
            else:
                cursor.execute(f"UPDATE {ITEM} SET status = 'available' WHERE id = %s AND status = 'held'",  # noqa: S608
                               [hold.item_id])
        count_routine(actor, Event.CANCEL_HOLD)
    return code


def shelf_list(branch=None) -> list[Hold]:
    """The hold shelf, by shelf code: what to pull, never for whom."""
    qs = Hold.objects.filter(status=Hold.Status.READY).select_related("item").order_by("shelf_code")
    if branch is not None:
        qs = qs.filter(item__branch=branch)
    return list(qs)


def do_set_self_pickup(actor: Actor, patron: Patron, self_pickup: bool) -> None:
    with transaction.atomic():
        prefs, _ = CirculationPreference.objects.get_or_create(patron=patron)
        prefs.self_pickup = self_pickup
        prefs.save(update_fields=["self_pickup"])
        Hold.objects.filter(patron=patron, status__in=Hold.ACTIVE).update(self_pickup=self_pickup)
        count_routine(actor, Event.PREFERENCES)


