"""Staff accounts: asking for changes, and the director deciding them. No patron data here.

The rules are in ``approval.py``, the work in ``services.py``: these views only show
and submit. An enrollment code appears once, in the answer to the director's approval
(or to the director's own change that needs none), and is never stored in clear.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from .. import account_mail, enrollment, services
from ..access import require
from ..admin_forms import DecisionForm, RoleForm, StaffActionForm, StaffForm
from ..approval import KIND_LABELS, Kind, refusal_to_approve, refusal_to_ask
from ..models import StaffChange, StaffUser
from ..roles import ROLE_LABELS, Cap, Role, has_cap


def _said(request, outcome: services.Outcome) -> None:
    """Tell the requester what happened, and only what did (the director's email included)."""
    change = StaffChange.objects.get(pk=outcome.change.pk)  # the notice status is written on commit
    if outcome.waiting:
        notice = account_mail.NOTICE_WORDS.get(change.asked_notice, change.asked_notice)
        messages.success(request, f"Asked: nothing changes until the director or designee approves it; {notice}.")
    else:
        notice = account_mail.NOTICE_WORDS.get(change.done_notice, change.done_notice)
        messages.success(request, f"Done; {notice}.")


def _recent():
    changes = StaffChange.objects.select_related("requested_by", "decided_by").order_by("-requested_at")
    pending = [c for c in changes.filter(state=StaffChange.State.PENDING) if not services.is_expired(c)]
    return pending, list(changes.exclude(pk__in=[c.pk for c in pending])[:20])


@require_http_methods(["GET", "POST"])
@require(Cap.MANAGE_STAFF)
def staff_list(request):
    form = StaffForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = services.do_request(request.user, Kind.CREATE, username=data["username"], role=data["role"],
                                          branch=data["branch"], email=data["email"])
        except services.ChangeError as exc:
            form.add_error(None, str(exc))
        else:
            if outcome.code:
                return _show_code(request, outcome)
            _said(request, outcome)
            return redirect("staff:admin_list")
    staff = StaffUser.objects.select_related("branch").order_by("username")
    pending, recent = _recent()
    return render(request, "staff/admin_list.html", {
        "form": form, "staff": staff, "pending": pending, "recent": recent, "kinds": KIND_LABELS,
        "may_approve": has_cap(request.user, Cap.APPROVE_STAFF_CHANGE),
    }, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@require(Cap.MANAGE_STAFF, hide=True)
def staff_detail(request, user_id: int):
    member = get_object_or_404(StaffUser, pk=user_id)
    role_form = RoleForm(initial={"role": member.role, "branch": member.branch})
    action_form = StaffActionForm()
    may_ask = refusal_to_ask(request.user.role, own_account=member == request.user, kind=Kind.RESET,
                             role_before=member.role, role_after=member.role) is None
    if request.method == "POST":
        kind, extra = None, {}
        if "role" in request.POST:
            role_form = RoleForm(request.POST)
            if role_form.is_valid():
                kind, extra = Kind.ROLE, {"role": role_form.cleaned_data["role"],
                                          "branch": role_form.cleaned_data["branch"]}
        else:
            action_form = StaffActionForm(request.POST)
            if action_form.is_valid():
                kind = Kind(action_form.cleaned_data["action"])
        if kind is not None:
            try:
                outcome = services.do_request(request.user, kind, account=member, **extra)
            except services.ChangeError as exc:
                messages.error(request, str(exc))
            else:
                if outcome.code:
                    return _show_code(request, outcome)
                _said(request, outcome)
            return redirect("staff:admin_detail", user_id=member.pk)
    return render(request, "staff/admin_detail.html", {
        "member": member, "role_form": role_form, "action_form": action_form, "may_ask": may_ask,
        "changes": member.changes.select_related("requested_by", "decided_by").order_by("-requested_at")[:20],
        "kinds": KIND_LABELS,
    }, status=400 if request.method == "POST" else 200)


def _role_label(role: str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return role


def _change_context(request, change: StaffChange) -> dict:
    refusal = refusal_to_approve(
        request.user.role, second_factor=services.second_factor_passed(request.user),
        asked_by_approver=change.requested_by_id == request.user.pk,
        holds_the_account=change.account_id is not None and change.account_id == request.user.pk,
    )
    pending = change.state == StaffChange.State.PENDING
    return {
        "change": change, "kind_label": KIND_LABELS.get(change.kind, change.kind),
        "role_label": _role_label(change.role), "role_before_label": _role_label(change.role_before),
        "expired": services.is_expired(change),
        "may_decide": pending and has_cap(request.user, Cap.APPROVE_STAFF_CHANGE),
        "may_approve": pending and refusal is None, "why_not": refusal,
        "form": DecisionForm(initial={"binding": services.binding(change)}),
        "asked_notice": account_mail.NOTICE_WORDS.get(change.asked_notice, change.asked_notice),
        "done_notice": account_mail.NOTICE_WORDS.get(change.done_notice, change.done_notice),
    }


def _get_change(change_id) -> StaffChange:
    return get_object_or_404(StaffChange.objects.select_related("branch", "requested_by", "decided_by", "account"),
                             pk=change_id)


@require_http_methods(["GET"])
@require(Cap.MANAGE_STAFF, hide=True)
def change_detail(request, change_id):
    return render(request, "staff/change.html", _change_context(request, _get_change(change_id)))


@require(Cap.APPROVE_STAFF_CHANGE, hide=True)
@require_http_methods(["POST"])
def change_decide(request, change_id):
    change = _get_change(change_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Open the change again and choose Approve or Refuse.")
        return redirect("staff:change", change_id=change.id)
    try:
        if form.cleaned_data["decision"] == "approve":
            outcome = services.do_approve(request.user, change, form.cleaned_data["binding"])
        else:
            services.do_refuse(request.user, change, form.cleaned_data["binding"])
            messages.success(request, "Refused: nothing was changed.")
            return redirect("staff:change", change_id=change.id)
    except services.ChangeError as exc:
        messages.error(request, str(exc))
        return redirect("staff:change", change_id=change.id)
    if outcome.code:
        return _show_code(request, outcome)
    _said(request, outcome)
    return redirect("staff:change", change_id=change.id)


def _show_code(request, outcome: services.Outcome):
    """The enrollment code, once: in this answer only (``Cache-Control: no-store``), to a director."""
    if not has_cap(request.user, Cap.APPROVE_STAFF_CHANGE) or not outcome.code:  # approval.py: codes go only to a director
        raise Http404
    change = StaffChange.objects.select_related("branch", "requested_by", "decided_by").get(pk=outcome.change.pk)
    context = _change_context(request, change)
    context.update({"code": enrollment.grouped(outcome.code), "enroll_address": enrollment.page_address(),
                    "code_expires_at": outcome.code_expires_at})
    return render(request, "staff/change.html", context)
