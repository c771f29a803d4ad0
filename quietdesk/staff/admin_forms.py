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
    email = forms.EmailField(
        required=False, max_length=254,
        help_text="The staff member's work address: they are told of changes to their account. "
                  "Their enrollment code is never emailed.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    branch = forms.ModelChoiceField(queryset=Branch.objects.all(), required=False)


class StaffActionForm(forms.Form):
    action = forms.ChoiceField(choices=[
        ("reset", "Reset sign-in (new enrollment code: new password, and new authenticator where the role needs one)"),
        ("end_sessions", "Sign out everywhere"),
        ("deactivate", "Deactivate account"),
    ])


class DecisionForm(forms.Form):
    """The approver's decision, bound to the request they were shown (``services.binding``)."""

    binding = forms.CharField(widget=forms.HiddenInput, max_length=64)
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("refuse", "Refuse")])
