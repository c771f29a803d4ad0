"""Forms. The SALUTE form never refuses a report for being incomplete or hurried:
everything is optional, overlong text is cut, an unreadable time is dropped with
a warning. Only what quietdesk must never store (SSN-shaped numbers) is refused."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils import timezone

from quietdesk.patrons.validators import TEXT_VALIDATORS

from . import conf
from .csv_uploads import MAX_IMPORT_BYTES
from .models import Certainty, Channel, Language, MsgType, Report, Status, Tier

_LIMITS = {f.name: limit for f in Report._meta.get_fields() if (limit := getattr(f, "max_length", None))}
_TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%H:%M")
SEEN_YEARS = (2000, 2100)  # a time outside these years is a typo, treated as unreadable


def _text(label, hint, *, rows=None, limit=300, placeholder=""):
    attrs = {"maxlength": str(limit), "autocomplete": "off", "placeholder": placeholder}
    widget = forms.Textarea(attrs={**attrs, "rows": rows}) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, help_text=hint, required=False, widget=widget, validators=TEXT_VALIDATORS,
                           strip=True)


class SaluteForm(forms.Form):
    size = _text("S · Size: how many officers?", 'For example: "Two agents in an unmarked black SUV."',
                 limit=200, placeholder="How many?")
    activity = _text(
        "A · Activity: what are they doing?",
        'For example: "Pacing in front of the library around 3 pm, stopping patrons and asking questions."',
        rows=3, limit=1000,
    )
    zone = forms.ChoiceField(label="L · Location: where?", required=False)
    location = _text("Or describe the place", 'For example: "Northwest corner of Street A and Street B."')
    unit = _text("U · Unit: patches, logos, words on clothing",
                 'For example: "Vests saying POLICE and ERO", or "plain clothes, no badge seen."')
    seen_at = forms.CharField(
        label="T · Time you saw it", required=False,
        help_text="Already set to now. Change it if you saw it earlier.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    equipment = _text("E · Equipment: vehicles, tools", 'For example: "One van, one remotely controlled drone."')
    certainty = forms.ChoiceField(label="How sure are you?", required=False, widget=forms.RadioSelect,
                                  choices=Certainty.choices)
    status = forms.ChoiceField(label="Is this real?", required=False, widget=forms.RadioSelect,
                               choices=Status.choices, initial=Status.ACTUAL)
    urgent = forms.BooleanField(
        label="Urgent: after saving, offer to send it to everyone without waiting for a verifier "
              "(you confirm on the next page; the message will say it was not verified).",
        required=False,
    )

    def __init__(self, *args, can_send_urgent: bool = False, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("seen_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["zone"]).choices = [("", "Choose a place (or describe it below)")] + [(z, z) for z in conf.zones()]
        if not can_send_urgent:
            del self.fields["urgent"]
        self.warnings: list[str] = []

    def clean_zone(self):
        zone = self.cleaned_data.get("zone") or ""
        return zone if zone in conf.zones() else ""

    def clean_seen_at(self):
        raw = (self.cleaned_data.get("seen_at") or "").strip()
        if not raw:
            return None
        for fmt in _TIME_FORMATS:
            try:
                parsed = dt.datetime.strptime(raw, fmt)  # noqa: DTZ007 (made aware just below)
            except ValueError:
                continue
            if fmt == "%H:%M":
                parsed = dt.datetime.combine(timezone.localdate(), parsed.time())
            if not SEEN_YEARS[0] <= parsed.year <= SEEN_YEARS[1]:
                break  # 9999-12-31T23:59 overflows when stored in UTC: read as unreadable
            return timezone.make_aware(parsed)
        self.warnings.append("The time could not be read, so the report was saved without it.")
        return None

    def clean(self):
        data = super().clean()
        for name, limit in _LIMITS.items():
            if isinstance(data.get(name), str) and len(data[name]) > limit:
                data[name] = data[name][:limit]
        if data.get("status") not in Status.values:
            data["status"] = Status.ACTUAL
        return data


class ConfirmBroadcastForm(forms.Form):
    confirm = forms.BooleanField(label="Send it to everyone listed above. A message sent cannot be called back.",
                                 required=True)


class FollowUpForm(forms.Form):
    msg_type = forms.ChoiceField(label="What is it?", widget=forms.RadioSelect,
                                 choices=[(MsgType.UPDATE, "An update"), (MsgType.CANCEL, "All clear")],
                                 initial=MsgType.UPDATE)
    text = forms.CharField(label="What changed?", required=False, max_length=1000, validators=TEXT_VALIDATORS,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text='For example: "The SUV left toward Main Street at 3:40 pm."')


class MemberForm(forms.Form):
    name = forms.CharField(label="Name (a person or an organisation)", max_length=120)
    channel = forms.ChoiceField(label="How do they want to be alerted?", choices=Channel.choices,
                                widget=forms.RadioSelect, initial=Channel.SIGNAL)
    address = forms.CharField(label="Signal number or username, email address, or webhook URL", max_length=300,
                              help_text="Phone numbers with the country code, e.g. +1 555 010 0199.")
    fallback_email = forms.CharField(label="Email if Signal fails", required=False, max_length=254)
    language = forms.ChoiceField(label="Language", choices=Language.choices, initial=Language.EN)
    tier = forms.TypedChoiceField(label="Tier", choices=Tier.choices, coerce=int, initial=Tier.NETWORK)
    consent_date = forms.DateField(label="Date they consented", widget=forms.DateInput(attrs={"type": "date"}))
    consented = forms.BooleanField(
        label="They agreed to be on this list, to be contacted this way, and know they can ask to be removed.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("consent_date", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean(self):
        from .network import clean_member

        data = super().clean()
        if self.errors:
            return data
        member, problems = clean_member(data)
        for field, problem in problems.items():
            self.add_error("consent_date" if field == "consent_date" else field, problem)
        data.update(member)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text=(
        "Columns: name, channel, address, fallback_email, language, tier, consent_date. "
        "Nothing is imported if any line has a problem."
    ))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if getattr(upload, "too_large", False) or upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("Save the file as UTF-8 text (CSV) and try again.") from None


class ConfirmRemoveForm(forms.Form):
    confirm = forms.BooleanField(
        label="They asked to be removed. Destroy their contact details for good, in backups too.", required=True,
    )
