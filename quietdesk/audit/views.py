from collections.abc import Callable

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap, has_cap

from .models import AccessEntry

# Entries about requests under a non-disclosure requirement (a FISA order, a National
# Security Letter) are for the director or designee only (Cap.DECIDE_CASES). Writers mark
# them with this prefix on the action (or, where they cannot choose the action, on the
# basis); apps register what else ties an entry to such a request (``restrict``). Stored
# entries are never altered (the hash chain): they are left out when shown.
RESTRICTED_PREFIX = "nd-"
_RESTRICTIONS: list[Callable[[], Q]] = []


def restrict(entries: Callable[[], Q]) -> None:
    """Register a function returning the entries to hide from users without DECIDE_CASES."""
    if entries not in _RESTRICTIONS:
        _RESTRICTIONS.append(entries)


def restricted() -> Q:
    q = Q(action__startswith=RESTRICTED_PREFIX) | Q(basis__startswith=RESTRICTED_PREFIX)
    for entries in _RESTRICTIONS:
        q |= entries()
    return q


@require_GET
@require(Cap.VIEW_ACCESS_LOG)
def log(request):
    entries = AccessEntry.objects.order_by("-seq")
    limited = not has_cap(request.user, Cap.DECIDE_CASES)
    if limited:
        entries = entries.exclude(restricted())
    subject = (request.GET.get("subject") or "").strip()[:32]
    if subject:
        entries = entries.filter(subject=subject)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "subject": subject, "limited": limited})
