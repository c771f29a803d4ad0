from django import forms

from quietdesk.core.models import Branch

from .roles import ROLE_LABELS, Role


class StaffForm(forms.Form):
    username = forms.RegexField(
        regex=r"^[a-z0-9._-]{2,40}$", max_length=40,
        error_messages={"invalid": "2 to 40 lower-case letters, digits, dots, dashes or underscores."},
        help_text="A work username, not a patron's name.",
    )
    role = forms.ChoiceField(choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    branch = forms.ModelChoiceField(queryset=Branch.objects.all(), required=False)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    branch = forms.ModelChoiceField(queryset=Branch.objects.all(), required=False)


class StaffActionForm(forms.Form):
    action = forms.ChoiceField(choices=[
        ("reset_password", "Reset password"), ("reset_2fa", "Reset second factor"),
        ("end_sessions", "Sign out everywhere"), ("deactivate", "Deactivate account"),
    ])
