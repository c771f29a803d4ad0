"""Patron sign-in (card number and PIN), with limits that make guessing pointless.

* Per card (its blind index, truncated, so a few cards share a bucket and a lockout
  says nothing about who is a patron): a short lock after a few failures, and a hold
  after more failures in a day that only the desk lifts (``do_unlock``). Success
  clears both.
* Per client and for everyone together: failed attempts in a window, counted in
  ``SignInLimit``. A client is a keyed hash (HMAC under the project's secret key) of
  its network address (an IPv6 address by its /64): the address itself is never
  stored. An attempt is counted before any work is done and given back on success,
  so concurrent requests cannot overshoot the limit.
* Found and not-found do the same work: the PIN is checked against the credentials in
  the card's bucket (a dummy hash when there are none), and the card number is
  decrypted and the access log written only once a PIN matched.
* Failures are not written to the access log one by one (anyone can cause them): only
  a limit being reached is, once per window, and a card being held.
"""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.patrons.models import Patron
from quietdesk.patrons.services import touch_active
from quietdesk.vault import api as vault
from quietdesk.vault import reader

from .models import PatronCredential, SignInLimit, SignInThrottle

SYSTEM = "patron-sign-in"
EVERYONE = "all"
DAY = datetime.timedelta(hours=24)
_DUMMY_HASH = None


def card_limit() -> int:
    return settings.QUIETDESK_PATRON_PIN_FAILURE_LIMIT


def card_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.QUIETDESK_PATRON_PIN_LOCKOUT_MINUTES)


def day_limit() -> int:
    """Failures for one card in 24 hours before it is held until the desk unlocks it."""
    return settings.QUIETDESK_PATRON_PIN_DAILY_FAILURE_LIMIT


def client_limit() -> tuple[int, datetime.timedelta]:
    return (settings.QUIETDESK_PATRON_SIGNIN_CLIENT_LIMIT,
            datetime.timedelta(minutes=settings.QUIETDESK_PATRON_SIGNIN_CLIENT_MINUTES))


def global_limit() -> tuple[int, datetime.timedelta]:
    return (settings.QUIETDESK_PATRON_SIGNIN_GLOBAL_LIMIT,
            datetime.timedelta(minutes=settings.QUIETDESK_PATRON_SIGNIN_GLOBAL_MINUTES))


@dataclass
class SignIn:
    patron: Patron | None = None
    locked: bool = False
    minutes: int = 0
    held: bool = False  # the card's bucket is held until the desk unlocks it


# --- who is asking ------------------------------------------------------------------


def client_key(request) -> str:
    """A keyed hash of the client's network address (as the staff sign-in's proxy settings
    find it); an IPv6 client by its /64, which one household or one attacker holds whole."""
    from axes.helpers import get_client_ip_address

    raw = (get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "").strip()
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        network = "unknown"
    else:
        if address.version == 6 and address.ipv4_mapped:
            address = address.ipv4_mapped
        network = str(ipaddress.ip_network(f"{address}/64", strict=False)) if address.version == 6 else str(address)
    digest = salted_hmac("quietdesk.legal.signin.client", network, algorithm="sha256").hexdigest()[:32]
    return f"client:{digest}"


# --- counting ---------------------------------------------------------------------


