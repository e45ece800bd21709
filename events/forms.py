"""Forms for organising events and taking part; they parse and validate, services write."""

import re
from datetime import time

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from ikmportal.forms import IdsChoiceField
from profiles.models import IkmProfile, Kabupaten

from .enums import OutcomeResult, PartOfDay, Priority
from .models import Event

BREAK_PATTERN = re.compile(r"^\s*(\d{1,2}[:.]\d{2})\s*[-–]\s*(\d{1,2}[:.]\d{2})\s*$")


class _Crispy:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def _time(text: str) -> time:
    hours, minutes = text.replace(".", ":").split(":")
    return time(int(hours), int(minutes))


class EventForm(_Crispy, forms.ModelForm):
    breaks_text = forms.CharField(
        label=_("Breaks"), required=False,
        help_text=_("Comma-separated, for example: 10:00-10:15, 12:00-13:00."))

    class Meta:
        model = Event
        fields = ["title", "organiser", "kabupaten", "venue", "description", "start_date", "end_date",
                  "registration_opens", "registration_closes", "meeting_minutes", "session_start", "session_end",
                  "tables", "eligible_kabupaten", "eligible_process_groups"]
        field_classes = {"eligible_kabupaten": IdsChoiceField, "eligible_process_groups": IdsChoiceField}
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "registration_opens": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "registration_closes": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "session_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "session_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "eligible_kabupaten": forms.SelectMultiple(attrs={"size": 6}),
            "eligible_process_groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            from profiles.selectors import kabupaten_in_scope_list

            self.fields["kabupaten"].queryset = kabupaten_in_scope_list(user)
        self.fields["eligible_kabupaten"].queryset = Kabupaten.objects.all()
        if self.instance.pk and self.instance.breaks:
            self.initial["breaks_text"] = ", ".join(f"{a}-{b}" for a, b in self.instance.breaks)

    def clean_breaks_text(self):
        breaks = []
        for part in filter(None, (p.strip() for p in self.cleaned_data["breaks_text"].split(","))):
            match = BREAK_PATTERN.match(part)
            try:
                if match is None:
                    raise ValueError(part)
                start, end = _time(match.group(1)), _time(match.group(2))
            except ValueError:
                raise forms.ValidationError(_("“%(part)s” is not a break like 12:00-13:00.") % {"part": part}) from None
            if start >= end:
                raise forms.ValidationError(_("A break must end after it starts: %(part)s.") % {"part": part})
            breaks.append([start.strftime("%H:%M"), end.strftime("%H:%M")])
        return breaks

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        if start and end and (end - start).days > 6:
            self.add_error("end_date", _("An event lasts at most a week."))
        opens, closes = data.get("registration_opens"), data.get("registration_closes")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes", _("The deadline must be after registration opens."))
        s_start, s_end = data.get("session_start"), data.get("session_end")
        if s_start and s_end and s_end <= s_start:
            self.add_error("session_end", _("The session must end after it starts."))
        return data

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["breaks"] = self.cleaned_data["breaks_text"]
        return data


class IkmRegistrationForm(forms.Form):
    ikm = forms.ModelChoiceField(label=_("Business"), queryset=IkmProfile.objects.none())

    def __init__(self, *args, ikms=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["ikm"]
        field.queryset = ikms if ikms is not None else IkmProfile.objects.none()
        only = list(field.queryset[:2])
        if len(only) == 1:  # most owners have one business: nothing to choose, so no empty choice either
            field.initial, field.empty_label = only[0].pk, None


class BuyerRegistrationForm(forms.Form):
    seats = forms.IntegerField(label=_("Representatives meeting in parallel"), min_value=1, max_value=20,
                               initial=1)


class OnBehalfRegistrationForm(forms.Form):
    ikm = forms.ModelChoiceField(label=_("IKM"), queryset=IkmProfile.objects.none())

    def __init__(self, *args, ikms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ikm"].queryset = ikms if ikms is not None else IkmProfile.objects.none()


class MeetingRequestForm(forms.Form):
    recipient = forms.IntegerField(widget=forms.HiddenInput)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.WANT)
    part_of_day = forms.ChoiceField(label=_("When"), choices=PartOfDay.choices, initial=PartOfDay.ANY)


class DinasMeetingForm(forms.Form):
    ikm_registration = forms.IntegerField()
    buyer_registration = forms.IntegerField()
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.MUST)


class ScheduleRunForm(forms.Form):
    seconds = forms.IntegerField(label=_("Time for the scheduler (seconds)"), min_value=1, max_value=600,
                                 initial=10)


class MeetingPlaceForm(forms.Form):
    slot = forms.IntegerField(min_value=0, required=False)
    table = forms.IntegerField(label=_("Table"), min_value=1, required=False)
    locked = forms.BooleanField(required=False)


class OutcomeForm(_Crispy, forms.Form):
    result = forms.ChoiceField(label=_("Outcome"), choices=OutcomeResult.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))


class ParticipantImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX file"), help_text=_(
        "Columns: kind (ikm or buyer), ref or name, seats (buyers). First row is the header."))
