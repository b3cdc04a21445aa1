"""Forms of the back office: inbox and queue filters, bulk actions and the actions of the work screen.

The choices offered are limited to what the user may see (their departments' crews,
reports, categories); a forged value is an ordinary validation error. Messages are German
first, translated with Django's i18n.
"""
from django import forms
from django.contrib.gis.geos import Point
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal import inbox
from portal.selectors import service_list
from reporter.models import Report
from reporter.selectors import report_get_for_staff

from . import selectors
from .answers import answer_services, service_statuses
from .models import REPORTS_SERVICE, AnswerTemplate

__all__ = [
    "AnswerTemplateForm", "InboxFilterForm", "InboxActionForm",
    "QueueFilterForm", "BulkAssignForm", "AcceptForm", "StatusForm", "RerouteForm",
    "DuplicateForm", "ReferForm", "AssignForm", "ModerationForm", "BlurForm",
]

SORT_CHOICES = [
    ("faellig", _("Fälligkeit, früheste zuerst")),
    ("-faellig", _("Fälligkeit, späteste zuerst")),
    ("-eingang", _("Eingang, neueste zuerst")),
    ("eingang", _("Eingang, älteste zuerst")),
    ("kategorie", _("Kategorie")),
    ("status", _("Status")),
    ("nummer", _("Nummer aufsteigend")),
    ("-nummer", _("Nummer absteigend")),
]
TAB_LABELS = {
    "offen": _("Alle offenen"),
    "neu": _("Neu eingegangen"),
    "ueberfaellig": _("Überfällig"),
    "alle": _("Alle, auch abgeschlossene"),
}
WITHOUT_CREW = "ohne"


class NameChoiceField(forms.ModelChoiceField):
    """Options labelled with the object's `name` (no related lookups per option)."""

    def label_from_instance(self, obj):
        return obj.name


class CategoryChoiceField(forms.ModelChoiceField):
    """Categories labelled in the active language (`Category.display_name`)."""

    def label_from_instance(self, obj):
        return obj.display_name


