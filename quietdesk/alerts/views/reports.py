"""Reports, verification, the live status page, and the public one-time acknowledgement link."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from quietdesk.audit.service import Actor
from quietdesk.staff.access import public_view, require
from quietdesk.staff.roles import Cap, has_cap

from .. import conf, inbound, services, signing
from ..forms import ConfirmBroadcastForm, FollowUpForm, SaluteForm
from ..models import Broadcast, Channel, DeliveryState, Forward, NetworkMember, Report, Stage, Tier


@require_http_methods(["GET", "POST"])
@require(Cap.FILE_ALERT)
def file_report(request):
    can_urgent = has_cap(request.user, Cap.SEND_URGENT)
    form = SaluteForm(request.POST if request.method == "POST" else None, can_send_urgent=can_urgent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # "Urgent" is a second, deliberate step: the report goes to the verifiers now, and the
        # page that follows shows who an unverified alert would reach before it is sent.
        report = services.do_file_report(Actor.from_request(request), data)
        for warning in form.warnings:
            messages.warning(request, warning)
        if report.is_empty:
            messages.warning(request, "Saved, but nothing was filled in: add what you can in an update, "
                                      "or tell a verifier.")
        if conf.members_here():
            to = "the verifiers"
        else:
            to = "the library's verifiers; once confirmed it goes to the network"
        messages.success(request, f"Report {report.ref} saved and sent to {to}.")
        if data.get("urgent") and can_urgent:
            return redirect("alerts:urgent", report_id=report.id)
        return redirect("alerts:detail", report_id=report.id)
    return render(request, "alerts/file.html", {"form": form})


@require_http_methods(["GET"])
@require(Cap.FILE_ALERT)
def reports(request):
    rows = Report.objects.filter(follows__isnull=True).order_by("-reported_at")[:100]
    return render(request, "alerts/reports.html", {"reports": rows, "now": timezone.now()})


def _status_context(report: Report) -> dict:
    broadcasts = []
    for b in Broadcast.objects.filter(report__in=[report, *report.followups.all()]).order_by("created_at"):
        rows = list(b.deliveries.all().order_by("tier", "created_at", "id"))
        counts = Counter(d.state for d in rows)
        broadcasts.append({
            "b": b, "rows": rows, "total": len(rows),
            "counts": [(s.label, counts.get(s.value, 0), s.value) for s in DeliveryState],
            "acked": counts.get(DeliveryState.ACKNOWLEDGED, 0),
            "problems": sum(1 for d in rows if d.note and d.state in (DeliveryState.PENDING, DeliveryState.FAILED)),
        })
    forwards = list(Forward.objects.filter(report__in=[report, *report.followups.all()]).order_by("created_at"))
    return {"report": report, "broadcasts": broadcasts, "forwards": forwards, "updated": timezone.now(),
            "network_elsewhere": not conf.members_here()}


@require_http_methods(["GET"])
@require(Cap.FILE_ALERT)
def detail(request, report_id):
    report = get_object_or_404(Report, pk=report_id, follows__isnull=True)
    context = _status_context(report)
    context.update(
        warnings=services.warnings_for(report),
        followups=report.followups.order_by("reported_at"),
        can_verify=has_cap(request.user, Cap.VERIFY_ALERT),
        can_urgent=has_cap(request.user, Cap.SEND_URGENT),
        open=report.stage == Stage.UNCONFIRMED and report.expires_at > timezone.now(),
        follow_form=FollowUpForm(),
    )
    return render(request, "alerts/detail.html", context)


@require_http_methods(["GET"])
@require(Cap.FILE_ALERT)
def status(request, report_id):
    """The status table alone: the detail page's script fetches it every few seconds."""
    report = get_object_or_404(Report, pk=report_id, follows__isnull=True)
    return render(request, "alerts/_status.html", _status_context(report))


def _decision(request, report_id, action, done: str):
    report = get_object_or_404(Report, pk=report_id, follows__isnull=True)
    try:
        action(Actor.from_request(request), report)
    except services.NotAllowedNow as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("alerts:detail", report_id=report.id)


