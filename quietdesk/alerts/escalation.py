"""Escalation: too few acknowledgements within the window alerts the next tier.

An UNCONFIRMED report goes to tier 1 (verifiers). If fewer than
QUIETDESK_ALERT_MIN_ACKS of them acknowledge within
QUIETDESK_ALERT_ACK_WINDOW_MINUTES, tier 2 (rapid responders, who can also check)
gets it, still labelled UNCONFIRMED; the wider network (tier 3) only ever hears
about a report once a verifier confirmed it or the person in charge sent it as
urgent. Moving up a tier is a conditional UPDATE on ``current_tier``, so a check
that runs twice escalates once.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append

from . import conf, delivery, kicks
from .models import Broadcast, DeliveryState, NetworkMember

ACTOR = Actor.system("alerts-escalation")


def check(broadcast_id: uuid.UUID) -> str:
    broadcast = Broadcast.objects.select_related("report").filter(pk=broadcast_id).first()
    if broadcast is None:
        return "gone"
    if broadcast.current_tier >= broadcast.max_tier or broadcast.escalate_at is None:
        return "nothing to do"
    origin = broadcast.report.origin
    now = timezone.now()
    if origin.purged_at is not None or origin.expires_at <= now:
        return "report expired"
    acks = broadcast.deliveries.filter(state=DeliveryState.ACKNOWLEDGED).count()
    if acks >= broadcast.min_acks:
        return "acknowledged"
    if now < broadcast.escalate_at:
        kicks.schedule_escalation(broadcast.pk, broadcast.escalate_at)
        return "not yet"
    with transaction.atomic():
        tier = broadcast.current_tier + 1
        members = list(NetworkMember.objects.filter(tier__gt=broadcast.current_tier, tier__lte=tier))
        later = now + conf.ack_window() if tier < broadcast.max_tier else None
        moved = Broadcast.objects.filter(pk=broadcast.pk, current_tier=broadcast.current_tier).update(
            current_tier=tier, escalate_at=later
        )
        if not moved:
            return "already escalated"
        broadcast.refresh_from_db()
        made = delivery.create_deliveries(broadcast, members)
        append(ACTOR, Event.ALERT_ESCALATE, basis=f"{origin.ref}: {acks} of {broadcast.min_acks} acknowledgements: tier {tier} alerted ({made} members)")
        kicks.kick(broadcast.pk)
        if later is not None:
            kicks.schedule_escalation(broadcast.pk, later)
    return f"escalated to tier {tier}"
