"""Writes for reports, broadcasts and acknowledgements. Each ``do_*`` writes its
access-log entry in the same transaction as the change.

The reporter is not recorded: the filing's log entry names the role only
(``staff (not recorded)``) unless the library sets QUIETDESK_ALERT_RECORD_REPORTER.

Where the network lives elsewhere (``QUIETDESK_NETWORK_MODE=remote``) nothing here is
sent to members (there are none): confirmed and urgent reports, and the updates and all
clears that follow them, are forwarded to the network's own instance (``forward.py``);
unconfirmed reports stay with the library's verifiers.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append, count_routine
from quietdesk.vault import api as vault

from . import conf, delivery, forward, kicks
from .models import (
    Broadcast,
    BroadcastKind,
    Delivery,
    DeliveryState,
    MsgType,
    NetworkMember,
    Report,
    Stage,
    Tier,
)

ALL_TIERS = max(Tier.values)
UNCONFIRMED_MAX_TIER = Tier.RESPONDERS
SYSTEM = Actor.system("alerts")


class NotAllowedNow(ValueError):
    """The report is no longer in a state where this makes sense (shown to the user)."""


def _reporter(actor: Actor) -> Actor:
    if settings.QUIETDESK_ALERT_RECORD_REPORTER:
        return actor
    return Actor(name="staff (not recorded)", role=actor.role)


def warnings_for(report: Report) -> list[str]:
    """What a verifier should know before trusting a report."""
    out = []
    if report.is_empty:
        out.append("Nothing was filled in: only the time was recorded. Ask the person who filed it, if you can.")
    elif not (report.zone or report.location):
        out.append("No location was given.")
    if report.seen_at and report.reported_at and (report.reported_at - report.seen_at).total_seconds() > 3600:
        out.append("Seen more than an hour before it was reported: it may be old news.")
    if report.seen_at and report.reported_at and report.seen_at > report.reported_at + datetime.timedelta(minutes=5):
        out.append("The time seen is after the time reported: check the time.")
    if report.certainty == "possible":
        out.append("Marked possible, or heard from someone else: second-hand reports need checking.")
    return out


def _new_broadcast(report: Report, kind: str, *, current_tier: int, max_tier: int, members) -> Broadcast:
    now = timezone.now()
    escalates = current_tier < max_tier
    broadcast = Broadcast.objects.create(
        report=report, kind=kind, current_tier=current_tier, max_tier=max_tier, min_acks=conf.min_acks(),
        escalate_at=now + conf.ack_window() if escalates else None,
    )
    delivery.create_deliveries(broadcast, members)
    kicks.kick(broadcast.pk)
    if escalates and broadcast.escalate_at is not None:
        kicks.schedule_escalation(broadcast.pk, broadcast.escalate_at)
    return broadcast


def _to_tiers(report: Report, kind: str, *, up_to: int, max_tier: int | None = None) -> Broadcast:
    members = NetworkMember.objects.filter(tier__lte=up_to)
    return _new_broadcast(report, kind, current_tier=up_to, max_tier=max_tier or up_to, members=members)


def _alert(report: Report, kind: str, *, up_to: int, max_tier: int | None = None) -> None:
    """Alert the members here, or forward to the network where it lives elsewhere."""
    if conf.members_here():
        _to_tiers(report, kind, up_to=up_to, max_tier=max_tier)
    elif kind in forward.FORWARDED:
        forward.enqueue(report, kind)


def _recipients_of(report: Report, kinds: Iterable[str] | None = None):
    deliveries = Delivery.objects.filter(broadcast__report=report, member__isnull=False)
    if kinds is not None:
        deliveries = deliveries.filter(broadcast__kind__in=list(kinds))
    return NetworkMember.objects.filter(pk__in=deliveries.values("member_id"))


def do_file_report(actor: Actor, data: dict, *, urgent: bool = False) -> Report:
    """Save a SALUTE report (whatever was filled in) and alert: verifiers, or everyone if urgent."""
    now = timezone.now()
    with transaction.atomic():
        report = Report(id=uuid.uuid4(), expires_at=now + conf.report_lifetime())
        report.ref = _ref(report.id)
        for field in (*Report.CONTENT_FIELDS, "seen_at", "certainty", "status"):
            if data.get(field) not in (None, ""):
                setattr(report, field, data[field])
        report.stage = Stage.URGENT if urgent else Stage.UNCONFIRMED
        report.decided_at = now if urgent else None
        report.save(force_insert=True)
        append(_reporter(actor), Event.ALERT_REPORT, basis=f"SALUTE report {report.ref} filed ({report.status})")
        if urgent:
            append(actor, Event.ALERT_URGENT, basis=f"{report.ref} sent to everyone without verification (urgent)")
            _alert(report, BroadcastKind.URGENT, up_to=ALL_TIERS)
        else:
            _alert(report, BroadcastKind.UNCONFIRMED, up_to=Tier.VERIFIERS, max_tier=UNCONFIRMED_MAX_TIER)
        kicks.schedule_purge(report.pk, report.expires_at)
    return report


def _ref(report_id: uuid.UUID) -> str:
    return vault.pseudonym(report_id, "R")


def _decide(actor: Actor, report: Report, stage: str, action: str, basis: str) -> Report:
    moved = Report.objects.filter(pk=report.pk, stage=Stage.UNCONFIRMED, follows__isnull=True,
                                  expires_at__gt=timezone.now()).update(stage=stage, decided_at=timezone.now())
    if not moved:
        raise NotAllowedNow("This report was already decided, or it has expired.")
    # No more escalation of the unconfirmed message: the decision replaces it.
    Broadcast.objects.filter(report=report, kind=BroadcastKind.UNCONFIRMED).update(
        max_tier=F("current_tier"), escalate_at=None
    )
    append(actor, Event.ALERT_DECIDE, basis=f"{report.ref} {action}: {basis}"[:300])
    report.refresh_from_db()
    return report


def do_confirm_report(actor: Actor, report: Report) -> Report:
    with transaction.atomic():
        report = _decide(actor, report, Stage.CONFIRMED, "alert_confirm", "verified: broadcast to everyone")
        _alert(report, BroadcastKind.CONFIRMED, up_to=ALL_TIERS)
    return report


def do_send_urgent(actor: Actor, report: Report) -> Report:
    with transaction.atomic():
        report = _decide(actor, report, Stage.URGENT, "alert_urgent", "sent to everyone without verification (urgent)")
        _alert(report, BroadcastKind.URGENT, up_to=ALL_TIERS)
    return report


def do_mark_false(actor: Actor, report: Report) -> Report:
    """A verifier found nothing: stop what was not sent yet, and tell those who got it to disregard it."""
    with transaction.atomic():
        report = _decide(actor, report, Stage.FALSE, "alert_false", "marked false by a verifier")
        Delivery.objects.filter(broadcast__report=report, state=DeliveryState.PENDING).update(
            state=DeliveryState.FAILED, note="not sent: marked false first"
        )
        informed = Delivery.objects.filter(
            broadcast__report=report, member__isnull=False,
            state__in=[DeliveryState.SENT, DeliveryState.DELIVERED, DeliveryState.ACKNOWLEDGED, DeliveryState.SENDING],
        ).values("member_id")
        members = NetworkMember.objects.filter(pk__in=informed)
        if conf.members_here():  # elsewhere, an unconfirmed report never left the library
            _new_broadcast(report, BroadcastKind.RETRACT, current_tier=UNCONFIRMED_MAX_TIER,
                           max_tier=UNCONFIRMED_MAX_TIER, members=members)
    return report


def do_follow_up(actor: Actor, report: Report, msg_type: str, text: str) -> Report:
    """An update or an all clear, to everyone who was told about the report."""
    if msg_type not in (MsgType.UPDATE, MsgType.CANCEL):
        raise ValueError("msg_type must be update or cancel")
    origin = report.origin
    with transaction.atomic():
        origin = Report.objects.select_for_update().get(pk=origin.pk)
        if origin.stage == Stage.FALSE or origin.purged_at is not None or origin.expires_at <= timezone.now():
            raise NotAllowedNow("This report was marked false or has expired: there is nothing to follow up.")
        follow = Report(id=uuid.uuid4(), follows=origin, msg_type=msg_type, activity=text, status=origin.status,
                        stage=origin.stage, expires_at=origin.expires_at)
        follow.ref = _ref(follow.id)
        follow.save(force_insert=True)
        kind = BroadcastKind.UPDATE if msg_type == MsgType.UPDATE else BroadcastKind.CANCEL
        tier = ALL_TIERS if origin.stage in (Stage.CONFIRMED, Stage.URGENT) else UNCONFIRMED_MAX_TIER
        if conf.members_here():
            _new_broadcast(follow, kind, current_tier=tier, max_tier=tier, members=_recipients_of(origin))
        elif forward.was_forwarded(origin):
            forward.enqueue(follow, kind)
        if msg_type == MsgType.CANCEL:
            Broadcast.objects.filter(report=origin).update(max_tier=F("current_tier"), escalate_at=None)
        append(actor, Event.ALERT_FOLLOW_UP,
               basis=f"{origin.ref}: {'update' if msg_type == MsgType.UPDATE else 'all clear'} sent")
    return follow


def do_acknowledge(token: str) -> bool:
    """A one-time link was used. True if it acknowledged something (the caller must not say so)."""
    if not token or len(token) > 100:
        return False
    token_hash = delivery.hash_token(token)
    with transaction.atomic():
        row = Delivery.objects.filter(ack_token_hash=token_hash).select_related("broadcast__report").first()
        if row is None:
            return False
        done = Delivery.objects.filter(
            pk=row.pk, acked_at__isnull=True,
            state__in=[DeliveryState.SENT, DeliveryState.DELIVERED, DeliveryState.SENDING],
        ).update(state=DeliveryState.ACKNOWLEDGED, acked_at=timezone.now())
        if done:
            count_routine(Actor.system("ack-link"), Event.ALERT_ACK)
    return bool(done)


def do_purge_expired(*, report_ids: Iterable[uuid.UUID] | None = None, actor: Actor = SYSTEM) -> int:
    """Blank the content of expired reports; keep the bare facts (when, status, outcome) for the record."""
    now = timezone.now()
    reports = Report.objects.filter(expires_at__lte=now, purged_at__isnull=True)
    if report_ids is not None:
        reports = reports.filter(pk__in=list(report_ids))
    purged = 0
    for report in reports:
        with transaction.atomic():
            blank = {f: "" for f in Report.CONTENT_FIELDS}
            if Report.objects.filter(pk=report.pk, purged_at__isnull=True).update(purged_at=now, seen_at=None, **blank):
                Delivery.objects.filter(broadcast__report=report, state=DeliveryState.PENDING).update(
                    state=DeliveryState.FAILED, note="not sent: the report expired first"
                )
                append(actor, Event.ALERT_PURGE, basis=f"{report.ref}: report content deleted at expiry")
                purged += 1
    return purged
