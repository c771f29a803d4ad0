"""Legal holds: a served order names records (one patron or everyone, some
categories, a date range) that must be preserved until the director releases them.

The purge skips what a hold covers, and the services that would otherwise
forget at once (a return cutting the borrower link, a session deleted at its
end, a patron erasing their reading history) keep the record instead while a
hold covers it. Only the director places or releases a hold (Cap.PLACE_LEGAL_HOLD,
checked here as well as on the page); both are written to the access log.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.staff.roles import CAPABILITIES, Cap, Role
from quietdesk.vault import api as vault

from .models import HOLDABLE, LegalHold

CATEGORIES = tuple(key for key, _ in HOLDABLE)
TABLE = _TABLE = LegalHold._meta.db_table


@dataclass(frozen=True)
class ActiveHold:
    id: uuid.UUID
    all_patrons: bool
    patron_id: uuid.UUID | None
    categories: frozenset[str]
    date_from: datetime.date
    date_to: datetime.date


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def active_holds(category: str | None = None) -> list[ActiveHold]:
    """Holds in force (usually none: one cheap query on the hot paths)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, all_patrons, patron_id, categories, date_from, date_to FROM {_TABLE} "  # noqa: S608
            "WHERE released_at IS NULL", []
        )
        rows = cursor.fetchall()
    holds = []
    for hold_id, all_patrons, patron_id, categories, date_from, date_to in rows:
        cats = frozenset(c for c in categories.split(",") if c)
        if category is not None and category not in cats:
            continue
        if not all_patrons and patron_id is None:
            continue  # the patron was deleted: nothing of theirs is left to preserve
        pid = uuid.UUID(str(patron_id)) if patron_id is not None else None
        holds.append(ActiveHold(uuid.UUID(str(hold_id)), bool(all_patrons), pid, cats, _as_date(date_from),
                                _as_date(date_to)))
    return holds


# Apps that may keep a hold secret from most staff (a case under non-disclosure, ``legal``)
# register ``ids() -> frozenset`` of those holds' ids (``register_hidden`` in their ready()).
_HIDDEN: list = []


def register_hidden(ids) -> None:
    if ids not in _HIDDEN:
        _HIDDEN.append(ids)


def hidden_ids() -> frozenset:
    """Holds that only those who decide cases may learn of."""
    return frozenset().union(*(ids() for ids in _HIDDEN))


def covers(category: str, *, patron_id, start, end=None) -> bool:
    """Whether an active hold preserves a record of ``category`` spanning ``start``..``end``."""
    end = end or start
    for hold in active_holds(category):
        if not hold.all_patrons and hold.patron_id != patron_id:
            continue
        if start <= hold.date_to and end >= hold.date_from:
            return True
    return False


def preserves_record(patron_id, holds: list[ActiveHold] | None = None) -> bool:
    """Whether a hold in force preserves this patron's record itself: one that names the
    patron (whatever its categories and dates), or one over every patron's records. Such
    a record is never destroyed, on request or at expiry."""
    holds = active_holds() if holds is None else holds
    return any(h.all_patrons or h.patron_id == patron_id for h in holds)


def record_exclusion(*, patron_col: str, holds: list[ActiveHold] | None = None) -> tuple[str, list]:
    """SQL (`` AND ...``) keeping out of a purge the patrons whose records ``preserves_record``
    keeps: all of them under a hold over every patron."""
    holds = active_holds() if holds is None else holds
    if any(h.all_patrons for h in holds):
        return " AND 1 = 0", []
    named = sorted({h.patron_id for h in holds if h.patron_id is not None})
    if not named:
        return "", []
    return f" AND {patron_col} NOT IN ({', '.join(['%s'] * len(named))})", [_param(p) for p in named]