class QueueFilterForm(forms.Form):
    """GET parameters of the queue (German names, as in the URL)."""

    fachbereich = forms.ModelChoiceField(label=_("Fachbereich"), queryset=None, required=False,
                                         to_field_name="slug", empty_label=_("alle meine Fachbereiche"))
    ansicht = forms.ChoiceField(label=_("Ansicht"), choices=list(TAB_LABELS.items()), required=False)
    kategorie = CategoryChoiceField(label=_("Kategorie"), queryset=None, required=False, to_field_name="slug",
                                    empty_label=_("alle Kategorien"))
    stadtteil = NameChoiceField(label=_("Stadtteil"), queryset=None, required=False,
                                empty_label=_("alle Stadtteile"))
    trupp = forms.ChoiceField(label=_("Trupp"), required=False)
    sortierung = forms.ChoiceField(label=_("Sortierung"), choices=SORT_CHOICES, required=False)
    suche = forms.CharField(label=_("Suche"), required=False, max_length=200,
                            help_text=_("Nummer, Text, Adresse, Name oder E-Mail der meldenden Person"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fachbereich"].queryset = selectors.staff_departments(user=user)
        self.fields["kategorie"].queryset = selectors.staff_categories()
        self.fields["stadtteil"].queryset = selectors.district_list()
        self.crews = list(selectors.staff_crews(user=user))
        self.fields["trupp"].choices = [("", _("alle Trupps")), (WITHOUT_CREW, _("ohne Trupp"))] + [
            (str(c.pk), f"{c.name} ({c.department.name})") for c in self.crews]

    def queue_filter(self) -> selectors.QueueFilter:
        """The validated filter (call after is_valid(); invalid parameters fall back to defaults)."""
        data = self.cleaned_data if self.is_valid() else {}
        crew = data.get("trupp") or ""
        department = data.get("fachbereich")
        return selectors.QueueFilter(
            department_ids=(department.pk,) if department else (),
            tab=data.get("ansicht") or "offen",
            category_id=data["kategorie"].pk if data.get("kategorie") else None,
            district_id=data["stadtteil"].pk if data.get("stadtteil") else None,
            crew_id=int(crew) if crew.isdigit() else None,
            without_crew=crew == WITHOUT_CREW,
            sort=data.get("sortierung") or "faellig",
            search=(data.get("suche") or "").strip(),
        )


INBOX_SORT_CHOICES = [
    ("-eingang", _("Eingang, neueste zuerst")),
    ("eingang", _("Eingang, älteste zuerst")),
    ("faellig", _("Fälligkeit, früheste zuerst")),
    ("-faellig", _("Fälligkeit, späteste zuerst")),
    ("nummer", _("Nummer aufsteigend")),
    ("-nummer", _("Nummer absteigend")),
    ("status", _("Status")),
    ("leistung", _("Leistung")),
]


def inbox_service_choices() -> list[tuple[str, str]]:
    """The services with items in the inbox, labelled with their catalogue title (the slug
    for a service that is not in the catalogue)."""
    titles = {s.slug: str(s.title) for s in service_list()}
    return [(slug, titles.get(slug, slug)) for slug in inbox.inbox_services()]


class InboxFilterForm(forms.Form):
    """GET parameters of the inbox: the report queue's names (ansicht, fachbereich, suche,
    sortierung, seite), so that links into the old queue keep their meaning, plus the kind
    (art) and the service (leistung) of the items."""

    fachbereich = forms.ModelChoiceField(label=_("Fachbereich"), queryset=None, required=False,
                                         to_field_name="slug", empty_label=_("alle meine Fachbereiche"))
    ansicht = forms.ChoiceField(label=_("Ansicht"), choices=list(TAB_LABELS.items()), required=False)
    art = forms.ChoiceField(label=_("Art"), required=False)
    leistung = forms.ChoiceField(label=_("Leistung"), required=False)
    sortierung = forms.ChoiceField(label=_("Sortierung"), choices=INBOX_SORT_CHOICES, required=False)
    suche = forms.CharField(label=_("Suche"), required=False, max_length=200,
                            help_text=_("Nummer, Name, Text oder E-Mail"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fachbereich"].queryset = selectors.staff_departments(user=user)
        self.fields["art"].choices = [("", _("alle Arten"))] + [
            (s.kind, s.label_plural) for s in inbox.inbox_sources()]
        self.fields["leistung"].choices = [("", _("alle Leistungen"))] + inbox_service_choices()

    @cached_property
    def options(self) -> dict[str, list[tuple[str, str]]]:
        """(value, label) of every option of the four selects, for `backoffice/includes/select.html`:
        rendered in one template loop each instead of Django's select widget, which renders a
        template per option (a fifth of the inbox page's rendering time) and reads the departments
        through a server-side cursor (three round trips)."""
        departments = [(d.slug, d.name) for d in self.fields["fachbereich"].queryset.only("slug", "name")]
        return {"fachbereich": [("", self.fields["fachbereich"].empty_label), *departments],
                **{name: list(self.fields[name].choices) for name in ("art", "leistung", "sortierung")}}

    def inbox_filter(self) -> inbox.InboxFilter:
        """The validated filter (invalid parameters fall back to the defaults)."""
        data = self.cleaned_data if self.is_valid() else {}
        department = data.get("fachbereich")
        return inbox.InboxFilter(
            tab=data.get("ansicht") or "offen", kind=data.get("art") or "", service=data.get("leistung") or "",
            department_ids=(department.pk,) if department else (), search=(data.get("suche") or "").strip(),
            sort=data.get("sortierung") or "",
        )


class InboxActionForm(forms.Form):
    """A bulk action on items of the inbox: the selection "<kind>:<pk>", the action and,
    for a hand-over, the target department and a reason."""

    auswahl = forms.MultipleChoiceField(label=_("Auswahl"), error_messages={
        "required": _("Bitte mindestens einen Eintrag auswählen.")})
    aktion = forms.ChoiceField(label=_("Aktion"), error_messages={"required": _("Bitte eine Aktion wählen.")})
    ziel = NameChoiceField(label=_("an Fachbereich"), queryset=None, required=False, to_field_name="slug",
                           empty_label=_("Fachbereich wählen …"))
    begruendung = forms.CharField(label=_("Begründung"), required=False, max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = {}
        for source in inbox.inbox_sources():
            for action in source.actions:
                self.actions.setdefault(action.key, action)
        self.fields["aktion"].choices = [("", _("Aktion wählen …"))] + [(a.key, a.label) for a in self.actions.values()]
        # Any active department may receive an item, also one the clerk does not work for.
        self.fields["ziel"].queryset = selectors.department_choices().filter(is_active=True)
        values = self.data.getlist("auswahl") if hasattr(self.data, "getlist") else self.data.get("auswahl", [])
        self.fields["auswahl"].choices = [(v, v) for v in values]

    def clean_auswahl(self):
        items = [inbox.inbox_item_parse(value) for value in self.cleaned_data["auswahl"]]
        if None in items:
            raise forms.ValidationError(_("Unbekannter Eintrag in der Auswahl."))
        return items

    def clean(self):
        data = super().clean()
        action = self.actions.get(data.get("aktion"))
        if action is not None:
            if "department" in action.needs and not data.get("ziel"):
                self.add_error("ziel", _("Bitte einen Fachbereich wählen."))
            if "reason" in action.needs and not (data.get("begruendung") or "").strip():
                self.add_error("begruendung", _("Bitte begründen Sie die Weiterleitung."))
        return data


class CrewChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.department.name})"


class BulkAssignForm(forms.Form):
    reports = forms.TypedMultipleChoiceField(
        label=_("Meldungen"), coerce=int, error_messages={"required": _("Bitte mindestens eine Meldung auswählen.")})
    crew = CrewChoiceField(label=_("Trupp"), queryset=None, empty_label=_("Trupp wählen …"),
                           error_messages={"required": _("Bitte einen Trupp auswählen."),
                                           "invalid_choice": _("Diesen Trupp gibt es in Ihren Fachbereichen nicht.")})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["crew"].queryset = selectors.staff_crews(user=user)
        # Any id is accepted here; clean_reports checks them against the user's reports in one query.
        ids = self.data.getlist("reports") if hasattr(self.data, "getlist") else self.data.get("reports", [])
        self.fields["reports"].choices = [(v, v) for v in ids]

    def clean_reports(self):
        ids = sorted(set(self.cleaned_data["reports"]))
        from reporter.selectors import report_list_for_staff

        visible = set(report_list_for_staff(user=self.user).filter(pk__in=ids).values_list("pk", flat=True))
        unknown = [pk for pk in ids if pk not in visible]
        if unknown:
            raise forms.ValidationError(ngettext("Meldung nicht gefunden: %(ids)s",
                                                 "Meldungen nicht gefunden: %(ids)s", len(unknown)),
                                        params={"ids": ", ".join(f"#{pk}" for pk in unknown)})
        return ids


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class _NoteFields(forms.Form):
    template = TemplateChoiceField(label=_("Antwortvorlage"), queryset=AnswerTemplate.objects.none(), required=False,
                                   empty_label=_("keine Vorlage"),
                                   help_text=_("Füllt die öffentliche Notiz; Sie können den Text danach ändern."))
    note_public = forms.CharField(label=_("Öffentliche Notiz an die meldende Person"), required=False,
                                  max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("Wird der meldenden Person geschickt und öffentlich angezeigt."))
    note_internal = forms.CharField(label=_("Interne Notiz"), required=False, max_length=5000,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("Nur für Mitarbeitende sichtbar."))

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if templates is not None:
            self.fields["template"].queryset = templates


class AcceptForm(_NoteFields):
    pass


class StatusForm(_NoteFields):
    status = forms.ChoiceField(label=_("Neuer Status"), choices=Report.Status.choices,
                               error_messages={"required": _("Bitte einen Status wählen.")})
    field_order = ["status", "template", "note_public", "note_internal"]


class RerouteForm(forms.Form):
    category = CategoryChoiceField(label=_("Kategorie"), queryset=None, to_field_name="slug",
                                   error_messages={"required": _("Bitte eine Kategorie wählen.")})
    lon = forms.FloatField(label=_("Längengrad (lon, WGS 84)"), required=False, min_value=-180, max_value=180,
                           help_text=_("leer lassen, um den Ort beizubehalten"))
    lat = forms.FloatField(label=_("Breitengrad (lat, WGS 84)"), required=False, min_value=-90, max_value=90,
                           help_text=_("leer lassen, um den Ort beizubehalten"))
    department = NameChoiceField(
        label=_("Fachbereich"), queryset=None, required=False, to_field_name="slug",
        empty_label=_("– nach den Zuständigkeitsregeln –"),
        help_text=_("leer lassen, damit die Zuständigkeitsregeln den Fachbereich bestimmen"))
    reason = forms.CharField(label=_("Begründung"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Bitte begründen Sie die Weiterleitung.")})
    field_order = ["category", "department", "lon", "lat", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.staff_categories()
        # Any department may receive a report, also one the clerk does not work for.
        self.fields["department"].queryset = selectors.department_choices()

    def clean(self):
        data = super().clean()
        if (data.get("lon") is None) != (data.get("lat") is None):
            raise forms.ValidationError(_("Bitte Längen- und Breitengrad angeben oder beide leer lassen."))
        return data

    def point(self) -> Point | None:
        lon, lat = self.cleaned_data.get("lon"), self.cleaned_data.get("lat")
        return Point(lon, lat, srid=4326) if lon is not None else None


class DuplicateForm(forms.Form):
    original = forms.IntegerField(label=_("Nummer der Originalmeldung"), min_value=1,
                                  error_messages={"required": _("Bitte die Nummer der Originalmeldung angeben.")})
    note_public = forms.CharField(label=_("Öffentliche Notiz (freiwillig)"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("Leer: ein Standardtext mit der Nummer der Originalmeldung."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_original(self):
        original = report_get_for_staff(user=self.user, pk=self.cleaned_data["original"])
        if original is None:
            raise forms.ValidationError(_("Meldung #%(id)s gibt es in Ihren Fachbereichen nicht."),
                                        params={"id": self.cleaned_data["original"]})
        return original


class ReferForm(forms.Form):
    authority = forms.CharField(label=_("Zuständige Stelle"), max_length=300,
                                help_text=_("Zum Beispiel „Landratsamt Greiz“ oder „Deutsche Bahn AG“."),
                                error_messages={"required": _("Bitte die zuständige Stelle angeben.")})
    note = forms.CharField(label=_("Weitere Hinweise an die meldende Person (freiwillig)"), required=False,
                           max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    crew = CrewChoiceField(label=_("Trupp"), queryset=None, empty_label=_("Trupp wählen …"),
                           error_messages={"required": _("Bitte einen Trupp auswählen.")})

    def __init__(self, *args, report: Report, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crew"].queryset = selectors.staff_crews(user=user, department_ids=[report.department_id])


class ModerationForm(forms.Form):
    moderation = forms.ChoiceField(label=_("Veröffentlichung"), choices=Report.Moderation.choices)
    public_description = forms.CharField(
        label=_("Öffentlicher Text"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ohne Namen, Telefonnummern, Kennzeichen. Der Originaltext bleibt im Verlauf erhalten."))

    PHOTO_CHOICES = [("", _("unverändert")), ("approved", _("freigeben")), ("rejected", _("ablehnen"))]

    def __init__(self, *args, photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.photo_fields = []
        for photo in photos:
            name = f"photo_{photo.pk}"
            self.fields[name] = forms.ChoiceField(label=_("Foto %(n)s") % {"n": photo.pk},
                                                  choices=self.PHOTO_CHOICES, required=False)
            self.photo_fields.append((photo, name))

    def photo_decisions(self) -> dict[int, str]:
        return {photo.pk: self.cleaned_data[name] for photo, name in self.photo_fields if self.cleaned_data.get(name)}


class BlurForm(forms.Form):
    """The area to blur in percent of the picture (0–100), or the whole picture."""

    whole = forms.BooleanField(label=_("Ganzes Foto verpixeln"), required=False)
    left = forms.FloatField(label=_("Links (%)"), required=False, min_value=0, max_value=100)
    top = forms.FloatField(label=_("Oben (%)"), required=False, min_value=0, max_value=100)
    right = forms.FloatField(label=_("Rechts (%)"), required=False, min_value=0, max_value=100)
    bottom = forms.FloatField(label=_("Unten (%)"), required=False, min_value=0, max_value=100)

    def clean(self):
        data = super().clean()
        if data.get("whole") or self.errors:
            return data
        values = [data.get(k) for k in ("left", "top", "right", "bottom")]
        if any(v is None for v in values):
            raise forms.ValidationError(_("Bitte einen Bereich angeben (alle vier Werte) oder „Ganzes Foto“ wählen."))
        left, top, right, bottom = values
        if not (left < right and top < bottom):
            raise forms.ValidationError(_("Links muss kleiner als rechts und oben kleiner als unten sein."))
        return data

    def box(self) -> tuple[float, float, float, float] | None:
        if self.cleaned_data.get("whole"):
            return None
        return tuple(self.cleaned_data[k] / 100 for k in ("left", "top", "right", "bottom"))


class AnswerTemplateForm(forms.Form):
    """An answer template as a clerk edits it: the department is one of theirs (superusers may
    also leave it empty: a template for every department); the service is the Mängelmelder
    (the default) or a case service, the status one of that service's, a category only for
    the Mängelmelder."""

    title = forms.CharField(label=_("Titel"), max_length=200,
                            error_messages={"required": _("Bitte einen Titel angeben.")})
    service = forms.ChoiceField(label=_("Leistung"), required=False,
                                error_messages={"invalid_choice": _("Bitte eine Leistung aus der Liste wählen.")})
    department = NameChoiceField(label=_("Fachbereich"), queryset=None, to_field_name="slug",
                                 error_messages={"required": _("Bitte einen Fachbereich wählen.")})
    category = CategoryChoiceField(label=_("Kategorie"), queryset=None, required=False, to_field_name="slug",
                                   empty_label=_("alle Kategorien"), help_text=_("nur beim Mängelmelder"))
    status = forms.ChoiceField(label=_("für Status"), required=False)
    body = forms.CharField(label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": _("Bitte einen Text angeben.")})
    order = forms.IntegerField(label=_("Reihenfolge"), min_value=0, max_value=32767, initial=100)
    is_active = forms.BooleanField(label=_("aktiv (wird auf dem Arbeitsplatz angeboten)"), required=False,
                                   initial=True)
    field_order = ["title", "service", "department", "category", "status", "body", "order", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.staff_departments(user=user)
        if user.is_superuser:
            self.fields["department"].required = False
            self.fields["department"].empty_label = _("alle Fachbereiche")
        self.fields["category"].queryset = selectors.staff_categories()
        services = answer_services()
        self.fields["service"].choices = services
        # Each status value once (a value in two option groups would be selected twice when
        # editing), labelled with the services that have it; clean() checks it against the
        # service chosen.
        statuses: dict[str, tuple[str, list[str]]] = {}
        for slug, label in services:
            for value, status_label in service_statuses(slug):
                statuses.setdefault(value, (str(status_label), []))[1].append(str(label))
        self.fields["status"].choices = [("", _("kein bestimmter"))] + [
            (value, f"{status_label} ({', '.join(names)})") for value, (status_label, names) in statuses.items()]
        self.fields["body"].help_text = AnswerTemplate._meta.get_field("body").help_text

    def clean(self):
        cleaned = super().clean()
        service = cleaned.get("service") or REPORTS_SERVICE
        cleaned["service"] = service
        if cleaned.get("status") and cleaned["status"] not in dict(service_statuses(service) or ()):
            self.add_error("status", _("Diesen Status gibt es bei dieser Leistung nicht."))
        if cleaned.get("category") and service != REPORTS_SERVICE:
            self.add_error("category", _("Kategorien gibt es nur beim Mängelmelder."))
        return cleaned

    @staticmethod
    def initial_from(template: AnswerTemplate) -> dict:
        return {"title": template.title, "body": template.body, "status": template.status, "order": template.order,
                "service": template.service,
                "is_active": template.is_active,
                "department": template.department.slug if template.department else "",
                "category": template.category.slug if template.category else ""}

