"""Who may see which case.

* Cases: director, designee and privacy officer (Cap.VIEW_CASES).
* A case under non-disclosure: only the library's administration, the director or
  designee (Cap.DECIDE_CASES). Everyone else gets the same 404 as for no case at all.
* The member of staff who took the request sees its desk page (guidance, timer,
  adding what the officer said) for a day, without the case file.
* The access-log page hides from everyone but the director or designee the entries
  tied to a case under non-disclosure (``restricted_log_entries``, registered with
  the audit app): those marked ``nd-``, those about the case, those that name it or
  the legal hold placed for it (entries written before the case was marked).
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from quietdesk.staff.roles import Cap, has_cap

from .models import Case

DESK_WINDOW = datetime.timedelta(hours=24)


def can_see(user, case: Case) -> bool:
    if not has_cap(user, Cap.VIEW_CASES):
        return False
    return not case.nondisclosure or has_cap(user, Cap.DECIDE_CASES)


def visible_cases(user):
    qs = Case.objects.select_related("branch", "opened_by")
    if not has_cap(user, Cap.VIEW_CASES):
        return qs.none()
    if not has_cap(user, Cap.DECIDE_CASES):
        qs = qs.filter(nondisclosure=False)
    return qs


def case_or_404(user, case_id) -> Case:
    case = get_object_or_404(Case.objects.select_related("branch", "opened_by"), pk=case_id)
    if not can_see(user, case):
        raise Http404
    return case


def desk_can_see(user, case: Case) -> bool:
    if can_see(user, case):
        return True
    return (case.opened_by_id is not None and case.opened_by_id == getattr(user, "pk", None)
            and timezone.now() - case.arrived_at < DESK_WINDOW)


def desk_case_or_404(user, case_id) -> Case:
    case = get_object_or_404(Case.objects.select_related("branch", "opened_by"), pk=case_id)
    if not desk_can_see(user, case):
        raise Http404
    return case


def restricted_log_entries() -> Q:
    """Access-log entries tied to a case under non-disclosure (beyond those marked ``nd-``)."""
    pseudonyms = sorted(Case.objects.filter(nondisclosure=True).values_list("pseudonym", flat=True))
    if not pseudonyms:
        return Q(pk__in=[])
    markers = list(pseudonyms)
    try:
        from quietdesk.retention.models import LegalHold
    except ImportError:
        pass
    else:
        markers += sorted(h.label for h in LegalHold.objects.filter(reference__in=pseudonyms))
    q = Q(subject__in=pseudonyms)
    for marker in markers:
        q |= Q(basis__contains=marker)
    return q


def nondisclosure_hold_ids() -> frozenset:
    """Legal holds placed for cases under non-disclosure: hidden from anyone without DECIDE_CASES."""
    from quietdesk.retention.models import LegalHold

    pseudonyms = list(Case.objects.filter(nondisclosure=True).values_list("pseudonym", flat=True))
    if not pseudonyms:
        return frozenset()
    return frozenset(LegalHold.objects.filter(reference__in=pseudonyms).values_list("id", flat=True))
