"""The legal hold placed automatically on produced records.

``place_legal_hold`` is the one hook production calls, inside its transaction: if
it raises, nothing is produced. It hands the hold to
``quietdesk.retention.legal_holds.hold_for_production`` (which the purge and the services
that forget at once obey) for the categories the purge handles. Registration is not
purged by the schedule, so for it (and if the retention app is missing) the hold is
recorded in the access log.

Under non-disclosure (``secret``) the patron's entry names neither the document nor
the reason, and is marked (``restricted``) so the access-log page shows it only to
the director or designee.
"""

from __future__ import annotations

import datetime

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.vault import api as vault


def place_legal_hold(
    actor: Actor,
    *,
    patron,
    categories: list[str],
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    case,
    user=None,
    secret: bool = False,
) -> str:
    """Keep the named records from routine deletion; returns a reference for the package."""
    reason = "records produced under a court order" if secret else f"records produced for case {case.pseudonym}"
    refs = []
    retention = _retention_hook()
    purgeable = [c for c in categories if retention is not None and c in retention[1]]
    if purgeable:
        refs.append(retention[0](actor, patron=patron, categories=purgeable, date_from=date_from,
                                 date_to=date_to, reason=reason, case=case, user=user))
    rest = [c for c in categories if c not in purgeable]
    if rest:
        span = f"{date_from or 'start'}..{date_to or 'now'}"
        entry = append(actor, Event.LEGAL_HOLD, subject=vault.log_ref(patron.pk), categories=rest,
                       case_ref=case.pseudonym, restricted=secret, basis=f"{reason}; {span}")
        refs.append(f"access-log #{entry.seq}")
    return ", ".join(refs)


def _retention_hook():
    """(hold_for_production, the categories it holds)."""
    from quietdesk.retention.legal_holds import CATEGORIES, hold_for_production

    return hold_for_production, frozenset(CATEGORIES)
