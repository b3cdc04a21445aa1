"""Django form fields for the fields of a definition, with their validators and German
messages (English through gettext), and the `show_if` value comparison."""
import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..countries import country_choices
from ..definition import localized

__all__ = ["ADDRESS_PARTS", "build_fields", "field_names", "condition_expected", "norm_values", "english"]

ADDRESS_PARTS = ("street", "house_number", "postcode", "city")
_DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 5000, "email": 254, "phone": 30}
_PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()/\-]{4,29}$")
_HOUSE_NUMBER_RE = re.compile(r"^[0-9]{1,5} ?[A-Za-z]?( ?[-/] ?[0-9]{1,5} ?[A-Za-z]?)?$")
_POSTCODE_RE = re.compile(r"^[0-9]{5}$")


def _rule(predicate, message: str):
    """A validator raising `message` (already translated, no %-placeholders) unless predicate(value)."""

    def validator(value):
        if value not in (None, "") and not predicate(value):
            raise ValidationError(message, code="rule")  # not "invalid": a field would replace it

    return validator


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (`multiple`); cleans to a list of uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            uploads = [super(MultipleFileField, self).clean(d, initial) for d in data if d]
            if not uploads and self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return uploads
        upload = super().clean(data, initial)
        return [upload] if upload else []


def _text_validators(spec: dict, label: str) -> list:
    validators = []
    max_length = spec.get("max_length", _DEFAULT_MAX_LENGTH.get(spec["type"], 200))
    validators.append(_rule(lambda v: len(v) <= max_length,
                            _("„%(label)s“ darf höchstens %(n)s Zeichen lang sein.") % {
                                "label": label, "n": max_length}))
    if spec.get("min_length"):
        n = spec["min_length"]
        validators.append(_rule(lambda v: len(v) >= n,
                                _("„%(label)s“ muss mindestens %(n)s Zeichen lang sein.") % {"label": label, "n": n}))
    if spec.get("pattern"):
        pattern = re.compile(spec["pattern"])
        message = localized(spec.get("pattern_message")) or _("„%(label)s“ hat nicht das erwartete Format.") % {
            "label": label}
        validators.append(_rule(lambda v: pattern.fullmatch(v) is not None, message))
    return validators


def _date_validators(spec: dict, label: str) -> list:
    validators = []
    low = datetime.date.fromisoformat(spec["min"]) if "min" in spec else None
    high = datetime.date.fromisoformat(spec["max"]) if "max" in spec else None
    if low:
        validators.append(_rule(lambda v: v >= low, _("„%(label)s“ darf nicht vor dem %(date)s liegen.") % {
            "label": label, "date": date_format(low, "SHORT_DATE_FORMAT")}))
    if high:
        validators.append(_rule(lambda v: v <= high, _("„%(label)s“ darf nicht nach dem %(date)s liegen.") % {
            "label": label, "date": date_format(high, "SHORT_DATE_FORMAT")}))
    if spec.get("range") == "past":
        validators.append(_rule(lambda v: v <= timezone.localdate(),
                                _("„%(label)s“ darf nicht in der Zukunft liegen.") % {"label": label}))
    if spec.get("range") == "future":
        validators.append(_rule(lambda v: v >= timezone.localdate(),
                                _("„%(label)s“ darf nicht in der Vergangenheit liegen.") % {"label": label}))
    return validators


def _number_validators(spec: dict, label: str) -> list:
    validators = []
    if "min" in spec:
        low = Decimal(str(spec["min"]))
        validators.append(_rule(lambda v: v >= low, _("„%(label)s“ muss mindestens %(n)s sein.") % {
            "label": label, "n": _number_text(low)}))
    if "max" in spec:
        high = Decimal(str(spec["max"]))
        validators.append(_rule(lambda v: v <= high, _("„%(label)s“ darf höchstens %(n)s sein.") % {
            "label": label, "n": _number_text(high)}))
    return validators


