from decimal import Decimal

from django import forms

from quietdesk.patrons.validators import TEXT_VALIDATORS, validate_card_number


class CardField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Library card number")
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.update(autocomplete="off", inputmode="text")

    def clean(self, value):
        return validate_card_number(super().clean(value))


class BarcodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Item barcode")
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
        self.widget.attrs.update(autocomplete="off")

    def clean(self, value):
        return (super().clean(value) or "").strip().upper()


class CheckoutForm(forms.Form):
    """The barcode may be empty: a scanned card alone (Enter) asks for the items next."""

    card_number = CardField()
    barcode = BarcodeField(required=False)
    not_optional = ("barcode",)  # empty only between the card and the first item


class CheckinForm(forms.Form):
    barcode = BarcodeField()


class CardForm(forms.Form):
    card_number = CardField()


class PlaceHoldForm(forms.Form):
    card_number = CardField()
    barcode = BarcodeField()


class PayFineForm(forms.Form):
    amount = forms.DecimalField(label="Amount paid ($)", min_value=Decimal("0.01"), max_digits=7, decimal_places=2)

    @property
    def cents(self) -> int:
        return int(self.cleaned_data["amount"] * 100)


class PreferencesForm(forms.Form):
    keep_reading_history = forms.BooleanField(
        label="Keep a reading history (only the patron can see it)", required=False,
        help_text="Off unless the patron asks. Turning it off erases the history.",
    )
    patron_asked = forms.BooleanField(
        label="The patron asked for this themselves", required=False,
    )
    self_pickup = forms.BooleanField(
        label="Pick up holds from the self-service shelf (by shelf code)", required=False,
        help_text="Off: the patron's holds are kept behind the desk.",
    )

    def __init__(self, *args, currently_on: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.currently_on = currently_on

    def clean(self):
        data = super().clean()
        if data.get("keep_reading_history") and not self.currently_on and not data.get("patron_asked"):
            self.add_error("patron_asked", "Reading history is turned on only at the patron's own request.")
        return data


class IllForm(forms.Form):
    title = forms.CharField(label="Title requested", max_length=300, validators=TEXT_VALIDATORS)
    lender = forms.CharField(label="Lending library", max_length=120, validators=TEXT_VALIDATORS)


class IllActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("arrived", "Arrived"), ("complete", "Returned to lender"),
                                        ("cancel", "Cancel")])
