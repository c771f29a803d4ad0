from collections.abc import Callable

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap, has_cap

from .models import AccessEntry

# Entries about requests under a non-disclosure requirement (a FISA order, a National
# Security Letter) are for the director or designee only (Cap.DECIDE_CASES). The legal
# app says which (``legal.nondisclosure.log_exclusion``, registered here with
# ``restrict``); stored entries are never altered (the hash chain): they are left out
# when shown. Without a registered rule, every marked entry is still left out.
_RESTRICTIONS: list[Callable[[], Q]] = []


def restrict(entries: Callable[[], Q]) -> None:
    """Register a function returning the entries to hide from users without DECIDE_CASES."""
    if entries not in _RESTRICTIONS:
        _RESTRICTIONS.append(entries)


def restricted() -> Q:
    q = Q(restricted="nd")
    for entries in _RESTRICTIONS:
        q |= entries()
    return q


def visible_to(user, entries, *, hidden: bool = False):
    """``entries`` that ``user`` may see (or, with ``hidden``, those they may not)."""
    if has_cap(user, Cap.DECIDE_CASES):
        return entries.none() if hidden else entries
    return entries.filter(restricted()) if hidden else entries.exclude(restricted())


@require_GET
@require(Cap.VIEW_ACCESS_LOG)
def log(request):
    limited = not has_cap(request.user, Cap.DECIDE_CASES)
    entries = visible_to(request.user, AccessEntry.objects.order_by("-seq"))
    # A case's reference may be asked for; a person cannot be: the log names people by
    # sealed references that only their record's page can match ("Who viewed this record").
    case_ref = (request.GET.get("case") or "").strip()[:16]
    if case_ref:
        entries = entries.filter(case_ref=case_ref, case_ref__gt="")  # the partial index's condition
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "case_ref": case_ref, "limited": limited})
