"""A request about a member of staff: tell them, and give them a copy within three calendar days.

The ICE protocol's collective-bargaining clause ("Protection of rights during workplace
immigration enforcement"): the employer informs affected employees of any warrant,
subpoena or other request by a government agency as soon as possible, and gives them a
copy of the request within three calendar days. A case marked ``concerns_staff`` prompts
that notice on its page (with the employee's own counsel and union from the guide's
contacts: the library's counsel acts for the library), the director is reminded before
the third day (``reminders.py``), and the director records who gave the copy and when.

Secrecy comes first: a request under a non-disclosure requirement (a FISA order, a
National Security Letter, a sealed court order) may not be told to anyone outside the
library's administration (Sonoma III.C.2.d.i; 18 U.S.C. 2709(c)); the prompt then says to
ask counsel what the law allows before telling the employee anything.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor
from quietdesk.vault import api as vault

from . import timeline
from .models import Case, CaseEvent

CLAUSE = "ICE protocol: Collective bargaining (Protection of rights during workplace immigration enforcement)"
SECRECY = "Sonoma policy III.C.2.d.i; 18 U.S.C. 2709(c)"


class NoticeError(ValueError):
    """A notice that cannot be recorded; the message says why."""


def prompt(case: Case, today: datetime.date | None = None) -> dict | None:
    """What the case page shows about the staff member, or None when the case concerns none."""
    if not case.concerns_staff:
        return None
    today = today or timezone.localdate()
    due = case.staff_inform_by
    lines = []
    if case.nondisclosure:
        lines.append(("This request is under a non-disclosure requirement. Ask counsel what the law allows before "
                      "telling the staff member anything: a gag order or statute comes before the agreement.", SECRECY))
    if not case.staff_informed_on:
        lines.append(("Tell the staff member about the request as soon as possible.", CLAUSE))
    if not case.staff_copy_on:
        lines.append((f"Give them a copy of the request by {due:%A %d %B %Y} (within three calendar days).", CLAUSE))
    lines.append(("They may want their own lawyer or their union. The library's counsel acts for the library, "
                  "not for them.", CLAUSE))
    return {
        "lines": lines,
        "due": due,
        "late": not case.staff_copy_on and due < today,
        "done": bool(case.staff_informed_on and case.staff_copy_on),
        "contacts": own_contacts(),
    }


def own_contacts():
    """The guide's contacts for a staff member: their own counsel, and the union."""
    from quietdesk.guide.models import Contact

    return list(Contact.objects.filter(kind__in=[Contact.Kind.STAFF_COUNSEL, Contact.Kind.UNION]))


def do_record(actor: Actor, case: Case, *, informed_on: datetime.date | None, copy_on: datetime.date | None,
              delivered_by: str = "") -> Case:
    """Record that the staff member was told, and who gave them their copy and when.

    ``delivered_by`` left blank keeps who gave a copy already recorded."""
    delivered_by = (delivered_by or "").strip()
    today = timezone.localdate()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not case.concerns_staff:
            raise NoticeError("This case is not marked as concerning a member of staff.")
        arrived = timezone.localtime(case.arrived_at).date()
        copy_changed = copy_on != case.staff_copy_on
        problems = []
        for label, day in (("told", informed_on), ("given the copy", copy_on)):
            if day and (day > today or day < arrived):
                problems.append(f"The day they were {label} must be between the request ({arrived}) and today.")
        if copy_on and copy_changed and not delivered_by:
            problems.append("Say who gave them the copy.")
        if delivered_by and not copy_on:
            problems.append("Give the day the copy was given.")
        if problems:
            raise NoticeError(" ".join(problems))
        sealer = vault.sealer_for(case.id)
        changed = []
        if informed_on != case.staff_informed_on:
            case.staff_informed_on = informed_on
            changed.append("told")
            timeline.add_event(case, sealer, actor.name, CaseEvent.Kind.STAFF,
                            f"staff member told on {informed_on}" if informed_on else "staff notice date removed")
        if copy_changed or delivered_by:
            case.staff_copy_on = copy_on
            case.staff_copy_by_ct = sealer.seal(timeline.CASE_MODEL, "staff_copy_by", case.id,
                                                (delivered_by if copy_on else "") or None)
            changed.append("copy")
            timeline.add_event(case, sealer, actor.name, CaseEvent.Kind.STAFF,
                            f"copy of the request given on {copy_on}" if copy_on else "copy date removed",
                            f"given by {delivered_by}" if delivered_by else "")
        if not changed:
            return case
        case.save(update_fields=["staff_informed_on", "staff_copy_on", "staff_copy_by_ct"])
        timeline.log_case(actor, case, Event.STAFF_NOTICE, basis="staff notice recorded: " + ", ".join(changed))
    return case
