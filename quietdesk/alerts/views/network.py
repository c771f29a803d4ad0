"""Managing the consented network: list, add, import and export CSV, remove (crypto-shred)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from quietdesk.audit.service import Actor
from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap

from .. import conf, network
from ..csv_uploads import memory_uploads
from ..forms import ConfirmRemoveForm, ImportForm, MemberForm
from ..models import NetworkMember


def _members_here(view):
    """Where the network lives at the organizing group's instance, its pages are not here."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not conf.members_here():
            return render(request, "alerts/network_elsewhere.html", status=404)
        return view(request, *args, **kwargs)

    return wrapped


@require_http_methods(["GET"])
@require(Cap.MANAGE_NETWORK)
@_members_here
def members(request):
    rows = list(NetworkMember.objects.all())
    values = network.read_members(Actor.from_request(request), rows, purpose="manage the rapid response network")
    return render(request, "alerts/network.html", {"members": list(zip(rows, values, strict=True))})


@require_http_methods(["GET", "POST"])
@require(Cap.MANAGE_NETWORK)
@_members_here
def add(request):
    form = MemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            member = network.do_add_member(Actor.from_request(request), form.cleaned_data)
        except network.DuplicateAddress as exc:
            form.add_error("address", str(exc))
        else:
            messages.success(request, f"Added {member.pseudonym} to the network.")
            return redirect("alerts:network")
    return render(request, "alerts/member_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@require(Cap.MANAGE_NETWORK)
@memory_uploads
@_members_here
def import_csv(request):
    """The CSV (names and phone numbers) is held in memory only, never spooled to disk."""
    form = ImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        result = network.do_import_members(Actor.from_request(request), form.cleaned_data["file"])
        if result.errors:
            errors = result.errors
        else:
            messages.success(request, f"Imported {result.added} members.")
            return redirect("alerts:network")
    return render(request, "alerts/import.html", {"form": form, "errors": errors})


@require_http_methods(["GET", "POST"])
@require(Cap.MANAGE_NETWORK)
@_members_here
def export_csv(request):
    """POST only downloads: a link prefetched by a browser must not decrypt the whole network."""
    if request.method == "GET":
        return render(request, "alerts/export.html", {"count": NetworkMember.objects.count()})
    body = network.export_csv(Actor.from_request(request))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="network-{timezone.localdate().isoformat()}.csv"'
    return response


@require_http_methods(["GET", "POST"])
@require(Cap.MANAGE_NETWORK)
@_members_here
def remove(request, member_id):
    member = get_object_or_404(NetworkMember, pk=member_id)
    form = ConfirmRemoveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        network.do_remove_member(Actor.from_request(request), member, reason="removed at the member's request")
        messages.success(request, f"{member.pseudonym} was removed and their details destroyed.")
        return redirect("alerts:network")
    return render(request, "alerts/remove.html", {"form": form, "member": member})
