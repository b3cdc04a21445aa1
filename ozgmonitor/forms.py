"""The filters of `/ozg-monitor/` (GET): OZG topic, status, minimum overall maturity level and
department; every value must be one of the offered ones (else 400 with the form's message)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from routing_rules.models import Department

from .models import ServiceStatus
from .topics import OzgTopic

__all__ = ["MonitorFilterForm"]



def _refused(what):
    return {"invalid_choice": what}


class MonitorFilterForm(forms.Form):
    topic = forms.ChoiceField(label=_("Themenfeld"), required=False, error_messages=_refused(
        _("Unbekanntes Themenfeld. Bitte wählen Sie eines aus der Liste.")))
    status = forms.ChoiceField(label=_("Status"), required=False, error_messages=_refused(
        _("Unbekannter Status. Bitte wählen Sie einen aus der Liste.")))
    level = forms.ChoiceField(label=_("Reifegrad"), required=False, error_messages=_refused(
        _("Unbekannter Reifegrad. Bitte wählen Sie einen aus der Liste.")))
    department = forms.ChoiceField(label=_("Fachbereich"), required=False, error_messages=_refused(
        _("Unbekannter Fachbereich. Bitte wählen Sie einen aus der Liste.")))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("alle Themenfelder"))] + list(OzgTopic.choices)
        self.fields["status"].choices = [("", _("jeder Status"))] + list(ServiceStatus.choices)
        self.fields["level"].choices = [("", _("jeder Reifegrad"))] + [
            (str(n), _("mindestens Stufe %(n)d") % {"n": n}) for n in range(8)]
        self.fields["department"].choices = [("", _("alle Fachbereiche"))] + list(
            Department.objects.filter(ozg_services__isnull=False).distinct().order_by("name")
            .values_list("slug", "name"))

    def clean_level(self):
        value = self.cleaned_data["level"]
        return int(value) if value != "" else None
