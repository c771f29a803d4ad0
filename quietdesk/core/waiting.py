"""What waits on this person now: the home page of the director, the person in charge
and the privacy officer, and the count in the header on every page.

Each source asks only for what the user's role may see (the same capabilities and
case visibility as the pages it links to), and says it in fixed words: case and
report references, dates, states, never a name. ``count`` runs on every page for
the roles that have any source, so it is a few COUNT queries; ``sections`` (the
home page only) also reads deadlines, failures and checkpoints.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from quietdesk.staff.roles import Cap, has_cap

SOON_DAYS = 3  # a deadline this close is shown as due soon
PURGE_STALE_DAYS = 2  # the purge runs daily (operator's guide): older than this is a failure
CHECKPOINT_STALE_DAYS = 7  # checkpoints are signed at least weekly (operator's guide)


@dataclass
class Item:
    title: str
    url: str
    detail: str = ""
    due: datetime.date | None = None
    urgency: int = 3  # 0 overdue, 1 due today, 2 due soon, 3 no deadline or later
    deadlines: list[tuple[str, datetime.date, int]] = field(default_factory=list)
    arrived: datetime.datetime | None = None

    @property
    def urgency_word(self) -> str:
        return ("overdue", "due today", "due soon", "")[self.urgency]


@dataclass
class Section:
    key: str
    title: str
    empty: str
    items: list[Item]
    more: tuple[str, str] | None = None  # (label, url) to the full list


def _urgency(day: datetime.date | None, today: datetime.date) -> int:
    if day is None:
        return 3
    if day < today:
        return 0
    if day == today:
        return 1
    return 2 if (day - today).days <= SOON_DAYS else 3


# --- cases -------------------------------------------------------------------------


def _open_cases(user):
    from quietdesk.legal import case_access
    from quietdesk.legal.models import State

    return case_access.visible_cases(user).exclude(state=State.CLOSED)


def _cases(user, today) -> list[Item]:
    from quietdesk.legal import words

    items = []
    for case in _open_cases(user).prefetch_related("productions")[:200]:
        deadlines = []
        if case.return_date:
            deadlines.append(("Return date", case.return_date, _urgency(case.return_date, today)))
        if case.concerns_staff and not case.staff_informed_on and case.staff_inform_by:
            deadlines.append(("Tell the staff member (three days)", case.staff_inform_by,
                              _urgency(case.staff_inform_by, today)))
        urgency = min([d[2] for d in deadlines] or [3])
        due = min([d[1] for d in deadlines], default=None)
        waiting = [p for p in case.productions.all() if not p.produced_at]
        detail = [case.get_state_display(), words.REQUESTER_SHORT.get(case.requester, "Not recorded"),
                  words.DOCUMENT.get(case.document, case.document)]
        if waiting:
            detail.append("a production waits")
        if case.nondisclosure:
            detail.append("non-disclosure")
        items.append(Item(f"Case {case.pseudonym}", reverse("legal:case", args=[case.id]), " · ".join(detail),
                          due, urgency, deadlines, case.arrived_at))
    # Most urgent first: overdue, today, soon; then the nearest deadline; then the newest request.
    items.sort(key=lambda i: (i.urgency, i.due or datetime.date.max, -(i.arrived.timestamp() if i.arrived else 0)))
    return items


def _legal_holds(user, today) -> list[Item]:
    """Holds placed for a case that is now closed: the director reviews them for release."""
    from quietdesk.legal.models import Case, State
    from quietdesk.retention.models import LegalHold

    active = list(LegalHold.objects.filter(released_at__isnull=True).order_by("placed_at")[:200])
    closed = set(Case.objects.filter(pseudonym__in=[h.reference for h in active], state=State.CLOSED)
                 .values_list("pseudonym", flat=True))
    items = []
    for hold in active:
        expires = getattr(hold, "expires_on", None)  # a hold that carries its own end date
        if hold.reference in closed or expires:
            why = f"its case {hold.reference} is closed: release it when counsel agrees" \
                if hold.reference in closed else "its end date is near"
            items.append(Item(f"Legal hold {hold.label}", reverse("retention:legal_holds"), why,
                              expires, _urgency(expires, today) if expires else 3))
    return items


# --- rapid response ------------------------------------------------------------------


def _reports_to_verify():
    from quietdesk.alerts.models import Report, Stage

    return Report.objects.filter(stage=Stage.UNCONFIRMED, follows__isnull=True, expires_at__gt=timezone.now())


def _reports(user) -> list[Item]:
    items = []
    for report in _reports_to_verify().order_by("reported_at")[:50]:
        items.append(Item(f"Report {report.ref} to verify", reverse("alerts:detail", args=[report.id]),
                          f"reported {timezone.localtime(report.reported_at):%H:%M}, expires "
                          f"{timezone.localtime(report.expires_at):%H:%M}", None, 1))
    return items


def _unacknowledged(user) -> list[Item]:
    """Alerts sent to everyone that fewer members acknowledged than the escalation asks."""
    from django.db.models import Count

    from quietdesk.alerts.models import Broadcast, BroadcastKind, DeliveryState

    live = (Broadcast.objects.filter(kind__in=[BroadcastKind.CONFIRMED, BroadcastKind.URGENT],
                                     report__expires_at__gt=timezone.now(), report__purged_at__isnull=True)
            .annotate(acked=Count("deliveries", filter=Q(deliveries__state=DeliveryState.ACKNOWLEDGED)),
                      total=Count("deliveries"))
            .select_related("report").order_by("-created_at")[:20])
    return [Item(f"Alert {b.report.ref}: {b.acked} of {b.total} acknowledged",
                 reverse("alerts:detail", args=[b.report_id]), b.get_kind_display(), None, 2)
            for b in live if b.total and b.acked < b.min_acks]


# --- approvals ---------------------------------------------------------------------------


def _staff_approvals(user) -> list[Item]:
    """Staff accounts waiting for this person's approval (a second person, with a second factor)."""
    from quietdesk.staff.services import pending_approvals

    return [Item(title, url, "staff account", None, 2) for title, url in pending_approvals(user)]


