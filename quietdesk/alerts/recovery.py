"""After a crash: put back what a dead worker left half done (see delivery.py's design notes).

Registered with the outbound worker (``outbound.worker.on_start``) in AlertsConfig.ready().
"""

from __future__ import annotations

from django.db.models import Q

from . import delivery, forward, kicks
from .models import Broadcast, DeliveryState
from .services import do_purge_expired


def recover_all() -> dict[str, int]:
    requeued = delivery.recover()
    forwards_back = forward.recover()
    forwards = forward.resume()
    purged = do_purge_expired()
    kicked = 0
    waiting = Broadcast.objects.filter(deliveries__state=DeliveryState.PENDING).distinct()
    for broadcast_id in waiting.values_list("pk", flat=True):
        kicks.kick(broadcast_id, run_after=delivery.next_due(broadcast_id))
        kicked += 1
    escalations = 0
    for broadcast in Broadcast.objects.filter(~Q(escalate_at=None)):
        if broadcast.escalate_at is not None and broadcast.current_tier < broadcast.max_tier:
            kicks.schedule_escalation(broadcast.pk, broadcast.escalate_at)
            escalations += 1
    return {"deliveries requeued": requeued, "reports purged": purged,
            "broadcasts resumed": kicked, "escalations rescheduled": escalations,
            "forwards requeued": forwards_back, "forwards resumed": forwards}
