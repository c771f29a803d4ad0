"""Writing access-log entries for tests: real appends, at a chosen time when needed."""

import contextlib
import datetime
from unittest import mock

from django.db import transaction

from quietdesk.audit import service
from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor

ACTOR = Actor("desk", "circulation")


@contextlib.contextmanager
def at(day: datetime.date | str):
    """Entries appended inside are dated ``day`` (UTC, at 10:00): the log's clock, moved."""
    text = f"{day}T10:00:00Z" if isinstance(day, datetime.date) else day
    with mock.patch.object(service, "now_text", return_value=text):
        yield


def entries(n: int, event: Event = Event.VIEW, actor: Actor = ACTOR, **kwargs) -> list:
    with transaction.atomic():
        return [service.append(actor, event, **kwargs) for _ in range(n)]


def about(subject_id, **filters) -> list:
    """The access-log entries about one subject (matched with its own key, as the patron page does)."""
    from quietdesk.audit.models import AccessEntry
    from quietdesk.vault import api

    matches = api.ref_matcher([subject_id])
    return [e for e in AccessEntry.objects.filter(subject__startswith="r1:", **filters).order_by("seq")
            if matches(e.subject)]
