"""Writes for the guide: each in one transaction with its access-log entry."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append

from .models import DrillCompletion


def do_save(actor: Actor, kind: str, form) -> object:
    """Save a guide form (contact, area, resource, note)."""
    with transaction.atomic():
        created = form.instance._state.adding
        obj = form.save()
        note = getattr(form, "audit_note", "")
        append(actor, Event.GUIDE_CHANGE,
               basis=f"guide {kind} {obj.pk} {'added' if created else 'edited'}" + (f"; {note}" if note else ""))
    return obj


def do_delete(actor: Actor, kind: str, obj) -> None:
    with transaction.atomic():
        pk = obj.pk
        obj.delete()
        append(actor, Event.GUIDE_CHANGE, basis=f"guide {kind} {pk} deleted")


def do_record_completion(actor: Actor, user, drill, score: int) -> DrillCompletion:
    """Keep only the latest completion per member of staff and drill: who, which, when, score."""
    with transaction.atomic():
        completion, _ = DrillCompletion.objects.update_or_create(
            staff=user, drill=drill.slug,
            defaults={"completed_at": timezone.now(), "score": score, "out_of": drill.out_of},
        )
        append(actor, Event.DRILL_COMPLETED, basis=f"drill {drill.slug} {score}/{drill.out_of}")
    return completion


def do_load_defaults(actor: Actor) -> dict[str, int]:
    """Fill the sections the library has left empty with the protocol's suggestions."""
    from . import defaults

    with transaction.atomic():
        made = defaults.load_defaults()
        if any(made.values()):
            append(actor, Event.GUIDE_CHANGE,
                   basis="guide defaults " + ", ".join(f"{k} {v}" for k, v in made.items() if v))
    return made


def do_set_translation_review(actor: Actor, language: str, reviewed: bool):
    """Record whether a person has reviewed the patron pages in ``language`` (the director decides)."""
    from .models import TranslationReview

    with transaction.atomic():
        row, _ = TranslationReview.objects.update_or_create(
            language=language, defaults={"reviewed": reviewed, "changed_at": timezone.now()},
        )
        append(actor, Event.GUIDE_CHANGE,
               basis=f"translation {language} marked {'reviewed' if reviewed else 'not reviewed'} by a person")
    return row
