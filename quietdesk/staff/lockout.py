"""Staff sign-in lockout that keeps only what lockout needs (``AXES_HANDLER``).

django-axes's own database handler stores the typed username, the client's IP address,
its user agent and the request's GET and POST data for every failed sign-in, in tables
that go into every backup. A patron's card number typed into the username field would be
kept in clear. This handler keeps one row per (username, network) pair under a keyed hash
(HMAC-SHA256 under a key derived from the project's secret key, which is never in the
database or its backups), with a count and the minute of the last failure:

* the username is case-folded, so "Desk" and "desk" share a count;
* an IPv6 client counts by its /64, which one household or one attacker holds whole;
* a row is deleted once its cool-off has passed (checked at every sign-in), and at a
  successful sign-in;
* reaching the limit is written to the access log once per lockout, naming the account
  only when the typed username is one (a typed card number is never written anywhere).

Lockout is by username and network together (``AXES_LOCKOUT_PARAMETERS``), as before.
"""

from __future__ import annotations

import datetime
import ipaddress

from axes.handlers.base import AbstractAxesHandler, AxesBaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.signals import user_locked_out
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append

from .models import SignInFailure, StaffUser

SYSTEM = "staff-sign-in"


def network(address: str | None) -> str:
    """The client's address as lockout counts it: an IPv4 address, or an IPv6 /64."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)


def lockout_key(username: str | None, address: str | None) -> str:
    typed = (username or "").strip().casefold()
    return salted_hmac("quietdesk.staff.lockout", f"{typed}\x00{network(address)}", algorithm="sha256").hexdigest()


def _cool_off() -> datetime.timedelta:
    return get_cool_off() or datetime.timedelta(minutes=15)


def _minute(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(second=0, microsecond=0)


def _forget_cooled_off(now: datetime.datetime) -> None:
    # A row's last failure is kept to the minute: allow that minute on top of the cool-off.
    SignInFailure.objects.filter(last_failure__lt=now - _cool_off() - datetime.timedelta(minutes=1)).delete()


def _live_row(key: str, now: datetime.datetime) -> SignInFailure | None:
    row = SignInFailure.objects.filter(key=key).first()
    if row is None or row.last_failure + _cool_off() + datetime.timedelta(minutes=1) <= now:
        return None
    return row


class HashedLockoutHandler(AbstractAxesHandler, AxesBaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        now = timezone.now()
        _forget_cooled_off(now)
        row = _live_row(lockout_key(get_client_username(request, credentials), request.axes_ip_address), now)
        return row.failures if row else 0

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None:
            return
        username = get_client_username(request, credentials)
        if request.axes_locked_out:
            # Already locked out: do not count (that would extend the lockout), just say so.
            request.axes_credentials = credentials
            user_locked_out.send("axes", request=request, username=None, ip_address=None)
            return
        if self.is_whitelisted(request, credentials):
            return
        now = timezone.now()
        limit = get_failure_limit(request, credentials)
        key = lockout_key(username, request.axes_ip_address)
        with transaction.atomic():
            _forget_cooled_off(now)
            row, _ = SignInFailure.objects.select_for_update().get_or_create(
                key=key, defaults={"last_failure": _minute(now)}
            )
            row.failures += 1
            row.last_failure = _minute(now)
            locked = row.failures >= limit
            if locked and not row.logged:
                row.logged = True
                account = StaffUser.objects.filter(username=(username or "").strip()).first()
                who = f"account {account.username}" if account else "a username that is no account"
                append(Actor.system(SYSTEM), Event.STAFF_SIGN_IN_LIMIT,
                       basis=f"{limit} failed sign-ins for {who} from one address: paused "
                             f"{int(_cool_off().total_seconds() // 60)} minutes")
            row.save()
        request.axes_failures_since_start = row.failures
        if locked:
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send("axes", request=request, username=None, ip_address=None)

    def user_logged_in(self, sender, request, user, **kwargs):
        SignInFailure.objects.filter(key=lockout_key(user.get_username(), request.axes_ip_address)).delete()

    def user_logged_out(self, sender, request, user, **kwargs):
        pass

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False) -> int:
        """``axes_reset``: both given, that one pair's count; otherwise every count (the keys
        cannot be searched by one part, by design)."""
        rows = SignInFailure.objects.all()
        if ip_address is not None and username is not None and not ip_or_username:
            rows = rows.filter(key=lockout_key(username, ip_address))
        count, _ = rows.delete()
        return count