def audience(up_to: int = services.ALL_TIERS) -> dict:
    """Who a broadcast to everyone reaches: members per channel and per tier (no names). When the
    network lives outside the library, the library cannot know: it forwards to the group's instance."""
    if not conf.members_here():
        return {"remote": True, "total": None, "channels": [], "tiers": []}
    members = NetworkMember.objects.filter(tier__lte=up_to)
    by_channel = dict(members.values_list("channel").annotate(n=Count("id")))
    by_tier = dict(members.values_list("tier").annotate(n=Count("id")))
    return {
        "total": sum(by_channel.values()),
        "channels": [(label, by_channel.get(value, 0)) for value, label in Channel.choices if by_channel.get(value)],
        "tiers": [(label, by_tier.get(value, 0)) for value, label in Tier.choices if by_tier.get(value)],
    }


def _send_to_everyone(request, report_id, action, done: str, template: str):
    """Sending to everyone is irreversible: GET shows who it reaches, a confirmed POST sends."""
    report = get_object_or_404(Report, pk=report_id, follows__isnull=True)
    form = ConfirmBroadcastForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return _decision(request, report_id, action, done)
    return render(request, template, {"report": report, "form": form, "audience": audience(),
                                      "open": report.stage == Stage.UNCONFIRMED and report.expires_at > timezone.now(),
                                      "warnings": services.warnings_for(report)},
                  status=400 if request.method == "POST" else 200)


@require(Cap.VERIFY_ALERT)
@require_http_methods(["GET", "POST"])
def confirm(request, report_id):
    return _send_to_everyone(request, report_id, services.do_confirm_report, "Confirmed: sending to everyone.",
                             "alerts/confirm.html")


@require(Cap.VERIFY_ALERT)
@require_POST
def mark_false(request, report_id):
    return _decision(request, report_id, services.do_mark_false,
                     "Marked false: those who got it are told to disregard it.")


@require(Cap.SEND_URGENT)
@require_http_methods(["GET", "POST"])
def urgent(request, report_id):
    return _send_to_everyone(request, report_id, services.do_send_urgent,
                             "Sent to everyone as urgent; the message says it was not verified.",
                             "alerts/urgent.html")


@require_http_methods(["GET", "POST"])
@require(Cap.VERIFY_ALERT)
def follow_up(request, report_id):
    report = get_object_or_404(Report, pk=report_id, follows__isnull=True)
    form = FollowUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_follow_up(Actor.from_request(request), report, form.cleaned_data["msg_type"], form.cleaned_data["text"])
        except services.NotAllowedNow as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Sent to everyone who was told about this report.")
        return redirect("alerts:detail", report_id=report.id)
    return render(request, "alerts/follow_up.html", {"form": form, "report": report})


@require_http_methods(["GET"])
@require(Cap.FILE_ALERT)
def codebook(request):
    book = conf.codebook()
    order = ["unconfirmed", "confirmed", "urgent", "update", "cancel", "retract", "exercise", "test"]
    meaning = {
        "unconfirmed": "Something may be happening: verifiers, please check.",
        "confirmed": "Confirmed enforcement activity at or near the library.",
        "urgent": "Urgent, sent without verification.",
        "update": "There is an update: check Signal or call the library.",
        "cancel": "All clear.",
        "retract": "False alarm: disregard the last message.",
        "exercise": "Put before any word during a drill.",
        "test": "Put before any word during a test of the system.",
    }
    return render(request, "alerts/codebook.html", {"entries": [(book[k], meaning[k]) for k in order]})


@public_view
@require_http_methods(["GET", "POST"])
def acknowledge(request, token):
    """Same page for every token, used or not, right or wrong: it reveals nothing."""
    if request.method == "POST":
        services.do_acknowledge(token)
        return render(request, "alerts/ack.html", {"done": True})
    return render(request, "alerts/ack.html", {"done": False})


def _inbound(request):
    if conf.network_mode() != conf.HUB:
        raise Http404
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if not 0 < length <= signing.MAX_BODY:
        return JsonResponse({"error": "a signed JSON body of at most 16 KB expected"}, status=413 if length > 0 else 400)
    status, answer = inbound.receive(request.headers, request.body)
    return JsonResponse(answer, status=status)


# The network's own instance: reports forwarded by libraries, accepted only with their
# signature (no session, so no CSRF token: the HMAC is the authentication).
inbound_report = public_view(csrf_exempt(require_POST(_inbound)))
