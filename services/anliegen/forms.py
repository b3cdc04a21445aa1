"""The clerk's form for a request taken by phone (115), at the counter, by letter or email.

Plain Django form (works without JavaScript); the topics are those of the form definition,
the departments every active one (empty: the topic rules decide). Attachments are checked by
`cases.attachments` when the case is filed.
"""
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.selectors import department_options
from eforms.rendering.fields import MultipleFileField

from .routing import topic_choices

__all__ = ["STAFF_CHANNELS", "StaffEntryForm"]

#: The channels a clerk records (online requests file themselves).
STAFF_CHANNELS = (Case.Channel.PHONE, Case.Channel.COUNTER, Case.Channel.LETTER, Case.Channel.EMAIL)


class StaffEntryForm(forms.Form):
    channel = forms.ChoiceField(label=_("Eingangskanal"), widget=forms.RadioSelect,
                                error_messages={"required": _("Bitte wählen Sie den Eingangskanal."),
                                                "invalid_choice": _("Bitte wählen Sie den Eingangskanal.")})
    topic = forms.ChoiceField(label=_("Thema"),
                              error_messages={"required": _("Bitte wählen Sie ein Thema."),
                                              "invalid_choice": _("Bitte wählen Sie ein Thema.")})
    description = forms.CharField(label=_("Anliegen"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
                                  error_messages={"required": _("Bitte beschreiben Sie das Anliegen."),
                                                  "max_length": _("Höchstens %(limit_value)d Zeichen.")})
    contact_name = forms.CharField(label=_("Name der Bürgerin / des Bürgers"), max_length=200, required=False,
                                   error_messages={"max_length": _("Höchstens %(limit_value)d Zeichen.")})
    contact_email = forms.EmailField(label=_("E-Mail"), max_length=254, required=False,
                                     error_messages={"invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an."),
                                                     "max_length": _("Höchstens %(limit_value)d Zeichen.")})
    contact_phone = forms.CharField(label=_("Telefon"), max_length=50, required=False,
                                    error_messages={"max_length": _("Höchstens %(limit_value)d Zeichen.")})
    department = forms.ModelChoiceField(
        label=_("Fachbereich"), queryset=None, to_field_name="slug", required=False,
        empty_label=_("nach Themenregeln zuordnen"),
        help_text=_("Leer lassen: die Themenregeln wählen den Fachbereich, sonst die zentrale Triage."),
        error_messages={"invalid_choice": _("Bitte wählen Sie einen Fachbereich aus der Liste.")})
    attachments = MultipleFileField(label=_("Dateien (PDF, JPEG, PNG)"), required=False)
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(c.value, c.label) for c in STAFF_CHANNELS]
        self.fields["topic"].choices = [("", _("bitte wählen"))] + topic_choices()
        self.fields["department"].queryset = department_options()
        self.fields["attachments"].widget.attrs["accept"] = "application/pdf,image/jpeg,image/png"
        for name in ("contact_name", "contact_email", "contact_phone", "description"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")

