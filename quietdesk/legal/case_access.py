"""Who may see which case.

* Cases: director, designee and privacy officer (Cap.VIEW_CASES).
* A case under non-disclosure: only the library's administration, the director or
  designee (Cap.DECIDE_CASES). Everyone else gets the same 404 as for no case at all.
* The member of staff who took the request sees its desk page (guidance, timer,
  adding what the officer said) for a day, without the case file.
* The access-log page hides from everyone but the director or designee the entries
  tied to a case under non-disclosure (``nondisclosure.log_exclusion``, registered
  with the audit app).
"""

from __future__ import annotations

import datetime

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
