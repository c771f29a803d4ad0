"""How long each category is kept, in words a patron reads, in the active language.

Built from the retention schedule and the camera register in force, so the
privacy notice and the "what we keep" page can never drift from what the purge
does. Every sentence goes through Django's translation framework.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext


def public_periods() -> dict[str, str]:
    """How long each category is kept, in the active language, from the schedule and camera register."""
    from quietdesk.patrons.expiry import period_words
    from quietdesk.records.models import Camera

    from . import schedule

    s = schedule.get()
    out = {"registration": gettext(
        "Kept while you use your card, and deleted for good once it has not been used for %(period)s (if we have "
        "your email address, we write to you first). You can also ask the library to delete it at any time."
    ) % {"period": period_words(s.expire_after_months)}}
    circulation = gettext("Only while an item is out or a fine is owed; the link to you is cut when you return it.")
    if s.reading_history_days:
        circulation += " " + ngettext("A reading history only if you turn it on; each entry is deleted %(n)d day after the return.", "A reading history only if you turn it on; each entry is deleted %(n)d days after the return.", s.reading_history_days) % {"n": s.reading_history_days}
    else:
        circulation += " " + gettext("A reading history only if you turn it on, until you erase it.")
    out["circulation"] = circulation
    holds = gettext("Until you pick up the hold or it is cancelled.")
    if s.unfilled_hold_days:
        holds += " " + ngettext("A hold still waiting after %(n)d day is cancelled.", "A hold still waiting after %(n)d days is cancelled.", s.unfilled_hold_days) % {"n": s.unfilled_hold_days}
    out["holds"] = holds
    if s.registration_days_after_program:
        out["programs"] = ngettext("Sign-up lists are deleted %(n)d day after the program; attendance is only counted.", "Sign-up lists are deleted %(n)d days after the program; attendance is only counted.", s.registration_days_after_program) % {"n": s.registration_days_after_program}
    else:
        out["programs"] = gettext("Sign-up lists are deleted the day after the program; attendance is only counted.")
    out["computer_use"] = gettext("Deleted at the end of your session; only daily counts are kept.")
    days = [c.retention_days for c in Camera.objects.filter(active=True)] or [s.default_footage_days]
    out["camera"] = ngettext("Recordings are deleted after at most %(n)d day.", "Recordings are deleted after at most %(n)d days.", max(days)) % {"n": max(days)}
    out["database_search"] = gettext("Not stored at all.")
    out["reference"] = ngettext("Questions are not recorded; a follow-up note, if needed, is destroyed within %(n)d day.", "Questions are not recorded; a follow-up note, if needed, is destroyed within %(n)d days.", s.follow_up_note_days) % {"n": s.follow_up_note_days}
    out["ill"] = gettext("Your name and the title are removed when the item goes back to the lending library.")
    return out


