from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    username = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(max_length=512, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


def totp_field(*, autofocus: bool) -> forms.RegexField:
    attrs = {"inputmode": "numeric", "autocomplete": "one-time-code"} | ({"autofocus": True} if autofocus else {})
    return forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        label="Six-digit code from your authenticator app",
        error_messages={"invalid": "Enter the six digits shown in your authenticator app."},
        widget=forms.TextInput(attrs=attrs),
    )


class CodeForm(forms.Form):
    code = totp_field(autofocus=True)


class EnrollmentCodeForm(forms.Form):
    enrollment_code = forms.RegexField(
        regex=r"^[A-Za-z0-9\s-]{20,40}$", max_length=40, label="Enrollment code",
        error_messages={"invalid": "Type the code as the director gave it to you (letters and digits)."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}),
    )


class EnrollForm(forms.Form):
    """Choose a password, and confirm the authenticator when the role needs one."""

    new_password1 = forms.CharField(
        label="New password", max_length=512, strip=False,
        help_text="At least 12 characters; a few unrelated words are easy to remember and hard to guess.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="The same password again", max_length=512, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, needs_authenticator: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_authenticator:
            self.fields["code"] = totp_field(autofocus=False)

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "The two passwords differ.")
        return data
