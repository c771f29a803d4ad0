"""Forms. Vocabulary fields refuse unknown words with a message listing the valid ones."""

from __future__ import annotations

import re
from typing import cast

from django import forms
from django.utils import timezone

from quietdesk.patrons.validators import (
    PERSON_TEXT_VALIDATORS,
    TEXT_VALIDATORS,
    validate_card_number,
)
from quietdesk.policy import vocab

from . import registry, words
from .document_uploads import DocumentsField
from .models import SubpoenaOutcome, Verdict


class VocabChoiceField(forms.ChoiceField):
    """A ChoiceField whose error for an unknown word lists every valid word."""

    def __init__(self, *, kind: str, choices, **kwargs):
        self.kind = kind
        super().__init__(choices=choices, **kwargs)

    def validate(self, value):
        try:
            super().validate(value)
        except forms.ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            valid = ", ".join(str(k) for k, _ in self.choices if k != "")
            raise forms.ValidationError(
                f"Unknown {self.kind} {value!r}. Valid {self.kind}s: {valid}.", code="invalid_choice"
            ) from None


class VocabMultipleChoiceField(forms.MultipleChoiceField):
    def __init__(self, *, kind: str, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def validate(self, value):
        try:
            super().validate(value)
        except forms.ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            valid = ", ".join(str(k) for k, _ in self.choices)
            raise forms.ValidationError(f"Unknown {self.kind} in {value!r}. Valid {self.kind}s: {valid}.",
                                        code="invalid_choice") from None


def _text(label, max_length=200, **kwargs):
    kwargs.setdefault("required", False)
    return forms.CharField(label=label, max_length=max_length, validators=TEXT_VALIDATORS, **kwargs)


def _date(label, **kwargs):
    kwargs.setdefault("required", False)
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


DESK_DOCUMENTS = [("", "No document, or not shown yet"), ("read", "Read the photo for me")] + [
    (d, words.DOCUMENT[d]) for d in vocab.DOCUMENTS if d != "none"
]
READ = "read"


class DeskForm(forms.Form):
    """Someone is asking. Every field may be skipped."""

    requester = VocabChoiceField(
        kind="requester", label="Who is asking?", required=False, widget=forms.RadioSelect,
        choices=[(r, words.REQUESTER[r]) for r in words.DESK_REQUESTERS] + [("", "Not sure")],
    )
    category = VocabChoiceField(
        kind="category", label="What do they want?", required=False, widget=forms.RadioSelect,
        choices=[(c, words.CATEGORY[c]) for c in vocab.ASKABLE] + [("", "Not sure")],
    )
    document = VocabChoiceField(kind="document", label="Did they show a document?", required=False,
                                choices=DESK_DOCUMENTS)
    files = DocumentsField(label="Photos or scans of the document",  # type: ignore[assignment]  # a field named "files": the form metaclass moves it into base_fields
                           help_text="Take a photo of each page. They are stored encrypted.")
    officer_name = _text("Officer's name")
    badge = _text("Badge number", 60)
    agency = _text("Agency")
    purpose = _text("What they said the visit is for", 1000, widget=forms.Textarea(attrs={"rows": 2}))
    respond_to = _text("To whom should the library's response be sent?", 300)
    statement = _text("What the officer said or did (anything else)", 4000, widget=forms.Textarea(attrs={"rows": 3}))
    concerns_staff = forms.BooleanField(label="The request is about a member of staff", required=False)
    return_date = _date("Return date on the document, if any")


class NoteForm(forms.Form):
    KINDS = [("statement", "What the officer said or did"), ("note", "Note")]
    kind = VocabChoiceField(kind="note kind", choices=KINDS, initial="statement", label="This is")
    text = _text("Text", 4000, required=True, widget=forms.Textarea(attrs={"rows": 3}))


class AddDocumentsForm(forms.Form):
    files = DocumentsField(label="Photos or scans", required=True)  # type: ignore[assignment]  # a field named "files": the form metaclass moves it into base_fields


class CaseUpdateForm(forms.Form):
    requester = VocabChoiceField(kind="requester", label="Who asked", required=False,
                                 choices=[("", "Not recorded")] + [(r, words.REQUESTER[r]) for r in vocab.REQUESTERS])
    category = VocabChoiceField(kind="category", label="What they asked for", required=False,
                                choices=[("", "Not recorded")] + [(c, words.CATEGORY[c]) for c in vocab.ASKABLE])
    document = VocabChoiceField(kind="document", label="Document", choices=[(d, words.DOCUMENT[d]) for d in vocab.DOCUMENTS])
    return_date = _date("Return date (subpoena) or deadline")
    nondisclosure = forms.BooleanField(
        label="Under a non-disclosure requirement (only the library's administration may know)", required=False)
    concerns_staff = forms.BooleanField(label="The request concerns a member of staff", required=False)
    staff_informed_on = _date("The staff member was informed on")
    reason = _text("Why (needed when the document changes)", 2000,
                   widget=forms.Textarea(attrs={"rows": 2}),
                   help_text="Kept in the case's timeline. A FISA order or a National Security Letter stays "
                             "under non-disclosure whatever is ticked above.")


class MoveForm(forms.Form):
    state = VocabChoiceField(kind="state", choices=[("with_director", "With the director"),
                                                   ("with_counsel", "With counsel")], label="Move to")


class DecideForm(forms.Form):
    verdict = VocabChoiceField(kind="decision", choices=Verdict.choices, widget=forms.RadioSelect, label="Decision")
    support = _text("What information and circumstances support this decision (required to disclose)", 4000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text="Policy III.C.2.i: the director documents why disclosure was made.")


class SubpoenaDecisionForm(forms.Form):
    """The director's and counsel's decision on a subpoena (a second person confirms it)."""

    outcome = VocabChoiceField(kind="decision", choices=SubpoenaOutcome.choices, widget=forms.RadioSelect,
                               label="Decision")
    basis = _text("Legal basis", 4000, required=True, widget=forms.Textarea(attrs={"rows": 4}),
                  help_text="Counsel's advice and what it rests on. Sealed in the case, never put in a package "
                            "(policy III.C.2.i).")
    counsel = _text("Counsel who advised (name or office)", 200, required=True)
    counsel_advised_on = _date("Day counsel advised", required=True)


class StaffNoticeForm(forms.Form):
    """The bargaining clause: tell the staff member, and give them a copy within three calendar days."""

    informed_on = _date("Told about the request on")
    copy_on = _date("Given a copy of the request on")
    delivered_by = _text("Copy given by", 150, help_text="The name of whoever handed it over (kept sealed in the "
                                                        "case). Leave blank to keep the one already recorded.")


class ConfirmProductionForm(forms.Form):
    confirm = forms.BooleanField(
        label="I checked this against the order: these records, of this patron, for these dates, leave the "
              "library. This cannot be undone.", required=True)


class CloseForm(forms.Form):
    note = _text("Closing note", 2000, widget=forms.Textarea(attrs={"rows": 2}))
    # ICE protocol, "When ICE Succeeds": closing after a detention offers the follow-up checklist.
    after_detention = forms.BooleanField(
        label="Someone was detained or deported", required=False,
        help_text="The guide's follow-up checklist (When ICE succeeds) opens next.")


class CardForm(forms.Form):
    """Finding the patron by card number (POST only: a card number never goes in a URL)."""

    card_number = forms.CharField(label="Library card number", max_length=40)

    def clean_card_number(self):
        return validate_card_number(self.cleaned_data["card_number"])


def _judicial_choices():
    return [(d, words.DOCUMENT[d]) for d in vocab.DOCUMENTS if d in vocab.JUDICIAL_DOCUMENTS]


def _producible():
    return [(c, words.CATEGORY_SHORT[c]) for c in registry.categories()]


class ScopeForm(CardForm):
    """What the judge-signed order names."""

    document = VocabChoiceField(kind="document", label="The order is a", choices=[])
    categories = VocabMultipleChoiceField(kind="category", label="Records the order names",
                                          widget=forms.CheckboxSelectMultiple, required=False)
    date_from = _date("From (as named on the order)")
    date_to = _date("To (as named on the order)")
    files = DocumentsField(label="Copy of the order (photo or scan)",  # type: ignore[assignment]  # a field named "files": the form metaclass moves it into base_fields
                           help_text="Or choose a document already copied into the case below.")
    existing = forms.ChoiceField(label="…or a document already in the case", required=False, choices=[])

    def __init__(self, *args, documents=(), subpoena: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["card_number"].label = "Card number of the patron the order names"
        # A case that records a subpoena may scope that subpoena (produced only on a two-person decision).
        cast(forms.ChoiceField, self.fields["document"]).choices = ([(subpoena, words.DOCUMENT.get(subpoena, subpoena))] if subpoena else []) \
            + _judicial_choices()
        cast(forms.MultipleChoiceField, self.fields["categories"]).choices = _producible()
        cast(forms.ChoiceField, self.fields["existing"]).choices = [("", "—")] + [
            (str(d.id), f"{label or 'document'} ({words.DOCUMENT.get(d.kind, d.kind)})" if d.kind else label or "document")
            for d, label in documents]


PIN_MIN = 6  # a million PINs, against the sign-in limits (selfaccess.py)


class PinForm(forms.Form):
    pin = forms.CharField(label=f"New PIN ({PIN_MIN} to 12 digits)", max_length=12, min_length=PIN_MIN,
                          widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    pin2 = forms.CharField(label="PIN again", max_length=12,
                           widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def clean_pin(self):
        pin = self.cleaned_data["pin"]
        if not re.fullmatch(rf"\d{{{PIN_MIN},12}}", pin):
            raise forms.ValidationError(f"A PIN is {PIN_MIN} to 12 digits.")
        if len(set(pin)) == 1 or pin in "0123456789012" or pin in "9876543210987":
            raise forms.ValidationError("That PIN is too easy to guess: avoid repeated or consecutive digits.")
        return pin

    def clean(self):
        data = super().clean()
        if data.get("pin") and data.get("pin") != data.get("pin2"):
            self.add_error("pin2", "The two PINs differ.")
        return data


class PatronSignInForm(forms.Form):
    card_number = forms.CharField(label="Library card number", max_length=40,
                                  widget=forms.TextInput(attrs={"autocomplete": "off"}))
    pin = forms.CharField(label="PIN", max_length=12, widget=forms.PasswordInput(attrs={"autocomplete": "off"}))

    def clean_card_number(self):
        return validate_card_number(self.cleaned_data["card_number"])

    def clean_pin(self):
        pin = self.cleaned_data["pin"]
        if not re.fullmatch(rf"\d{{{PIN_MIN},12}}", pin):
            # Shorter PINs are no longer accepted: the desk sets a new one.
            raise forms.ValidationError(f"A PIN is {PIN_MIN} to 12 digits. If yours is shorter, ask at the desk "
                                        "for a new one.")
        return pin


class ParentForm(forms.Form):
    card_number = forms.CharField(label="The child's library card number", max_length=40, required=False,
                                  help_text="The parent or guardian must give the child's card or card number.")
    category = VocabChoiceField(kind="category", label="What they ask about", initial="circulation",
                                choices=[(c, words.CATEGORY[c]) for c in vocab.ASKABLE if c in vocab.PATRON_RECORDS])

    def clean_card_number(self):
        value = self.cleaned_data.get("card_number") or ""
        return validate_card_number(value) if value.strip() else ""


PRESENTERS = (
    ("authorized_third_party", "The person the patron authorized (not an officer)"),
    ("parent_guardian", words.REQUESTER["parent_guardian"]),
    ("vendor", words.REQUESTER["vendor"]),
    ("law_enforcement", words.REQUESTER["law_enforcement"]),
    ("immigration_officer", words.REQUESTER["immigration_officer"]),
)


def _presenter_field():
    return VocabChoiceField(
        kind="requester", label="Who is presenting the authorization?", widget=forms.RadioSelect,
        choices=list(PRESENTERS),
        help_text="An officer (police, sheriff, FBI, ICE, CBP, HSI, DHS) is not served on this page, even with "
                  "the patron's signature: the request goes to the director.",
    )


class PresenterForm(forms.Form):
    """Asked each time records are shown under an authorization."""

    presenter = _presenter_field()
    checked_id = forms.BooleanField(label="I checked this person's identification: they are the person the "
                                          "authorization names", required=False)

    def clean(self):
        data = super().clean()
        presenter = data.get("presenter")
        if presenter and presenter not in vocab.OFFICERS and not data.get("checked_id"):
            self.add_error("checked_id", "Check the person's identification first.")
        return data


class AuthorizationForm(CardForm):
    presenter = _presenter_field()
    holder_name = forms.CharField(label="Name of the person authorized (as on their ID)", max_length=200,
                                  required=False, validators=PERSON_TEXT_VALIDATORS)
    categories = VocabMultipleChoiceField(kind="category", label="Records the authorization covers",
                                          widget=forms.CheckboxSelectMultiple)
    expires_on = forms.DateField(label="Valid until", widget=forms.DateInput(attrs={"type": "date"}))
    signed = forms.BooleanField(label="The authorization is in writing, signed and dated by the patron, and I "
                                      "checked the person's identification", required=False)
    files = DocumentsField(label="Photo or scan of the signed authorization", required=True)  # type: ignore[assignment]  # a field named "files": the form metaclass moves it into base_fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["card_number"].label = "The patron's library card number"
        self.fields["categories"].choices = [
            (c, words.CATEGORY_SHORT[c]) for c in vocab.ASKABLE if c in vocab.PATRON_RECORDS]

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day < timezone.localdate():
            raise forms.ValidationError("This authorization has already expired.")
        if (day - timezone.localdate()).days > 366:
            raise forms.ValidationError("Record an authorization for at most a year; ask for a new one after.")
        return day

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > 1:
            raise forms.ValidationError("One file: a PDF scan, or one photo of the signed page.")
        return files

    def clean(self):
        data = super().clean()
        # An officer's request becomes a case whatever was ticked; anyone else needs the check.
        if data.get("presenter") not in vocab.OFFICERS and not data.get("signed"):
            self.add_error("signed", "This field is required.")
        return data
