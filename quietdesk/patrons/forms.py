from django import forms
from django.conf import settings

from .models import AgeBand
from .validators import PERSON_TEXT_VALIDATORS, validate_card_number


class PatronForm(forms.Form):
    """Registration and edits: only what lending needs."""

    given_name = forms.CharField(label="First name", max_length=100, validators=PERSON_TEXT_VALIDATORS)
    family_name = forms.CharField(label="Last name", max_length=100, required=False,
                                  validators=PERSON_TEXT_VALIDATORS)
    card_number = forms.CharField(label="Library card number", max_length=40)
    contact = forms.ChoiceField(
        label="How should we reach them?",
        choices=[("email", "Email"), ("phone", "Phone"), ("none", "They prefer not to say")],
        widget=forms.RadioSelect,
        initial="email",
    )
    email = forms.EmailField(label="Email", max_length=254, required=False)
    phone = forms.RegexField(
        label="Phone",
        regex=r"^[0-9+()\-.\s]{7,25}$",
        max_length=25,
        required=False,
        error_messages={"invalid": "Use digits, spaces, +, dashes or brackets (7 to 25 characters)."},
    )
    address = forms.CharField(
        label="Postal address", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        validators=PERSON_TEXT_VALIDATORS,
    )
    age_band = forms.ChoiceField(label="Age", choices=AgeBand.choices, initial=AgeBand.ADULT)
    age_band_changes_on = forms.DateField(
        label="For minors: month of their next birthday that changes the band (13th or 18th)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    notes = forms.CharField(
        label="Note (only what lending needs)", max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}), validators=PERSON_TEXT_VALIDATORS,
        help_text="Never write immigration status, nationality, health or identity numbers here.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.COLLECT_ADDRESS:
            del self.fields["address"]

    def clean_card_number(self):
        return validate_card_number(self.cleaned_data["card_number"])

    def clean(self):
        data = super().clean()
        contact = data.get("contact")
        if contact == "email":
            data["phone"] = ""
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", "Enter an email address, or choose another way to reach them.")
        elif contact == "phone":
            data["email"] = ""
            if not data.get("phone") and "phone" not in self.errors:
                self.add_error("phone", "Enter a phone number, or choose another way to reach them.")
        elif contact == "none":
            data["email"] = data["phone"] = ""
        phone = data.get("phone") or ""
        if phone:
            digits = sum(ch.isdigit() for ch in phone)
            if digits < 7:
                self.add_error("phone", "A phone number has at least 7 digits.")
        band = data.get("age_band")
        if band == AgeBand.ADULT:
            data["age_band_changes_on"] = None
        elif band and not data.get("age_band_changes_on"):
            self.add_error("age_band_changes_on", "For a minor, give the month their age band changes.")
        return data


class FindPatronForm(forms.Form):
    BY = [("card_number", "Card number"), ("full_name", "Name: any whole word of it"), ("email", "Email")]
    by = forms.ChoiceField(label="Find by", choices=BY, initial="card_number", widget=forms.RadioSelect)
    query = forms.CharField(label="Search for", max_length=200,
                            widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
                            help_text="A card can be scanned. A name: one whole word or more, in any order "
                                      "(\"garcia\", \"maria garcia\"); accents and capitals do not matter.")


class ConfirmDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand this permanently destroys this patron's record, in backups too.",
        required=True,
    )
