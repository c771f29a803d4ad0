from django import forms

from quietdesk.patrons.validators import TEXT_VALIDATORS, validate_card_number

from .models import HOLDABLE


class LegalHoldForm(forms.Form):
    reference = forms.CharField(label="Order or docket number", max_length=80, validators=TEXT_VALIDATORS,
                                help_text="The number on the order only: no names.")
    served_on = forms.DateField(label="Served on", widget=forms.DateInput(attrs={"type": "date"}))
    scope = forms.ChoiceField(label="Whose records", widget=forms.RadioSelect, initial="patron", choices=[
        ("patron", "One patron (give their card number)"),
        ("all", "Everyone's records in these categories and dates"),
    ])
    card_number = forms.CharField(label="Patron's card number", max_length=40, required=False)
    categories = forms.MultipleChoiceField(label="Categories to preserve", choices=HOLDABLE,
                                           widget=forms.CheckboxSelectMultiple)
    date_from = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("scope") == "patron":
            card = (data.get("card_number") or "").strip()
            if not card:
                self.add_error("card_number", "Give the card number of the patron the order names.")
            else:
                try:
                    data["card_number"] = validate_card_number(card)
                except forms.ValidationError as exc:
                    self.add_error("card_number", exc)
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The range ends before it starts.")
        return data


class ReleaseForm(forms.Form):
    reason = forms.CharField(label="Why it is released", max_length=200, validators=TEXT_VALIDATORS,
                             help_text="For example: order withdrawn, case closed, records produced.")
