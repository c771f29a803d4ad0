"""Writes to patron records. Each ``do_*`` writes its access-log entry in the
same transaction as the change (Zulip's pattern): no change without its entry."""

from __future__ import annotations

import uuid

from django.db import transaction

from quietdesk.audit.service import Actor, append
from quietdesk.vault import api as vault
from quietdesk.vault import reader

from .models import Patron

MODEL = "patrons.patron"
TABLE = Patron._meta.db_table


class DuplicateCard(ValueError):
    pass


def _seal_into(patron: Patron, sealer: vault.Sealer, data: dict) -> None:
    for field in Patron.SEALED_FIELDS:
        if field in data:
            setattr(patron, f"{field}_ct", sealer.seal(MODEL, field, patron.id, data[field] or None))
    if "card_number" in data:
        patron.card_bidx = vault.blind_index(TABLE, "card_number", data["card_number"], "exact")
    if "email" in data:
        patron.email_bidx = vault.blind_index(TABLE, "email", data["email"], "email")
    if "given_name" in data or "family_name" in data:
        full = f"{data.get('given_name', '')} {data.get('family_name') or ''}"
        patron.name_bidx = vault.blind_index(TABLE, "full_name", full, "name")


def _card_taken(actor: Actor, card_number: str, except_id: uuid.UUID | None = None) -> bool:
    matches = reader.find(actor, Patron.objects.all(), "card_number", card_number, purpose="check card is free",
                          log_empty=False)
    return any(m.id != except_id for m in matches)


def do_register_patron(actor: Actor, data: dict, *, branch=None) -> Patron:
    with transaction.atomic():
        if _card_taken(actor, data["card_number"]):
            raise DuplicateCard("That card number is already in use.")
        patron = Patron(id=uuid.uuid4(), home_branch=branch)
        patron.pseudonym = Patron.make_pseudonym(patron.id)
        patron.age_band = data.get("age_band") or "adult"
        patron.age_band_changes_on = data.get("age_band_changes_on")
        sealer = vault.new_subject("patron", patron.id)
        _seal_into(patron, sealer, data)
        patron.save(force_insert=True)
        append(actor, action="register", subject=patron.pseudonym, categories=["registration"],
               basis="new registration at the desk")
    return patron


def do_update_patron(actor: Actor, patron: Patron, data: dict) -> Patron:
    with transaction.atomic():
        patron = Patron.objects.select_for_update().get(pk=patron.pk)
        if "card_number" in data and _card_taken(actor, data["card_number"], except_id=patron.id):
            raise DuplicateCard("That card number is already in use.")
        patron.age_band = data.get("age_band") or patron.age_band
        patron.age_band_changes_on = data.get("age_band_changes_on")
        _seal_into(patron, vault.sealer_for(patron.id), data)
        patron.save()
        append(actor, action="edit", subject=patron.pseudonym, categories=["registration"],
               basis="record corrected at the desk")
    return patron


def do_shred_patron(actor: Actor, patron: Patron, *, reason: str) -> None:
    """Delete a patron for good: rows gone, data key destroyed, listed for restores."""
    with transaction.atomic():
        pseudonym = patron.pseudonym
        vault.shred(patron.id)
        Patron.objects.filter(pk=patron.pk).delete()
        append(actor, action="shred", subject=pseudonym, categories=["registration"], basis=reason)


def view_patron(actor: Actor, patron: Patron, *, purpose: str) -> dict[str, str]:
    return reader.read(actor, patron, Patron.SEALED_FIELDS, category="registration", purpose=purpose)
