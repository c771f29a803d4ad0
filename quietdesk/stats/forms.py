from decimal import Decimal

from django import forms
from django.conf import settings

from .queries import QUERIES

MONTH = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM", "pattern": r"\d{4}-\d{2}"})


class QueryForm(forms.Form):
    kind = forms.ChoiceField(label="Statistic", choices=[(q.kind, q.label) for q in QUERIES.values()],
                             widget=forms.RadioSelect, initial="circulation")
    first_month = forms.RegexField(label="From month", regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False, widget=MONTH,
                                   help_text="YYYY-MM. Empty: the twelve months that end with the month below. "
                                             "Not used for items out now.")
    last_month = forms.RegexField(label="To month", regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False, widget=MONTH,
                                  help_text="YYYY-MM. Empty: the last complete month.")
    epsilon = forms.DecimalField(label="Privacy budget to spend (epsilon)", min_value=Decimal("0.01"),
                                 max_digits=6, decimal_places=2, required=False,
                                 help_text="Spent on every month asked for. Smaller: more noise, more left for later.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = Decimal(str(settings.QUIETDESK_DP_EPSILON_PER_QUERY))
        self.fields["epsilon"].widget.attrs["placeholder"] = str(default)
        self.fields["epsilon"].help_text += f" Empty: {default:g}."

    def clean_epsilon(self):
        value = self.cleaned_data["epsilon"]
        if value is None:
            return None  # the default (QUIETDESK_DP_EPSILON_PER_QUERY)
        budget = Decimal(str(settings.QUIETDESK_DP_EPSILON_BUDGET))
        if value > budget:
            raise forms.ValidationError(f"At most {budget} (the whole budget of one month).")
        return value
