"""Reading history: off unless the patron turns it on; visible to the patron alone.

There is no staff page, report or export for it. The patron-facing page (with
the requests issue) calls ``history_for_patron``; the reader checks the policy
as the patron reading their own records and counts the read (no entry per patron). Erasing is
immediate, except for entries a legal hold covers: those disappear from the
patron's view at once and are deleted by the purge when the hold is released
(a preservation order must be obeyed, and must not be revealed to the patron).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, count_routine
from quietdesk.patrons.models import Patron
from quietdesk.retention import legal_holds
from quietdesk.vault import reader

from . import plain_sql
from .models import CirculationPreference, ReadingHistoryEntry
from .shelf import HISTORY


def history_for_patron(patron: Patron) -> list[dict]:
    """The patron's reading history, newest first: [{"title", "returned_on"}]."""
    entries = list(ReadingHistoryEntry.objects.filter(patron=patron, erased_on__isnull=True)
                   .order_by("-returned_on", "id"))
    if not entries:
        return []
    values = reader.read_many(Actor.patron(), entries, ("title",), category="circulation",
                              purpose="patron reads own reading history", requester="patron_self",
                              event=Event.SELF_ACCESS)
    return [{"title": v["title"], "returned_on": e.returned_on} for e, v in zip(entries, values, strict=True)]


def do_erase_history(actor: Actor, patron: Patron) -> int:
    """Erase the patron's reading history now. Returns how many entries they had."""
    today = timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        visible = ReadingHistoryEntry.objects.filter(patron=patron, erased_on__isnull=True).count()
        keep, params = legal_holds.exclusion("circulation", patron_col="patron_id", start_col=None, end_col="returned_on")
        cursor.execute(f"DELETE FROM {HISTORY} WHERE patron_id = %s{keep}", [plain_sql.uid(patron.pk), *params])  # noqa: S608
        cursor.execute(f"UPDATE {HISTORY} SET erased_on = %s WHERE patron_id = %s AND erased_on IS NULL",  # noqa: S608
                       [plain_sql.day(today), plain_sql.uid(patron.pk)])
        count_routine(actor, Event.ERASE_HISTORY)
    return visible


def do_set_reading_history(actor: Actor, patron: Patron, keep: bool) -> None:
    """Turn reading history on or off (off erases it)."""
    with transaction.atomic():
        prefs, _ = CirculationPreference.objects.get_or_create(patron=patron)
        prefs.keep_reading_history = keep
        prefs.save(update_fields=["keep_reading_history"])
        count_routine(actor, Event.PREFERENCES)
        if not keep:
            do_erase_history(actor, patron)
