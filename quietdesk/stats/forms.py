from decimal import Decimal

from django import forms
from django.conf import settings

from quietdesk.guide import facts
from quietdesk.patrons.validators import TEXT_VALIDATORS

from .models import Vendor
from .queries import QUERIES
from .vendors import CLAUSES

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


class VendorForm(forms.Form):
    """Every field optional: an incomplete entry is saved and flagged, not refused."""

    name = forms.CharField(max_length=120, required=False, validators=TEXT_VALIDATORS)
    service = forms.ChoiceField(choices=[("", "(not given)"), *Vendor.Service.choices], required=False)
    holds = forms.CharField(label="What they hold", max_length=300, required=False, validators=TEXT_VALIDATORS,
                            help_text="For example: names and card numbers of patrons who borrow e-books.")
    categories = forms.MultipleChoiceField(
        label="Categories of patron records", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(c, str(facts.CATEGORY_LABELS[c])) for c in facts.HELD])
    clauses = forms.MultipleChoiceField(label="Contract clauses confirmed", required=False,
                                        widget=forms.CheckboxSelectMultiple, choices=CLAUSES)
    contract_ends_on = forms.DateField(label="Contract ends on", required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))
    next_review_on = forms.DateField(label="Next review", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    privacy_policy_url = forms.URLField(label="Vendor's privacy policy (web address)", required=False,
                                        assume_scheme="https")
    contact = forms.CharField(label="Vendor contact (role or office)", max_length=200, required=False,
                              validators=TEXT_VALIDATORS)
    notes = forms.CharField(max_length=500, required=False, validators=TEXT_VALIDATORS,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(f) for f in self.fields):
            raise forms.ValidationError("Nothing to save: fill in at least the vendor's name.")
        return data

    @classmethod
    def initial_for(cls, vendor: Vendor) -> dict:
        return {
            "name": vendor.name, "service": vendor.service, "holds": vendor.holds, "categories": vendor.category_list,
            "clauses": [k for k, ok in (vendor.clauses or {}).items() if ok], "contract_ends_on": vendor.contract_ends_on,
            "next_review_on": vendor.next_review_on, "privacy_policy_url": vendor.privacy_policy_url,
            "contact": vendor.contact, "notes": vendor.notes,
        }
