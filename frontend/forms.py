"""Forms of the citizen pages: the report form (without JavaScript, in two steps), reopening.

`ReportLocationForm` is step 1 — what and where: a category and a location given as a
place name (resolved through the gazetteer; ambiguous names give `candidates` to choose
from), a chosen candidate, or WGS 84 lon/lat. It also checks that the point is inside the
city (naming the responsible authority otherwise) and keeps the routing decision.
`ReportDetailsForm` is step 2 — the category's extra questions, photos, description and
optional email. Every message is German first, translated with Django's i18n.
"""
import uuid

from django import forms
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from geodata.selectors import place_get, place_resolve
from reporter.conf import stadtmelder_setting
from routing_rules.questions import answers_validate
from routing_rules.selectors import OutsideCity, category_list, route_point

__all__ = ["ReportLocationForm", "ReportDetailsForm", "ReopenForm", "question_fields", "submission_key_new"]

SUBMISSION_KEY_RE = r"^[A-Za-z0-9_-]{16,64}$"


def submission_key_new() -> str:
    """A fresh random key per rendered form: a re-sent form (double click, back button) files once."""
    return uuid.uuid4().hex


class CoordinateField(forms.FloatField):
    """Degrees as a decimal number; a decimal comma ("12,0819", as typed in German) is accepted."""

    default_error_messages = {"invalid": gettext_lazy("Bitte eine Zahl in Dezimalgrad angeben, z. B. 12.0819.")}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class ReportLocationForm(forms.Form):
    category = forms.ModelChoiceField(
        label=gettext_lazy("Was möchten Sie melden?"), queryset=category_list(), to_field_name="slug",
        widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": gettext_lazy("Bitte wählen Sie aus, was Sie melden möchten."),
                        "invalid_choice": gettext_lazy("Bitte wählen Sie eine der angebotenen Kategorien.")},
    )
    place_query = forms.CharField(
        label=gettext_lazy("Straße, Platz oder bekannter Ort"), required=False, max_length=200,
        help_text=gettext_lazy("Zum Beispiel „Johannisplatz“ oder „Heinrichstraße“."),
    )
    place = forms.CharField(required=False, max_length=20)
    lon = CoordinateField(label=gettext_lazy("Längengrad (lon)"), required=False, min_value=-180, max_value=180,
                           help_text=gettext_lazy("WGS 84 in Dezimalgrad, z. B. 12.0819"))
    lat = CoordinateField(label=gettext_lazy("Breitengrad (lat)"), required=False, min_value=-90, max_value=90,
                           help_text=gettext_lazy("WGS 84 in Dezimalgrad, z. B. 50.8787"))
    location_text = forms.CharField(
        label=gettext_lazy("Beschreibung des Ortes (freiwillig)"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Zum Beispiel „vor Hausnummer 12, neben der Bushaltestelle“."),
    )
    address = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = []
        self.resolution = None  # geodata PlaceResolution when candidates are offered (flags for the page)
        self.point = None
        self.routing = None
        for name in ("lon", "lat"):
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        self.fields["place_query"].widget.attrs.update({"autocomplete": "off", "type": "search"})

    def clean(self):
        data = super().clean()
        lon, lat = data.get("lon"), data.get("lat")
        if self.errors.get("lon") or self.errors.get("lat"):
            return data
        if (lon is None) != (lat is None):
            self.add_error("lat" if lat is None else "lon", _("Bitte Längen- und Breitengrad zusammen angeben."))
            return data
        field = "lon"
        if lon is not None:
            self.point = Point(lon, lat, srid=4326)  # x = lon, y = lat
        elif data.get("place"):
            place = place_get(pk=data["place"])
            if place is None:
                self.add_error("place", _("Bitte wählen Sie einen der vorgeschlagenen Orte."))
                self.resolution = place_resolve(q=data.get("place_query", ""))
                self.candidates = self.resolution.candidates
                return data
            self.point, data["address"], field = place.point, place.name, "place_query"
        elif data.get("place_query"):
            resolution = place_resolve(q=data["place_query"])
            field = "place_query"
            if resolution.place is not None:
                self.point, data["address"] = resolution.place.point, resolution.place.name
            elif resolution.candidates:
                self.candidates, self.resolution = resolution.candidates, resolution
                return data
            else:
                self.add_error("place_query", _("Zu „%(q)s“ haben wir keinen Ort gefunden. Bitte anders schreiben "
                                                "oder Koordinaten angeben.") % {"q": data["place_query"]})
                return data
        else:
            self.add_error("place_query", _("Bitte geben Sie an, wo das Problem ist: einen Ort suchen oder "
                                            "Koordinaten eingeben."))
            return data
        category = data.get("category")
        if category is not None:
            try:
                self.routing = route_point(point=self.point, category=category)
            except OutsideCity as exc:
                message = _("Dieser Ort liegt außerhalb des Stadtgebiets.")
                if exc.authority:
                    message = _("Dieser Ort liegt außerhalb des Stadtgebiets. Zuständig ist: %(a)s.") % {
                        "a": exc.authority}
                self.add_error(field, message)
        return data


def question_fields(category) -> list[tuple[str, dict, forms.Field]]:
    """(field name, question, form field) for each extra question of `category`.

    Field names are `q-<category slug>-<question key>`, so the questions of every category
    can sit in one page (the JavaScript version shows only the chosen category's).
    """
    english = (get_language() or "de").startswith("en")
    required_message = {"required": _("Diese Angabe ist erforderlich.")}
    out = []
    for question in category.questions or []:
        label = (question.get("label_en") if english else None) or question["label"]
        required = bool(question.get("required"))
        kind = question.get("type", "text")
        if kind == "choice":
            field = forms.ChoiceField(label=label, required=required, widget=forms.RadioSelect,
                                      choices=[(str(c), str(c)) for c in question["choices"]])
        elif kind == "boolean":
            field = forms.ChoiceField(label=label, required=required, widget=forms.RadioSelect,
                                      choices=[("ja", _("Ja")), ("nein", _("Nein"))])
        elif kind == "integer":
            field = forms.IntegerField(label=label, required=required,
                                       widget=forms.TextInput(attrs={"inputmode": "numeric"}))
        else:
            field = forms.CharField(label=label, required=required, max_length=1000)
        field.error_messages.update(required_message)
        out.append((f"q-{category.slug}-{question['key']}", question, field))
    return out


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        limit = stadtmelder_setting("PHOTO_MAX_PER_REPORT")
        if len(files) > limit:
            raise ValidationError(_("Bitte höchstens %(n)d Fotos auswählen.") % {"n": limit})
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


PHOTO_LABEL_OPTIONAL = gettext_lazy("Fotos (freiwillig)")
PHOTO_LABEL_REQUIRED = gettext_lazy("Fotos (erforderlich)")


class ReportDetailsForm(forms.Form):
    photos = MultipleFileField(
        label=PHOTO_LABEL_OPTIONAL, required=False,
        help_text=gettext_lazy("Bis zu 3 Fotos: JPEG, PNG, WebP oder HEIC. Bitte keine Gesichter oder "
                               "Autokennzeichen fotografieren."),
    )
    description = forms.CharField(
        label=gettext_lazy("Beschreibung (freiwillig)"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Was ist kaputt oder gefährlich? Sie wird nach einer Prüfung veröffentlicht."),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-Mail-Adresse für Rückmeldungen (freiwillig)"), required=False,
        error_messages={"invalid": gettext_lazy("Bitte eine gültige E-Mail-Adresse angeben, z. B. name@example.org.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    submission_key = forms.RegexField(SUBMISSION_KEY_RE, required=False)

    def __init__(self, *args, category=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        if category is not None and category.photo_required:
            self.photos_require()
        self.questions = question_fields(category) if category is not None else []
        for name, _question, field in self.questions:
            self.fields[name] = field

    def photos_require(self) -> None:
        """The chosen category needs a photo: say so in the label and refuse a report without one."""
        field = self.fields["photos"]
        field.required = True
        field.label = PHOTO_LABEL_REQUIRED
        field.error_messages["required"] = _("Für diese Kategorie ist ein Foto erforderlich.")

    def clean(self):
        data = super().clean()
        if self.category is None:
            return data
        raw = {}
        for name, question, _field in self.questions:
            value = data.get(name)
            if value in (None, ""):
                continue
            if question.get("type") == "boolean":
                value = value == "ja"
            raw[question["key"]] = value
        try:
            data["answers"] = answers_validate(questions=self.category.questions, answers=raw)
        except ValidationError as exc:
            by_key = {f"answers.{q['key']}": name for name, q, _f in self.questions}
            for key, messages in exc.message_dict.items():
                name = by_key.get(key)
                if name is None or name not in self.errors:  # the field itself may have said it already
                    self.add_error(name, messages)
        return data


class ReopenForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Was ist noch nicht behoben?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Bitte beschreiben Sie kurz, was noch nicht behoben ist.")},
    )


class SupportForm(forms.Form):
    """ "Ich auch", optionally with an address for news about the report (no double opt-in:
    each message has an unsubscribe link)."""

    email = forms.EmailField(
        label=gettext_lazy("E-Mail-Adresse für Neuigkeiten zu dieser Meldung (freiwillig)"), required=False,
        error_messages={"invalid": gettext_lazy("Bitte eine gültige E-Mail-Adresse angeben, z. B. name@example.org.")},
        help_text=gettext_lazy("Wir schreiben Ihnen, wenn sich der Stand ändert. Jede Nachricht enthält einen Link "
                               "zum Abbestellen; die Adresse wird nie veröffentlicht."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

