"""The Django form of a definition's fields (`DefinitionForm`), the formset of a repeating
group, and `FormBinding`: a whole definition bound to a request's data."""
import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..definition import fields_of, localized
from ..uploads import UploadError, upload_validate
from .fields import ADDRESS_PARTS, build_fields, condition_expected, field_names, norm_values
from .page import condition_view, field_item, item_errors

__all__ = ["ADD_ITEM_PREFIX", "DefinitionForm", "GroupFormSet", "FormBinding"]

ADD_ITEM_PREFIX = "_add_"


class DefinitionForm(forms.Form):
    """A form for a list of definition fields (the top level or one group item).

    Fields whose `show_if` does not hold are neither required nor validated, and their
    values are dropped (`hidden_keys`). File fields are checked by `eforms.uploads`.
    """

    # Not `specs`: a definition field with that key would take the attribute's place (keys
    # never start with "_").
    _specs: list[dict] = []
    use_required_attribute = False

    @property
    def specs(self) -> list[dict]:
        """The definition fields of this form, in order."""
        return self._specs

    def raw_values(self, key: str) -> list[str]:
        spec = next(s for s in self.specs if s["key"] == key)
        if spec["type"] == "address":
            return [str(self[n].value() or "") for n in field_names(spec)]
        bound = self[key]
        return norm_values(bound.data if self.is_bound else bound.value())

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
                self._errors.pop(name, None)
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
    attrs = {"_specs": specs}
    for spec in specs:
        if spec["type"] != "group":
            attrs.update(build_fields(spec))
    return type(name, (DefinitionForm,), attrs)


class GroupFormSet(forms.BaseFormSet):
    """The items of a repeating group; `min_items`/`max_items` count the items filled in."""

    spec: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.initial:
            self.extra = max(self.extra, len(self.initial))  # one item per prefilled entry

    def initial_form_count(self):
        # Prefilled items (`FormBinding(group_initial=)`, e.g. a renewal's household) are
        # ordinary items the person may empty to drop them, not Django's "initial" rows that
        # must stay filled in; so the page sends INITIAL_FORMS=0.
        return super().initial_form_count() if self.is_bound else 0

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

    def __init__(self, definition: dict, *, data=None, files=None, identity: dict | None = None,
                 group_initial: dict[str, list[dict]] | None = None):
        """`group_initial`: items a repeating group starts with on an unbound page, by group key
        (a renewal's household members); ignored once data are posted."""
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
                data[total] = str(max(1, min(count + 1, spec.get("max_items", 20))))
            else:
                self.adding = None
        self.form = form_class_for(self.top_specs)(data=data, files=files, initial=initial)
        starts = (group_initial or {}) if data is None else {}
        self.formsets = {g["key"]: _formset_class(g)(data=data, files=files, prefix=g["key"],
                                                      initial=starts.get(g["key"]) or None)
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
                summary.extend(item_errors(item))
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
                    items.append(field_item(self.form, spec, prefilled=spec["key"] in self.prefilled,
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
                "fields": [field_item(form, s, prefilled=False, show_errors=self.show_errors) for s in form.specs],
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
            "condition": condition_view(formset.forms[0] if formset.forms else None, spec, self.form),
        }
