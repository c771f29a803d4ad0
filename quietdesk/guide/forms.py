"""Forms for what the library edits in its guide, and the drill answer form."""

from django import forms
from django.conf import settings
from django.utils import timezone

from quietdesk.patrons.validators import TEXT_VALIDATORS

from . import directory
from .models import Contact, DeskPrompt, Note, PageReview, Resource, Zone

PHONE = forms.RegexField(
    regex=r"^[0-9A-Za-z+()\-.\s/#,]{3,40}$", max_length=40, required=False,
    error_messages={"invalid": "Use digits, spaces, +, dashes, brackets (3 to 40 characters)."},
)


def _with_validators(form: forms.Form) -> None:
    """Free text is checked like every other free text (no identity numbers)."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and not isinstance(field, forms.RegexField | forms.EmailField):
            field.validators.extend(TEXT_VALIDATORS)


class ContactForm(forms.ModelForm):
    phone = PHONE
    after_hours = forms.RegexField(regex=PHONE.regex, max_length=40, required=False, label="After-hours phone",
                                   error_messages=PHONE.error_messages)

    class Meta:
        model = Contact
        fields = ["kind", "name", "phone", "after_hours", "email", "note", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _with_validators(self)


class ZoneForm(forms.ModelForm):
    class Meta:
        model = Zone
        fields = ["branch", "name", "kind", "note", "order"]
        labels = {"branch": "Branch (leave empty for every branch)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _with_validators(self)


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["section", "title", "body", "order"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _with_validators(self)


class PageReviewForm(forms.ModelForm):
    """The director records who last reviewed a public page, and when."""

    class Meta:
        model = PageReview
        fields = ["page", "reviewed_on", "reviewed_by"]
        widgets = {"reviewed_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _with_validators(self)

    def clean_reviewed_on(self):
        # The public page says "last reviewed on <date>": a date not yet come would be untrue.
        reviewed_on = self.cleaned_data["reviewed_on"]
        if reviewed_on and reviewed_on > timezone.localdate():
            raise forms.ValidationError("A review date cannot be after today.")
        return reviewed_on


class ResourceForm(forms.ModelForm):
    """A resource with one description per language of the patron pages."""

    phone = forms.CharField(max_length=60, required=False, help_text="As patrons should dial it; text lines too.")
    url = forms.URLField(label="Web address", required=False, assume_scheme="https")
    languages_text = forms.CharField(
        label="Languages served", max_length=200, required=False,
        help_text="Language codes, separated by commas: en, es, vi, zh-hans, ar, tl, ht, mam…",
    )

    class Meta:
        model = Resource
        fields = ["kind", "name", "phone", "url", "email", "public", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"description_{code}"] = forms.CharField(
                label=f"Description ({name})", max_length=600, required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            if self.instance.pk:
                self.initial.setdefault(f"description_{code}", (self.instance.description or {}).get(code, ""))
        if self.instance.pk:
            self.initial.setdefault("languages_text", ", ".join(self.instance.languages or []))
        _with_validators(self)

    def clean_languages_text(self):
        return directory.parse_languages(self.cleaned_data["languages_text"])

    def save(self, commit=True):
        resource = super().save(commit=False)
        resource.description = {
            code: self.cleaned_data[f"description_{code}"].strip()
            for code, _name in settings.LANGUAGES if self.cleaned_data.get(f"description_{code}", "").strip()
        }
        resource.languages = self.cleaned_data["languages_text"]
        if commit:
            resource.save()
        return resource


class DeskPromptForm(forms.ModelForm):
    """A desk prompt's wording and counsel's approval (both the name and the date, or neither).

    Counsel approved words, not a row: changing an approved prompt's wording withdraws the
    approval (the desk stops showing it) unless a new approval date is given with the change.
    ``audit_note`` says so for the access-log entry.
    """

    audit_note = ""

    class Meta:
        model = DeskPrompt
        fields = ["key", "text", "enabled", "approved_by", "approved_on", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "approved_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"approved_by": "The desk shows the prompt only once counsel's approval is recorded.",
                      "approved_on": "Changing the wording withdraws the approval unless you give the date "
                                     "counsel approved the new words."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _with_validators(self)
        if self.instance.pk:
            self.fields["key"].disabled = True

    def clean(self):
        data = super().clean()
        if bool((data.get("approved_by") or "").strip()) != bool(data.get("approved_on")):
            raise forms.ValidationError("Give both who approved it and when, or neither.")
        before = self.instance
        if before.pk and before.approved and data.get("approved_on") == before.approved_on and (
                data.get("text", before.text) != before.text or data.get("key", before.key) != before.key):
            data["approved_by"], data["approved_on"] = "", None
            self.audit_note = "wording changed: counsel's approval withdrawn"
        return data


class ConfirmDeleteForm(forms.Form):
    confirm = forms.BooleanField(label="Yes, delete it")


class AnswerForm(forms.Form):
    choice = forms.TypedChoiceField(label="Your answer", coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(i, text) for i, text in enumerate(choices)]


class TranslationReviewForm(forms.Form):
    """The director records whether a person has reviewed one language of the patron pages."""

    REVIEWED, NOT_REVIEWED = "reviewed", "not_reviewed"
    language = forms.ChoiceField(label="Language")
    state = forms.ChoiceField(label="Status", widget=forms.RadioSelect, choices=[
        (REVIEWED, "Reviewed by a person: remove the notice"),
        (NOT_REVIEWED, "Not reviewed: show the notice"),
    ])
    confirm = forms.BooleanField(
        label="A person fluent in this language has read every patron page in it against the English, "
              "including know your rights and the privacy notice, and found the meaning the same.",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import languages

        self.fields["language"].choices = languages.translated()

    def clean(self):
        data = super().clean()
        if data.get("state") == self.REVIEWED and not data.get("confirm"):
            self.add_error("confirm", "Tick this to confirm that a person has reviewed the translation.")
        return data
