from django import forms
from django.core.validators import MaxValueValidator

from quietdesk.patrons.validators import (
    PERSON_TEXT_VALIDATORS,
    TEXT_VALIDATORS,
    validate_card_number,
)
from quietdesk.retention import schedule

from .models import Program


class ProgramForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=120, validators=PERSON_TEXT_VALIDATORS,
        help_text="Keep it vague where it is posted publicly (\"Info session\").",
    )
    starts_at = forms.DateTimeField(label="Starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label="Ends", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    registration = forms.ChoiceField(label="Registration", choices=Program.Registration.choices,
                                     initial=Program.Registration.NONE, widget=forms.RadioSelect)
    code_word = forms.CharField(
        label="Code word for entry", max_length=60, required=False, validators=TEXT_VALIDATORS,
        help_text="Optional. Share it privately with attendees; it is destroyed with the registrations.",
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The program must end after it starts.")
        return data


class RegistrationForm(forms.Form):
    first_name = forms.CharField(label="First name (optional)", max_length=60, required=False,
                                 validators=PERSON_TEXT_VALIDATORS, help_text="Never a last name, address or phone.")


class AttendanceForm(forms.Form):
    attendance = forms.IntegerField(label="How many came", min_value=0, max_value=100_000)


class SessionForm(forms.Form):
    station = forms.CharField(label="Computer", max_length=20, help_text="For example PC-3.")
    minutes = forms.IntegerField(label="Minutes", min_value=5, max_value=480, initial=60)
    card_number = forms.CharField(label="Library card number", max_length=40, required=False,
                                  help_text="Leave empty to print a guest pass instead.")

    def clean_card_number(self):
        value = self.cleaned_data["card_number"]
        return validate_card_number(value) if value.strip() else ""


class NoteForm(forms.Form):
    question = forms.CharField(label="What to follow up", max_length=1000, validators=PERSON_TEXT_VALIDATORS,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="Only what the follow-up needs. Never immigration status or identity numbers.")
    contact = forms.CharField(label="How to reach them (optional)", max_length=200, required=False,
                              validators=PERSON_TEXT_VALIDATORS)
    days = forms.IntegerField(label="Keep for (days)", min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = schedule.get().follow_up_note_days
        self.fields["days"].validators.append(MaxValueValidator(limit))
        self.fields["days"].widget.attrs["max"] = limit
        self.fields["days"].initial = min(7, limit)
        self.fields["days"].help_text = f"At most {limit} days; the note is then destroyed."


class CameraForm(forms.Form):
    name = forms.CharField(label="Camera", max_length=80)
    location = forms.CharField(label="Where it points", max_length=120)
    footage_subdir = forms.SlugField(label="Footage folder", max_length=60,
                                     help_text="The camera's folder inside the footage directory.")
    retention_days = forms.IntegerField(label="Keep footage (days)", min_value=1, max_value=3650)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        s = schedule.get()
        self.fields["retention_days"].initial = s.default_footage_days
        self.fields["retention_days"].help_text = (
            f"The schedule's default is {s.default_footage_days} days; the legal minimum is {s.legal_minimum_days}."
        )


class CameraRetentionForm(forms.Form):
    retention_days = forms.IntegerField(label="Keep footage (days)", min_value=1, max_value=3650)