def _productions(user) -> list[Item]:
    from quietdesk.legal.models import Production

    items = []
    visible = _open_cases(user)
    scopes = (Production.objects.filter(produced_at__isnull=True, case__in=visible)
              .select_related("case").order_by("scoped_at"))
    for p in scopes[:50]:
        url = reverse("legal:case", args=[p.case_id]) + f"#production-{p.id}"
        if p.decided_at and has_cap(user, Cap.PRODUCE_RECORDS):
            items.append(Item(f"Production for case {p.case.pseudonym} is ready to produce", url,
                              "the director decided to disclose: check the preview, then produce", None, 1))
        elif not p.decided_at and has_cap(user, Cap.DECIDE_CASES):
            items.append(Item(f"Production scope for case {p.case.pseudonym} needs a decision", url,
                              "disclose or refuse, with what supports it", None, 1))
    return items


def _authorizations(user, today) -> list[Item]:
    from quietdesk.legal.models import ThirdPartyAuthorization

    pending = ThirdPartyAuthorization.objects.filter(approved_at__isnull=True, revoked_at__isnull=True,
                                                     expires_on__gte=today).order_by("recorded_at")
    return [Item("A written authorization waits for a second person's approval",
                 reverse("legal:authorization", args=[a.id]), f"recorded {a.recorded_at:%Y-%m-%d}", None, 2)
            for a in pending[:50]]


# --- failures ----------------------------------------------------------------------------


def _purge_failures(user, now) -> list[Item]:
    from quietdesk.retention.models import PurgeRun

    last = PurgeRun.objects.order_by("-started_at").first()
    url = reverse("retention:overview")
    if last is None:
        return [Item("The purge has never run", url, "schedule `quietdesk purge` daily (operator's guide)", None, 2)]
    if last.status in (PurgeRun.Status.FAILED, PurgeRun.Status.INTERRUPTED):
        return [Item(f"The last purge {last.status}", url,
                     f"started {timezone.localtime(last.started_at):%Y-%m-%d %H:%M}: run `quietdesk purge` again",
                     None, 0)]
    if now - last.started_at > datetime.timedelta(days=PURGE_STALE_DAYS):
        return [Item("The purge has not run for days", url,
                     f"last run {timezone.localtime(last.started_at):%Y-%m-%d}", None, 0)]
    return []