def _param(value):
    if isinstance(value, uuid.UUID):
        return value.hex if connection.vendor == "sqlite" else value
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def exclusion(category: str, *, patron_col: str | None, start_col: str | None, end_col: str,
              holds: list[ActiveHold] | None = None) -> tuple[str, list]:
    """SQL (`` AND NOT (...)``) that keeps rows an active hold covers out of a purge.

    Every term is TRUE or FALSE, never NULL, so a row with no patron is never
    kept back by mistake (nor deleted by mistake). Column names are constants
    from the rules; values are parameters.
    """
    holds = active_holds(category) if holds is None else [h for h in holds if category in h.categories]
    terms, params = [], []
    start = f"COALESCE({start_col}, {end_col})" if start_col else end_col
    for hold in holds:
        span = f"({start} IS NOT NULL AND {start} <= %s AND {end_col} >= %s)"
        if hold.all_patrons:
            terms.append(span)
            params += [_param(hold.date_to), _param(hold.date_from)]
        elif patron_col is not None:
            terms.append(f"({patron_col} IS NOT NULL AND {patron_col} = %s AND {span})")
            params += [_param(hold.patron_id), _param(hold.date_to), _param(hold.date_from)]
    if not terms:
        return "", []
    return f" AND NOT ({' OR '.join(terms)})", params


def _director_only(actor: Actor) -> None:
    try:
        allowed = Cap.PLACE_LEGAL_HOLD in CAPABILITIES[Role(actor.role)]
    except ValueError:
        allowed = False
    if not allowed:
        raise PermissionDenied("Only the director may place or release a legal hold.")


def _validate(categories, date_from, date_to, patron, all_patrons) -> list[str]:
    cats = sorted(set(categories))
    unknown = [c for c in cats if c not in CATEGORIES]
    if unknown or not cats:
        raise ValidationError(f"Choose categories among: {', '.join(CATEGORIES)}.")
    if date_from > date_to:
        raise ValidationError("The date range ends before it starts.")
    if all_patrons == (patron is not None):
        raise ValidationError("A hold names one patron, or covers everyone's records in its categories.")
    return cats


def do_place_legal_hold(actor: Actor, *, reference: str, served_on, categories, date_from, date_to,
                        patron=None, all_patrons: bool = False, case=None) -> LegalHold:
    _director_only(actor)
    cats = _validate(categories, date_from, date_to, patron, all_patrons)
    with transaction.atomic():
        hold = LegalHold.objects.create(
            reference=reference, served_on=served_on, all_patrons=all_patrons, patron=patron,
            categories=",".join(cats), date_from=date_from, date_to=date_to,
            placed_by=actor.name, placed_at=timezone.now(),
        )
        append(actor, Event.LEGAL_HOLD, subject=vault.log_ref(patron.pk) if patron else "", categories=cats,
               case_ref=getattr(case, "pseudonym", ""), restricted=bool(getattr(case, "nondisclosure", False)),
               basis=f"placed {hold.label}: preserve {date_from}..{date_to} under a served order")
    return hold


def do_release_legal_hold(actor: Actor, hold: LegalHold, *, reason: str) -> LegalHold:
    """Release a hold; the records it kept become due under the schedule again.

    The hold's link to the patron is cut: the log keeps who it named."""
    _director_only(actor)
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is not None:
            raise ValidationError("This legal hold was already released.")
        subject = vault.log_ref(hold.patron_id) if hold.patron_id and not vault.is_shredded(hold.patron_id) else ""
        hold.released_at, hold.released_by, hold.release_reason = timezone.now(), actor.name, reason
        hold.patron = None
        hold.save()
        append(actor, Event.LEGAL_HOLD_RELEASE, subject=subject, categories=hold.category_list,
               basis=f"released {hold.label}")
    return hold


def hold_for_production(actor: Actor, *, patron, categories, date_from=None, date_to=None, reason: str = "",
                        case=None, user=None) -> str:
    """A legal hold on records produced under an order (for the requests app's production step).

    Keeps only the categories the purge handles; an open-ended range runs from
    the earliest record to today. Returns the hold's label for the package."""
    cats = [c for c in dict.fromkeys(categories) if c in CATEGORIES]
    if not cats:
        return "no purgeable records"
    hold = do_place_legal_hold(
        actor, reference=(getattr(case, "pseudonym", "") or reason or "production")[:80],
        served_on=timezone.localdate(), categories=cats,
        date_from=date_from or datetime.date(2000, 1, 1), date_to=date_to or timezone.localdate(), patron=patron,
        case=case,
    )
    return hold.label
