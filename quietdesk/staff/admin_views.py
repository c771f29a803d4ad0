"""The administrator's staff pages: accounts, roles, sessions. No patron data here."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from quietdesk.audit.service import Actor

from . import services
from .access import require
from .admin_forms import RoleForm, StaffActionForm, StaffForm
from .models import StaffUser
from .roles import PRIVILEGED_ROLES, Cap, has_cap


def _may_manage(user, member_role: str, new_role: str | None = None) -> bool:
    """The administrator manages desk accounts; privileged ones need the director."""
    touches_privileged = member_role in PRIVILEGED_ROLES or (new_role in PRIVILEGED_ROLES)
    return not touches_privileged or has_cap(user, Cap.MANAGE_PRIVILEGED_STAFF)


@require_http_methods(["GET", "POST"])
@require(Cap.MANAGE_STAFF)
def staff_list(request):
    form = StaffForm(request.POST if request.method == "POST" else None)
    new_password = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if StaffUser.objects.filter(username=data["username"]).exists():
            form.add_error("username", "That username is taken.")
        elif not _may_manage(request.user, data["role"]):
            form.add_error("role", "Only the director can create accounts with this role.")
        else:
            user, new_password = services.do_create_staff(
                Actor.for_user(request.user), username=data["username"], role=data["role"], branch=data["branch"]
            )
            form = StaffForm()
    staff = StaffUser.objects.select_related("branch").order_by("username")
    return render(request, "staff/admin_list.html", {"form": form, "staff": staff, "new_password": new_password})


@require_http_methods(["GET", "POST"])
@require(Cap.MANAGE_STAFF, hide=True)
def staff_detail(request, user_id: int):
    member = get_object_or_404(StaffUser, pk=user_id)
    actor = Actor.for_user(request.user)
    role_form = RoleForm(initial={"role": member.role, "branch": member.branch})
    action_form = StaffActionForm()
    new_password = None
    may_manage = member != request.user and _may_manage(request.user, member.role)
    if request.method == "POST" and not may_manage:
        messages.error(request, "Only the director can change this account." if member != request.user
                       else "Ask another administrator or the director to change your own account.")
        return redirect("staff:admin_detail", user_id=member.pk)
    if request.method == "POST" and "role" in request.POST:
        role_form = RoleForm(request.POST)
        if role_form.is_valid() and not _may_manage(request.user, member.role, role_form.cleaned_data["role"]):
            role_form.add_error("role", "Only the director can grant this role.")
        elif role_form.is_valid():
            services.do_change_role(actor, member, role_form.cleaned_data["role"], role_form.cleaned_data["branch"])
            messages.success(request, "Role saved; the account was signed out everywhere.")
            return redirect("staff:admin_detail", user_id=member.pk)
    elif request.method == "POST":
        action_form = StaffActionForm(request.POST)
        if action_form.is_valid():
            action = action_form.cleaned_data["action"]
            if action == "reset_password":
                new_password = services.do_reset_password(actor, member)
            elif action == "reset_2fa":
                services.do_reset_second_factor(actor, member)
                messages.success(request, "Second factor reset: a new authenticator is set up at next sign-in.")
            elif action == "end_sessions":
                services.end_sessions(member)
                messages.success(request, "Signed out everywhere.")
            elif action == "deactivate":
                services.do_deactivate(actor, member)
                messages.success(request, "Account deactivated.")
    return render(request, "staff/admin_detail.html", {
        "member": member, "role_form": role_form, "action_form": action_form, "new_password": new_password,
        "may_manage": may_manage,
    })