def _minutes(until: datetime.datetime, now: datetime.datetime) -> int:
    return max(1, int((until - now).total_seconds() // 60) + 1)


def _take(key: str, limit: int, window: datetime.timedelta, now, what: str) -> int | None:
    """Count one attempt against ``key``: None if allowed, else the minutes to wait."""
    row, created = SignInLimit.objects.select_for_update().get_or_create(key=key, defaults={"window_start": now})
    if created and key != EVERYONE:
        SignInLimit.objects.filter(window_start__lt=now - 2 * max(window, DAY)).exclude(key=EVERYONE).delete()
    if now - row.window_start >= window:
        row.window_start, row.count, row.logged = now, 0, False
    if row.count >= limit:
        if not row.logged:
            row.logged = True
            append(Actor.system(SYSTEM), Event.SELF_SIGNIN_LIMIT,
                   basis=f"{limit} failed patron sign-ins {what} within {int(window.total_seconds() // 60)} "
                         "minutes: sign-in paused")
        row.save()
        return _minutes(row.window_start + window, now)
    row.count += 1
    row.save()
    return None


def _charge(client: str, now) -> int | None:
    limit, window = client_limit()
    wait = _take(client, limit, window, now, "from one address")
    if wait is not None:
        return wait
    limit, window = global_limit()
    wait = _take(EVERYONE, limit, window, now, "in all")
    if wait is not None:
        _refund(client)
    return wait


def _refund(*keys: str) -> None:
    SignInLimit.objects.filter(key__in=keys, count__gt=0).update(count=F("count") - 1)


def _bidx(card: str) -> int | None:
    return vault.blind_index(Patron._meta.db_table, "card_number", card, "exact")


def _card_lock(bidx: int, now) -> SignIn | None:
    row = SignInThrottle.objects.filter(card_bidx=bidx).first()
    if row is None:
        return None
    if row.held:
        return SignIn(locked=True, held=True)
    if row.locked_until and row.locked_until > now:
        return SignIn(locked=True, minutes=_minutes(row.locked_until, now))
    return None


def _fail(bidx: int, now) -> None:
    with transaction.atomic():
        row, _ = SignInThrottle.objects.select_for_update().get_or_create(card_bidx=bidx)
        if row.last_failure_at and now - row.last_failure_at > card_window():
            row.failures = 0  # an old failure does not count towards a new short lock
        row.failures += 1
        row.last_failure_at = now
        if row.day_started_at is None or now - row.day_started_at > DAY:
            row.day_started_at, row.day_failures = now, 0
        row.day_failures += 1
        if row.day_failures >= day_limit() and not row.held:
            row.held = True
            append(Actor.system(SYSTEM), Event.SELF_SIGNIN_LIMIT,
                   basis=f"{row.day_failures} failed sign-ins for one card number within a day: "
                         "held until the desk unlocks it")
        elif row.failures >= card_limit():
            row.locked_until, row.failures = now + card_window(), 0
        row.save()


def _dummy_check(pin: str) -> None:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = make_password("not-a-pin")
    check_password(pin, _DUMMY_HASH)


# --- signing in ---------------------------------------------------------------------


def sign_in(card: str, pin: str, *, client: str) -> SignIn:
    """Check a card number and PIN. Never says which of the two was wrong."""
    now = timezone.now()
    with transaction.atomic():
        wait = _charge(client, now)
    if wait is not None:
        return SignIn(locked=True, minutes=wait)
    bidx = _bidx(card)
    if bidx is None:
        _dummy_check(pin)
        return SignIn()
    locked = _card_lock(bidx, now)
    if locked is not None:
        return locked
    candidates = list(PatronCredential.objects.filter(patron__card_bidx=bidx).values_list("patron_id", "pin_hash"))
    matched = [patron_id for patron_id, pin_hash in candidates if check_password(pin, pin_hash)]  # every one
    if not candidates:
        _dummy_check(pin)
    if matched:
        found = reader.find(Actor.system(SYSTEM), Patron.objects.filter(pk__in=matched), "card_number", card,
                            purpose="patron self sign-in", log_empty=False, event=Event.SELF_ACCESS)
        if found:
            with transaction.atomic():
                SignInThrottle.objects.filter(card_bidx=bidx).delete()
                _refund(client, EVERYONE)
                touch_active(found[0])  # registration expiry: signing in keeps the account
            return SignIn(patron=found[0])
    _fail(bidx, now)
    return SignIn()


# --- at the desk ----------------------------------------------------------------------


def is_blocked(patron: Patron) -> bool:
    """Whether the patron's card is held or locked (the desk may unlock it)."""
    row = SignInThrottle.objects.filter(card_bidx=patron.card_bidx).first()
    return bool(row and (row.held or (row.locked_until and row.locked_until > timezone.now())))


def clear(patron: Patron) -> int:
    """Lift the locks on the patron's card (inside the caller's transaction)."""
    return SignInThrottle.objects.filter(card_bidx=patron.card_bidx).delete()[0]


def do_unlock(actor: Actor, patron: Patron) -> None:
    with transaction.atomic():
        clear(patron)
        append(actor, Event.PIN_CHANGE, subject=vault.log_ref(patron.pk), categories=["registration"],
               basis="online sign-in unlocked at the desk")
