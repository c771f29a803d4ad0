"""The vendor register's form."""

from django import forms

from quietdesk.guide import facts
from quietdesk.patrons.validators import TEXT_VALIDATORS

from .models import Vendor
from .vendor_register import CLAUSES


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
