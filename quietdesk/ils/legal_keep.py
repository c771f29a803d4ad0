"""Legal holds, handed to the ILS as card numbers.

A quietdesk legal hold (``retention.LegalHold``) names one quietdesk patron, or
everyone, with categories and a date range. The ILS knows the same person by card
number: a library that runs quietdesk beside Koha imports its patrons from Koha
(`quietdesk import koha`), card number included. So, for each hold in force that
names a patron, the patron's card number is decrypted through the vault's reader
(one access-log entry per hold per run, tied to the hold's case, as the reader logs every read) and
given to the connector, which finds that patron's rows by card number (current and
deleted patrons) and keeps them. This is the simplest design that needs no second
copy of anyone's card number and cannot drift from the hold: releasing the hold in
quietdesk releases it in the ILS at the next run.

A hold whose patron is not in the ILS keeps nothing there; a hold on everyone keeps
every row in its categories and dates. Card numbers stay in memory.
"""

from __future__ import annotations

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor
from quietdesk.retention import legal_holds

from .connector import Keep


def keep(actor: Actor, *, event: Event = Event.VIEW) -> Keep:
    from quietdesk.patrons.models import Patron
    from quietdesk.retention.models import LegalHold
    from quietdesk.vault import reader

    active = legal_holds.active_holds()
    if not active:
        return Keep()
    patrons: dict[object, Patron] = {p.pk: p for p in Patron.objects.filter(pk__in={h.patron_id for h in active if h.patron_id})}
    held = LegalHold.objects.filter(pk__in=[h.id for h in active])
    labels = {h.pk: h.label for h in held}
    references = {h.pk: h.reference for h in held}
    named, everyone = [], []
    for hold in active:
        if hold.all_patrons:
            everyone.append((hold.categories, hold.date_from, hold.date_to))
            continue
        patron = patrons.get(hold.patron_id)
        if patron is None:
            continue
        # One read per hold, tied to the case it was placed for (its reference): the access-log
        # page and the privacy audit hide it with the case under non-disclosure (legal/nondisclosure.py).
        card = reader.read(actor, patron, ("card_number",), category="registration",
                           purpose=f"legal hold {labels.get(hold.id, '')}: keep this patron's records in the ILS",
                           event=event, case_ref=references.get(hold.id, "")[:16])["card_number"]
        named.append((card, hold.categories, hold.date_from, hold.date_to))
    return Keep(patrons=tuple(named), everyone=tuple(everyone))