def _checkpoint_failures(user, now) -> list[Item]:
    """The newest checkpoint file's age (its name and time only: `quietdesk audit verify` checks them)."""
    from django.conf import settings

    url = reverse("audit:log")
    try:
        folder = settings.CHECKPOINT_DIR
        newest = max((p.stat().st_mtime for p in folder.glob("checkpoint-*.txt")), default=None)
    except OSError:
        newest = None
    if newest is None:
        return [Item("No signed checkpoint of the access log", url,
                     "run `quietdesk audit checkpoint` (operator's guide)", None, 2)]
    made = datetime.datetime.fromtimestamp(newest, tz=datetime.UTC)
    if now - made > datetime.timedelta(days=CHECKPOINT_STALE_DAYS):
        return [Item("The access log has not been checked for a week", url,
                     f"last signed checkpoint {timezone.localtime(made):%Y-%m-%d}: run `quietdesk audit checkpoint`",
                     None, 0)]
    return []


# --- the home page and the badge -------------------------------------------------------


def sections(user) -> list[Section]:
    today, now = timezone.localdate(), timezone.now()
    out = []
    if has_cap(user, Cap.VIEW_CASES):
        cases = _cases(user, today) + (_legal_holds(user, today) if has_cap(user, Cap.PLACE_LEGAL_HOLD) else [])
        out.append(Section("cases", "Open cases, most urgent first", "No open case.", cases,
                           ("All cases", reverse("legal:cases"))))
    alerts = []
    if has_cap(user, Cap.VERIFY_ALERT):
        alerts += _reports(user)
    if has_cap(user, Cap.VERIFY_ALERT) or has_cap(user, Cap.MANAGE_NETWORK):
        alerts += _unacknowledged(user)
    if has_cap(user, Cap.VERIFY_ALERT) or has_cap(user, Cap.MANAGE_NETWORK):
        out.append(Section("alerts", "Reports to verify and alerts not acknowledged", "Nothing to verify.",
                           alerts, ("All reports", reverse("alerts:reports"))))
    approvals = []
    if has_cap(user, Cap.MANAGE_PRIVILEGED_STAFF) or has_cap(user, Cap.MANAGE_STAFF):
        approvals += _staff_approvals(user)
    if has_cap(user, Cap.DECIDE_CASES) or has_cap(user, Cap.PRODUCE_RECORDS):
        approvals += _productions(user)
    if has_cap(user, Cap.APPROVE_AUTHORIZATION):
        approvals += _authorizations(user, today)
    if any(has_cap(user, c) for c in (Cap.MANAGE_STAFF, Cap.DECIDE_CASES, Cap.APPROVE_AUTHORIZATION)):
        out.append(Section("approvals", "Approvals", "Nothing to approve.", approvals))
    failures = []
    if has_cap(user, Cap.VIEW_RETENTION):
        failures += _purge_failures(user, now)
    if has_cap(user, Cap.VIEW_ACCESS_LOG):
        failures += _checkpoint_failures(user, now)
    if has_cap(user, Cap.VIEW_RETENTION) or has_cap(user, Cap.VIEW_ACCESS_LOG):
        out.append(Section("failures", "Purge and audit", "The purge and the access log checks are up to date.",
                           failures))
    for section in out[1:] if out and out[0].key == "cases" else out:
        section.items.sort(key=lambda i: i.urgency)  # stable: each source's own order within a level
    return out


def has_sources(user) -> bool:
    return any(has_cap(user, c) for c in (Cap.VIEW_CASES, Cap.VERIFY_ALERT, Cap.APPROVE_AUTHORIZATION,
                                          Cap.DECIDE_CASES, Cap.MANAGE_STAFF))


def for_request(request) -> list[Section]:
    """The sections, made once per request (the home page and the header badge share them)."""
    if not hasattr(request, "_waiting_sections"):
        user = request.user
        request._waiting_sections = sections(user) if has_sources(user) else []
    return request._waiting_sections


def count(request) -> int:
    """The header badge: everything the home page lists (a few small queries, for the
    roles that have anything to wait for; the desk has none)."""
    return sum(len(s.items) for s in for_request(request))
