"""From a form definition to Django forms and an accessible page that works without JavaScript.

`FormBinding(definition, data=, files=, identity=)` builds one Django form for the top-level
fields and one formset per repeating group. Conditional fields (`show_if`) are always in the
HTML: without JavaScript they carry the note "nur ausfüllen, wenn …"; the server validates
them only when their condition holds and drops their values otherwise. With JavaScript
`eforms/js/conditions.js` (our own, served by us) hides and shows them. A repeating group
has a "weitere Person hinzufügen" submit button: the page comes back with one more item and
no error messages (`FormBinding.adding`). Prefilled fields (from identity claims) are marked
"aus Ihrem Konto übernommen".

`FormBinding.sections()` is the view model of `eforms/_form.html`: fieldsets with legends,
labels, hints and error messages linked through `aria-describedby`, and `errors` for the
error summary at the top (anchor, message).
"""
import datetime
import json
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .countries import country_choices, country_name
from .definition import fields_of, localized
from .uploads import UploadError, upload_validate

__all__ = ["FormBinding", "ADD_ITEM_PREFIX", "value_display"]

ADD_ITEM_PREFIX = "_add_"
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
    return text.replace(".", ",") if not _english() else text


def _english() -> bool:
    from django.utils import translation

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


def _norm(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [v for item in value for v in _norm(item)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    return [] if value is None else [str(value)]


def condition_expected(condition: dict) -> set[str]:
    return set(_norm(condition["equals"]) if "equals" in condition else _norm(condition["in"]))


class DefinitionForm(forms.Form):
    """A form for a list of definition fields (the top level or one group item).

    Fields whose `show_if` does not hold are neither required nor validated, and their
    values are dropped (`hidden_keys`). File fields are checked by `eforms.uploads`.
    """

    specs: list[dict] = []
    use_required_attribute = False

    def raw_values(self, key: str) -> list[str]:
        spec = next(s for s in self.specs if s["key"] == key)
        if spec["type"] == "address":
            return [str(self[n].value() or "") for n in field_names(spec)]
        bound = self[key]
        return _norm(bound.data if self.is_bound else bound.value())

    def condition_holds(self, spec: dict) -> bool:
        condition = spec.get("show_if")
        if not condition:
            return True
        control = next(s for s in self.specs if s["key"] == condition["field"])
        if not self.condition_holds(control):
            return False
        return bool(set(self.raw_values(condition["field"])) & condition_expected(condition))

    def full_clean(self):
        self.hidden_keys = {s["key"] for s in self.specs if not self.condition_holds(s)}
        for spec in self.specs:
            for name in field_names(spec):
                field = self.fields[name]
                field.required = (bool(spec.get("required")) or spec["type"] == "declaration") and \
                    spec["key"] not in self.hidden_keys
        super().full_clean()
        if not self.is_bound:
            return
        for key in self.hidden_keys:
            spec = next(s for s in self.specs if s["key"] == key)
            for name in field_names(spec):
                self._errors.pop(name, None) if self._errors else None
                if hasattr(self, "cleaned_data"):
                    self.cleaned_data.pop(name, None)

    def clean(self):
        cleaned = super().clean()
        for spec in self.specs:
            if spec["type"] != "file" or spec["key"] in self.hidden_keys or spec["key"] not in cleaned:
                continue
            uploads = cleaned[spec["key"]]
            uploads = uploads if isinstance(uploads, list) else [uploads] if uploads else []
            limit = spec.get("max_files", 5) if spec.get("multiple") else 1
            if len(uploads) > limit:
                self.add_error(spec["key"], _("Bitte laden Sie bei „%(label)s“ höchstens %(n)s Dateien hoch.") % {
                    "label": localized(spec["label"]), "n": limit})
                continue
            for upload in uploads:
                try:
                    upload.checked_content_type = upload_validate(
                        upload=upload, accept=spec["accept"], max_bytes=spec["max_bytes"])
                except UploadError as exc:
                    self.add_error(spec["key"], f"{upload.name}: {exc.message}")
        return cleaned

    def values(self) -> dict:
        """The cleaned values by definition key (addresses as dicts; hidden fields left out)."""
        values = {}
        for spec in self.specs:
            if spec["key"] in self.hidden_keys:
                continue
            if spec["type"] == "address":
                parts = {p: self.cleaned_data.get(f"{spec['key']}__{p}") or "" for p in ADDRESS_PARTS}
                values[spec["key"]] = parts if any(parts.values()) else None
                continue
            value = self.cleaned_data.get(spec["key"])
            if isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            elif spec["type"] == "file":
                value = value if isinstance(value, list) else [value] if value else []
            values[spec["key"]] = None if value in ("", None) else value
        return values


def form_class_for(specs: list[dict], *, name: str = "DefinitionForm") -> type[DefinitionForm]:
    attrs = {"specs": specs}
    for spec in specs:
        if spec["type"] != "group":
            attrs.update(build_fields(spec))
    return type(name, (DefinitionForm,), attrs)


class GroupFormSet(forms.BaseFormSet):
    """The items of a repeating group; `min_items`/`max_items` count the items filled in."""

    spec: dict = {}

    def filled_forms(self) -> list[DefinitionForm]:
        return [f for i, f in enumerate(self.forms) if i < self.min_num or f.has_changed()]

    def clean(self):
        if any(self.errors):
            return
        count, label = len(self.filled_forms()), localized(self.spec["label"])
        low, high = self.spec.get("min_items", 0), self.spec.get("max_items", 20)
        if count < low:
            raise ValidationError(_("Bitte geben Sie bei „%(label)s“ mindestens %(n)s Einträge an.") % {
                "label": label, "n": low}, code="too_few")
        if count > high:
            raise ValidationError(_("Bitte geben Sie bei „%(label)s“ höchstens %(n)s Einträge an.") % {
                "label": label, "n": high}, code="too_many")


def _formset_class(spec: dict):
    low, high = spec.get("min_items", 0), spec.get("max_items", 20)
    formset = forms.formset_factory(form_class_for(spec["fields"], name=f"Group_{spec['key']}"),
                                    formset=GroupFormSet, extra=0 if low else 1, min_num=low, max_num=high,
                                    absolute_max=high + 1, validate_min=False, validate_max=False)
    formset.spec = spec
    return formset


def _initial(spec: dict, identity: dict) -> dict:
    claim = identity.get(spec.get("prefill") or "")
    if claim in (None, "", {}):
        return {}
    if spec["type"] == "address" and isinstance(claim, dict):
        return {f"{spec['key']}__{p}": claim.get(p, "") for p in ADDRESS_PARTS if claim.get(p)}
    if spec["type"] == "date" and isinstance(claim, str):
        try:
            claim = datetime.date.fromisoformat(claim)
        except ValueError:
            return {}
    return {spec["key"]: claim}


class FormBinding:
    """A definition bound to a request's data: the top-level form and one formset per group."""

    def __init__(self, definition: dict, *, data=None, files=None, identity: dict | None = None):
        self.definition = definition
        self.identity = identity or {}
        specs = list(fields_of(definition))
        self.top_specs = [s for s in specs if s["type"] != "group"]
        self.group_specs = [s for s in specs if s["type"] == "group"]
        initial, self.prefilled = {}, set()
        for spec in self.top_specs:
            values = _initial(spec, self.identity)
            if values:
                initial.update(values)
                self.prefilled.add(spec["key"])
        self.adding = None
        if data is not None:
            self.adding = next((k[len(ADD_ITEM_PREFIX):] for k in data if k.startswith(ADD_ITEM_PREFIX)), None)
            if self.adding and self.adding in {g["key"] for g in self.group_specs}:
                data = data.copy()
                total = f"{self.adding}-TOTAL_FORMS"
                spec = next(g for g in self.group_specs if g["key"] == self.adding)
                try:
                    count = int(data.get(total, 0))
                except ValueError:
                    count = 0
                data[total] = str(min(count + 1, spec.get("max_items", 20)))
            else:
                self.adding = None
        self.form = form_class_for(self.top_specs)(data=data, files=files, initial=initial)
        self.formsets = {g["key"]: _formset_class(g)(data=data, files=files, prefix=g["key"])
                         for g in self.group_specs}
        self.show_errors = data is not None and not self.adding

    @property
    def is_bound(self) -> bool:
        return self.form.is_bound

    def is_valid(self) -> bool:
        """All forms valid; False while an item is being added (that request submits nothing)."""
        if not self.is_bound or self.adding:
            return False
        valid = self.form.is_valid()
        for spec in self.group_specs:
            if not self.form.condition_holds(spec):
                continue  # a group that is not shown is not validated (and not stored)
            # A missing or tampered management form is a non-form error of the formset (no exception).
            valid = self.formsets[spec["key"]].is_valid() and valid
        return valid

    def values(self) -> dict:
        """The cleaned values (call after is_valid()): every shown field by key, groups as lists."""
        values = self.form.values()
        for spec in self.group_specs:
            if not self.form.condition_holds(spec):
                continue
            values[spec["key"]] = [f.values() for f in self.formsets[spec["key"]].filled_forms()]
        return values

    def errors(self) -> list[tuple[str, str]]:
        """(anchor id, message) for the error summary, in the order of the page."""
        if not self.show_errors:
            return []
        summary = []
        for section in self.sections():
            for item in section["fields"]:
                summary.extend(_item_errors(item))
        return summary

    def sections(self) -> list[dict]:
        """The view model of the template, see the module docstring."""
        result = []
        for section in self.definition["sections"]:
            items = []
            for spec in section["fields"]:
                if spec["type"] == "group":
                    items.append(self._group_item(spec))
                else:
                    items.append(_field_item(self.form, spec, prefilled=spec["key"] in self.prefilled,
                                             show_errors=self.show_errors))
            result.append({"key": section["key"], "legend": localized(section["legend"]),
                           "help": localized(section.get("help")), "fields": items})
        return result

    def _group_item(self, spec: dict) -> dict:
        formset = self.formsets[spec["key"]]
        item_label = localized(spec.get("item_label")) or _("Eintrag")
        entries = []
        for index, form in enumerate(formset.forms):
            entries.append({
                "legend": f"{item_label} {index + 1}",
                "fields": [_field_item(form, s, prefilled=False, show_errors=self.show_errors) for s in form.specs],
            })
        non_form = list(formset.non_form_errors()) if self.show_errors and formset.is_bound else []
        return {
            "type": "group", "key": spec["key"], "id": f"group-{spec['key']}", "label": localized(spec["label"]),
            "help": localized(spec.get("help")), "hint_id": f"group-{spec['key']}-hint",
            "error_id": f"group-{spec['key']}-error", "errors": non_form, "entries": entries,
            "management_form": formset.management_form,
            "add_name": f"{ADD_ITEM_PREFIX}{spec['key']}",
            "add_label": _("Weitere Person hinzufügen") if (spec.get("item_label") or {}).get("de") == "Person"
            else _("Weiteren Eintrag hinzufügen"),
            "can_add": len(formset.forms) < spec.get("max_items", 20),
            "condition": _condition_view(formset.forms[0] if formset.forms else None, spec, self.form),
        }


def _condition_view(form, spec: dict, context_form: DefinitionForm) -> dict | None:
    condition = spec.get("show_if")
    if not condition:
        return None
    owner = context_form if any(s["key"] == condition["field"] for s in context_form.specs) else form
    control = next(s for s in owner.specs if s["key"] == condition["field"])
    expected = condition["equals"] if "equals" in condition else condition["in"]
    expected = expected if isinstance(expected, list) else [expected]
    options = {o["value"]: localized(o["label"]) for o in control.get("options", [])}
    texts = [options.get(str(v), _("angekreuzt") if v is True else str(v)) for v in expected]
    return {
        "name": owner.add_prefix(condition["field"]),
        "values": json.dumps(sorted(condition_expected(condition))),
        "note": _("Nur ausfüllen, wenn bei „%(label)s“ %(values)s gewählt ist.") % {
            "label": localized(control["label"]), "values": _(" oder ").join(f"„{t}“" for t in texts)},
        "shown": owner.condition_holds(spec),
    }


def _field_item(form: DefinitionForm, spec: dict, *, prefilled: bool, show_errors: bool) -> dict:
    key, kind = spec["key"], spec["type"]
    html_id = form.add_prefix(key).replace("_", "-") if kind == "address" else form[key].auto_id
    hint_id, error_id = f"{html_id}-hint", f"{html_id}-error"
    help_text = localized(spec.get("help"))
    item = {
        "type": kind, "key": key, "id": html_id, "label": localized(spec["label"]), "help": help_text,
        "required": bool(spec.get("required")) or kind == "declaration", "hint_id": hint_id, "error_id": error_id,
        "prefilled": prefilled, "condition": _condition_view(form, spec, form),
        "group_widget": kind in ("multichoice", "address") or (kind == "choice" and spec.get("widget", "radio") ==
                                                                 "radio"),
    }
    names = field_names(spec)
    errors = [e for n in names for e in (form.errors.get(n, []) if show_errors and form.is_bound else [])]
    item["errors"] = errors
    if kind == "file":
        item["accept_text"] = ", ".join(_type_name(t) for t in spec["accept"])
        item["max_text"] = _megabytes(spec["max_bytes"])
        item["multiple"] = bool(spec.get("multiple"))
    described = " ".join(i for i, present in ((hint_id, help_text or kind == "file" or item["condition"] or prefilled),
                                                (error_id, errors)) if present)
    item["described_by"] = described
    bound_fields = []
    for name in names:
        bound = form[name]
        attrs = bound.field.widget.attrs
        if not item["group_widget"] and described:
            attrs["aria-describedby"] = described
        if kind == "address":
            part_errors = form.errors.get(name) if show_errors and form.is_bound else None
            if part_errors:
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = error_id
        elif errors and not item["group_widget"]:
            attrs["aria-invalid"] = "true"
        bound_fields.append(bound)
    item["bound"] = bound_fields[0]
    item["parts"] = bound_fields if kind == "address" else []
    item["anchor"] = _anchor(form, spec, show_errors)
    return item


def _anchor(form: DefinitionForm, spec: dict, show_errors: bool) -> str:
    names = field_names(spec)
    if spec["type"] == "address":
        failing = [n for n in names if show_errors and form.is_bound and form.errors.get(n)]
        return form[failing[0] if failing else names[0]].auto_id
    bound = form[spec["key"]]
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_0"
    return bound.auto_id


def _item_errors(item: dict) -> list[tuple[str, str]]:
    if item["type"] == "group":
        found = [(item["id"], e) for e in item["errors"]]
        for entry in item["entries"]:
            for field in entry["fields"]:
                found.extend(_item_errors(field))
        return found
    return [(item["anchor"], str(e)) for e in item["errors"]]


def _type_name(content_type: str) -> str:
    return {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "image/heic": "HEIC",
            "application/pdf": "PDF"}.get(content_type, content_type)


def _megabytes(size: int) -> str:
    number = f"{size / (1024 * 1024):.1f}".removesuffix(".0")
    return f"{number if _english() else number.replace('.', ',')} MB"


def value_display(spec: dict, value) -> str:
    """A stored value as text for people (the staff view of a submission)."""
    if value in (None, "", []):
        return "–"
    kind = spec["type"]
    if kind in ("choice", "multichoice"):
        options = {o["value"]: localized(o["label"]) for o in spec["options"]}
        values = value if isinstance(value, list) else [value]
        return ", ".join(options.get(v, v) for v in values)
    if kind == "country":
        return country_name(value)
    if kind == "address" and isinstance(value, dict):
        return f"{value.get('street', '')} {value.get('house_number', '')}, {value.get('postcode', '')} " \
               f"{value.get('city', '')}".strip()
    if kind == "declaration":
        return _("bestätigt") if value else _("nicht bestätigt")
    if kind == "date":
        try:
            return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except (TypeError, ValueError):
            return str(value)
    if kind == "file":
        return ", ".join(f["name"] for f in value if isinstance(f, dict))
    return str(value)