def _number_text(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text.replace(".", ",") if not english() else text


def english() -> bool:
    """Whether the active language is English (numbers with a decimal point)."""
    return (translation.get_language() or "de").startswith("en")


def _please_choose() -> list[tuple[str, str]]:
    return [("", _("Bitte wählen"))]


def _options(spec: dict) -> list[tuple[str, str]]:
    return [(o["value"], localized(o["label"])) for o in spec["options"]]


def build_fields(spec: dict) -> dict[str, forms.Field]:
    """The Django form field(s) of one field of a definition (an address has four)."""
    kind, label = spec["type"], localized(spec["label"])
    required = bool(spec.get("required")) or kind == "declaration"
    messages = {"required": _("Bitte füllen Sie „%(label)s“ aus.") % {"label": label}}
    common = {"label": label, "required": required}
    if kind in ("text", "textarea", "email", "phone"):
        widget = {"text": forms.TextInput, "textarea": forms.Textarea,
                  "email": forms.EmailInput, "phone": forms.TextInput}[kind]()
        widget.attrs["maxlength"] = spec.get("max_length", _DEFAULT_MAX_LENGTH[kind])
        if kind == "phone":
            widget.input_type = "tel"
            widget.attrs["autocomplete"] = "tel"
        if kind == "email":
            widget.attrs["autocomplete"] = "email"
            messages["invalid"] = _(
                "Bitte geben Sie bei „%(label)s“ eine E-Mail-Adresse an, z. B. name@example.org.") % {"label": label}
        validators = _text_validators(spec, label)
        if kind == "phone":
            validators.append(_rule(lambda v: _PHONE_RE.fullmatch(v) is not None, _(
                "Bitte geben Sie bei „%(label)s“ eine Telefonnummer an, z. B. 0361 123456.") % {"label": label}))
        field_class = forms.EmailField if kind == "email" else forms.CharField
        field = field_class(widget=widget, validators=validators, error_messages=messages, **common)
        if kind == "email":
            field.max_length = None
        return {spec["key"]: field}
    if kind == "number":
        messages["invalid"] = _("Bitte geben Sie bei „%(label)s“ eine Zahl an.") % {"label": label}
        decimals = spec.get("decimals", 0)
        validators = _number_validators(spec, label)
        if decimals:
            field = forms.DecimalField(decimal_places=decimals, localize=True, validators=validators,
                                       error_messages=messages, **common)
            field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
        else:
            field = forms.IntegerField(localize=True, validators=validators, error_messages=messages, **common)
            field.widget = forms.TextInput(attrs={"inputmode": "numeric"})
        return {spec["key"]: field}
    if kind == "date":
        messages["invalid"] = _("Bitte geben Sie bei „%(label)s“ ein Datum an, z. B. 31.12.1980.") % {"label": label}
        widget = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
        if spec.get("prefill") == "birthdate":
            widget.attrs["autocomplete"] = "bday"
        return {spec["key"]: forms.DateField(widget=widget, input_formats=["%Y-%m-%d", "%d.%m.%Y"],
                                             validators=_date_validators(spec, label), error_messages=messages,
                                             **common)}
    if kind in ("choice", "country"):
        messages["required"] = _("Bitte wählen Sie bei „%(label)s“ eine Antwort aus.") % {"label": label}
        messages["invalid_choice"] = _("Bitte wählen Sie bei „%(label)s“ eine der angebotenen Antworten.") % {
            "label": label}
        if kind == "country":
            choices, widget = _please_choose() + country_choices(), forms.Select()
        elif spec.get("widget", "radio") == "radio":
            choices, widget = _options(spec), forms.RadioSelect()
        else:
            choices, widget = _please_choose() + _options(spec), forms.Select()
        return {spec["key"]: forms.ChoiceField(choices=choices, widget=widget, error_messages=messages, **common)}
    if kind == "multichoice":
        messages["required"] = _("Bitte wählen Sie bei „%(label)s“ mindestens eine Antwort aus.") % {"label": label}
        messages["invalid_choice"] = _("Bitte wählen Sie bei „%(label)s“ nur angebotene Antworten.") % {"label": label}
        return {spec["key"]: forms.MultipleChoiceField(choices=_options(spec), widget=forms.CheckboxSelectMultiple(),
                                                       error_messages=messages, **common)}
    if kind == "address":
        return _address_fields(spec, required)
    if kind == "file":
        messages["required"] = _("Bitte laden Sie bei „%(label)s“ eine Datei hoch.") % {"label": label}
        messages["invalid"] = _("Bitte laden Sie bei „%(label)s“ eine Datei hoch.") % {"label": label}
        messages["empty"] = _("Die Datei bei „%(label)s“ ist leer.") % {"label": label}
        field_class = MultipleFileField if spec.get("multiple") else forms.FileField
        field = field_class(error_messages=messages, **common)
        if not spec.get("multiple"):
            field.widget = forms.FileInput()
        field.widget.attrs["accept"] = ",".join(spec["accept"])
        return {spec["key"]: field}
    if kind == "declaration":
        messages["required"] = _("Bitte bestätigen Sie „%(label)s“.") % {"label": label}
        return {spec["key"]: forms.BooleanField(error_messages=messages, **common)}
    raise ValueError(f"no Django field for type {kind!r}")  # groups are formsets, see FormBinding


def _address_fields(spec: dict, required: bool) -> dict[str, forms.Field]:
    labels = {"street": _("Straße"), "house_number": _("Hausnummer"), "postcode": _("Postleitzahl"),
              "city": _("Ort")}
    autocomplete = {"street": "address-line1", "house_number": "off", "postcode": "postal-code",
                    "city": "address-level2"}
    checks = {
        "street": [_rule(lambda v: len(v) <= 100, _("Die Straße darf höchstens 100 Zeichen lang sein."))],
        "house_number": [_rule(lambda v: _HOUSE_NUMBER_RE.fullmatch(v) is not None,
                               _("Bitte geben Sie die Hausnummer an, z. B. 12 oder 12a."))],
        "postcode": [_rule(lambda v: _POSTCODE_RE.fullmatch(v) is not None,
                           _("Bitte geben Sie eine Postleitzahl aus fünf Ziffern an."))],
        "city": [_rule(lambda v: len(v) <= 100, _("Der Ort darf höchstens 100 Zeichen lang sein."))],
    }
    fields = {}
    for part in ADDRESS_PARTS:
        widget = forms.TextInput(attrs={"autocomplete": autocomplete[part],
                                        "maxlength": {"house_number": 12, "postcode": 5}.get(part, 100)})
        if part == "postcode":
            widget.attrs["inputmode"] = "numeric"
        fields[f"{spec['key']}__{part}"] = forms.CharField(
            label=labels[part], required=required, widget=widget, validators=checks[part],
            error_messages={"required": _("Bitte geben Sie bei „%(label)s“ an: %(part)s.") % {
                "label": localized(spec["label"]), "part": labels[part]}})
    return fields


def field_names(spec: dict) -> list[str]:
    """The Django field names of one definition field."""
    if spec["type"] == "address":
        return [f"{spec['key']}__{part}" for part in ADDRESS_PARTS]
    return [spec["key"]]


def norm_values(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [v for item in value for v in norm_values(item)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    return [] if value is None else [str(value)]


def condition_expected(condition: dict) -> set[str]:
    return set(norm_values(condition["equals"]) if "equals" in condition else norm_values(condition["in"]))
