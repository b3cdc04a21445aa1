"""The view model of `eforms/_form.html`: per field its label, hints, errors, ids for
`aria-describedby` and the error summary, and its condition note; and stored values as text."""
import datetime
import json
from decimal import Decimal

from django import forms
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from ..countries import country_name
from ..definition import fields_of, localized
from .fields import condition_expected, english, field_names

__all__ = ["condition_view", "field_item", "item_errors", "value_display", "values_display"]


def condition_view(form, spec: dict, context_form: forms.Form) -> dict | None:
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


def field_item(form: forms.Form, spec: dict, *, prefilled: bool, show_errors: bool) -> dict:
    key, kind = spec["key"], spec["type"]
    html_id = form.add_prefix(key).replace("_", "-") if kind == "address" else form[key].auto_id
    hint_id, error_id = f"{html_id}-hint", f"{html_id}-error"
    help_text = localized(spec.get("help"))
    item = {
        "type": kind, "key": key, "id": html_id, "label": localized(spec["label"]), "help": help_text,
        "required": bool(spec.get("required")) or kind == "declaration", "hint_id": hint_id, "error_id": error_id,
        "prefilled": prefilled, "condition": condition_view(form, spec, form),
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


def _anchor(form: forms.Form, spec: dict, show_errors: bool) -> str:
    names = field_names(spec)
    if spec["type"] == "address":
        failing = [n for n in names if show_errors and form.is_bound and form.errors.get(n)]
        return form[failing[0] if failing else names[0]].auto_id
    bound = form[spec["key"]]
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_0"
    return bound.auto_id


def item_errors(item: dict) -> list[tuple[str, str]]:
    if item["type"] == "group":
        found = [(item["id"], e) for e in item["errors"]]
        for entry in item["entries"]:  # "Person 2: Bitte füllen Sie „Name“ aus."
            for field in entry["fields"]:
                found.extend((anchor, f"{entry['legend']}: {message}") for anchor, message in item_errors(field))
        return found
    return [(item["anchor"], str(e)) for e in item["errors"]]


def _type_name(content_type: str) -> str:
    return {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "image/heic": "HEIC",
            "application/pdf": "PDF"}.get(content_type, content_type)


def _megabytes(size: int) -> str:
    number = f"{size / (1024 * 1024):.1f}".removesuffix(".0")
    return f"{number if english() else number.replace('.', ',')} MB"


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
    if kind == "file":  # stored references, or uploads not stored yet (the preview)
        return ", ".join(f["name"] if isinstance(f, dict) else f.name for f in value)
    if kind == "number":
        try:
            return number_format(Decimal(str(value)))
        except (ArithmeticError, ValueError):
            return str(value)
    return str(value)


def values_display(definition: dict, values: dict) -> list[dict]:
    """Values by key as rows {key, label, value} in the order of the definition, labelled in
    the active language (a group: a row with `entries`, each a list of rows)."""
    rows = []
    for spec in fields_of(definition):
        if spec["key"] not in values:
            continue
        if spec["type"] == "group":
            items = [[{"key": s["key"], "label": localized(s["label"]), "value": value_display(s, item.get(s["key"]))}
                      for s in spec["fields"] if s["key"] in item] for item in values[spec["key"]]]
            rows.append({"key": spec["key"], "label": localized(spec["label"]), "entries": items})
        else:
            rows.append({"key": spec["key"], "label": localized(spec["label"]),
                         "value": value_display(spec, values[spec["key"]])})
    return rows
