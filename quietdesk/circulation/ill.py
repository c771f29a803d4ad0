"""Interlibrary loans: the title is sealed under the patron's key; when the loan
completes (or is cancelled) it is deleted in the same transaction, unless a legal
hold covers it. These are routine steps: counted, never logged per patron."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, count_routine
from quietdesk.patrons.models import Patron
from quietdesk.retention import legal_holds
from quietdesk.vault import api as vault
from quietdesk.vault import reader

from . import errors
from .models import InterlibraryLoan

MODEL = InterlibraryLoan._meta.label_lower


def do_request_ill(actor: Actor, patron: Patron, *, title: str, lender: str) -> InterlibraryLoan:
    with transaction.atomic():
        ill = InterlibraryLoan(patron=patron, lender=lender, requested_on=timezone.localdate())
        ill.title_ct = vault.sealer_for(patron.pk).seal(MODEL, "title", ill.pk, title)
        ill.save(force_insert=True)
        count_routine(actor, Event.ILL_REQUEST)
    return ill


def do_ill_arrived(actor: Actor, ill: InterlibraryLoan) -> InterlibraryLoan:
    with transaction.atomic():
        locked = InterlibraryLoan.objects.select_for_update().filter(pk=ill.pk).first()
        if locked is None or locked.status != InterlibraryLoan.Status.REQUESTED:
            raise errors.IllRefused("Only a requested interlibrary loan can arrive.")
        ill = locked
        ill.status = InterlibraryLoan.Status.ARRIVED
        ill.save(update_fields=["status"])
        count_routine(actor, Event.ILL_ARRIVED)
    return ill


def do_close_ill(actor: Actor, ill: InterlibraryLoan, *, cancelled: bool = False) -> InterlibraryLoan:
    """Complete (returned to the lender) or cancel: the patron and the title go now."""
    today = timezone.localdate()
    with transaction.atomic():
        locked = InterlibraryLoan.objects.select_for_update().filter(pk=ill.pk).first()
        if locked is None or locked.status not in InterlibraryLoan.OPEN:
            raise errors.IllRefused("This interlibrary loan is already closed.")
        ill = locked
        patron_id = ill.patron_id
        ill.status = InterlibraryLoan.Status.CANCELLED if cancelled else InterlibraryLoan.Status.COMPLETED
        ill.closed_on = today
        if patron_id and legal_holds.covers("ill", patron_id=patron_id, start=ill.requested_on, end=today):
            ill.save()
        else:
            ill.delete()
            ill.patron, ill.title_ct = None, None
        count_routine(actor, Event.ILL_CLOSE)
    return ill


def open_ills_for(actor: Actor, patron: Patron, *, purpose: str) -> list[tuple[InterlibraryLoan, str]]:
    ills = list(InterlibraryLoan.objects.filter(patron=patron, status__in=InterlibraryLoan.OPEN).order_by("requested_on"))
    if not ills:
        return []
    titles = reader.read_many(actor, ills, ("title",), category="ill", purpose=purpose, event=Event.VIEW)
    return [(ill, t["title"]) for ill, t in zip(ills, titles, strict=True)]
