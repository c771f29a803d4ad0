"""Registration expiry in the purge (``retention.purge_rules``): an account unused for the
schedule's period gets its notice, then is destroyed (``patrons.expiry``, where the rule is
explained). Registered in ``PatronsConfig.ready``."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext

from quietdesk.retention import inventory, period_words, purge_rules
from quietdesk.retention.schedule import Schedule, period
from quietdesk.retention.steps import ACTOR, PATRON_PAGE, as_uuid, due_ids

from . import expiry, services
from .models import Patron

_PATRON = Patron._meta.db_table
NOTICE_KEY = "registration.notices"


def _in_use() -> str:
    """An account still in use is never due: whatever the apps that hold rows about a patron
    say must be settled first (an item out or a fine owed, a hold on the shelf), in SQL. The
    step checks each account again with the desk's own rule (``services.shred_blockers``)."""
    return "".join(f" AND NOT {sql.format(patron=_PATRON)}" for sql in services.IN_USE_SQL)


def _unused(ctx: purge_rules.Ctx, *, ahead: int = 0) -> tuple[str, list]:
    """Accounts unused for the whole period by today (or by ``ahead`` days from now)."""
    day = ctx.today + datetime.timedelta(days=ahead)
    return "active_month < %s", [ctx.day(expiry.cutoff(day, ctx.schedule.expire_after_months))]


def _notice_due(ctx: purge_rules.Ctx) -> tuple[str, list]:
    unused, params = _unused(ctx, ahead=ctx.schedule.notice_days)
    return f"email_ct IS NOT NULL AND expiry_notice_on IS NULL AND {unused}{_in_use()}", params


def _expiry_due(ctx: purge_rules.Ctx) -> tuple[str, list]:
    unused, params = _unused(ctx)
    told = ctx.today - datetime.timedelta(days=ctx.schedule.notice_days)
    return (f"{unused} AND (email_ct IS NULL OR expiry_notice_on <= %s){_in_use()}",
            [*params, ctx.day(told)])


def registration_notices(purger, rule, cond: str, params: list) -> None:
    """Email the accounts that will expire within the notice period, once each. The read of
    each address is logged as it happens; the day each notice went is recorded after the
    server took it (a crash in between sends it again: never an account closed unwarned)."""
    s = purger.ctx.schedule
    closes_on = purger.ctx.today + datetime.timedelta(days=s.notice_days)
    after = None
    while True:
        ids = due_ids(rule.table, cond, params, after, PATRON_PAGE)
        if not ids:
            return
        after = ids[-1]
        patrons = list(Patron.objects.filter(pk__in=[as_uuid(i) for i in ids]).order_by("pk"))
        result = expiry.send_notices(ACTOR, patrons, months=s.expire_after_months, closes_on=closes_on)
        with transaction.atomic():
            expiry.record_notices(result.sent + result.refused, purger.ctx.today)
            purger.commit(rule.key, len(result.sent), registration__notices_refused=len(result.refused),
                          registration__notices_unsent=len(result.unsent))
        if result.unsent:
            return  # the mail server is not answering: the rest wait for the next run


def registration_expired(purger, rule, cond: str, params: list) -> None:
    """Destroy the accounts past the period (and past their notice): each page's rows are
    locked, checked again as the desk would, listed for shredding and deleted together."""
    months = purger.ctx.schedule.expire_after_months
    after = None
    while True:
        with transaction.atomic():
            ids = due_ids(rule.table, cond, params, after, PATRON_PAGE, lock=True)
            if not ids:
                return
            after = ids[-1]
            gone, kept = expiry.do_expire(ACTOR, [as_uuid(i) for i in ids], months=months)
            purger.commit(rule.key, gone, registration__kept_in_use=kept)


def _lines(ctx: purge_rules.Ctx, active) -> list[inventory.Line]:
    return [inventory.fixed(
        "registration", "patrons", Patron, "1 = 1", "registered_on",
        f"while in use, or until destroyed on request (unused: {period(ctx.schedule.expire_after_months)})", today=ctx.today)]


def _period(s: Schedule) -> str:
    return gettext(
        "Kept while you use your card, and deleted for good once it has not been used for %(period)s (if we have "
        "your email address, we write to you first). You can also ask the library to delete it at any time."
    ) % {"period": expiry.period_words(s.expire_after_months)}


def register() -> None:
    purge_rules.register(
        purge_rules.Rule(
            NOTICE_KEY, "registration", "expiry notices due (accounts with an email)", Patron, "step",
            population=lambda ctx: _unused(ctx, ahead=ctx.schedule.notice_days),
            due=_notice_due,
            limit=lambda s: f"emailed {s.notice_days} days before expiry, once",
            end_col="active_month", patron_col="id", whole_record=True, step=registration_notices,
        ),
        purge_rules.Rule(
            "registration.expired", "registration", "accounts unused for the whole period", Patron, "step",
            population=_unused,
            due=_expiry_due,
            limit=lambda s: f"destroyed after {period(s.expire_after_months)} unused (notice first)",
            end_col="active_month", patron_col="id", whole_record=True, step=registration_expired,
        ),
        counts={NOTICE_KEY: "expiry notices sent",
                "registration.notices_refused": "expiry notices refused by the mail server (no working address)",
                "registration.notices_unsent": "expiry notices not sent (mail server not answering; next run)",
                "registration.kept_in_use": "expired accounts kept: still in use"},
        not_removals=(NOTICE_KEY, "registration.notices_refused", "registration.notices_unsent",
                      "registration.kept_in_use"),
        log_notes={NOTICE_KEY: "{n} expiry notice(s) sent"},
    )
    inventory.register_lines(_lines)
    period_words.register_period("registration", _period)
