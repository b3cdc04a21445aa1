"""Checking a form definition: the JSON Schema (`schema/form-definition.schema.json`) for its
shape, then the rules a schema cannot say (unique keys, `show_if` naming a field that exists,
unique option values, min ≤ max, patterns that compile, upload limits). Also the small helpers
that read a definition: `localized` text and `fields_of` a form."""
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import jsonschema
from django.utils import translation

from .conf import eforms_setting

__all__ = ["SCHEMA_PATH", "DefinitionInvalid", "definition_errors", "definition_check", "localized", "fields_of"]

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "form-definition.schema.json"


class DefinitionInvalid(ValueError):
    """A definition that breaks the schema or a rule; `errors` are "path: message" lines."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _path(parts) -> str:
    return "/" + "/".join(str(p) for p in parts)


def definition_errors(definition) -> list[str]:
    """Every problem of `definition` as "JSON pointer: message" (empty list: valid)."""
    schema_errors = sorted(_validator().iter_errors(definition), key=lambda e: list(map(str, e.absolute_path)))
    if schema_errors:
        return [f"{_path(e.absolute_path)}: {_best(e).message}" for e in schema_errors]
    errors: list[str] = []
    top = [(f"/sections/{s}/fields/{i}", f) for s, section in enumerate(definition["sections"])
           for i, f in enumerate(section["fields"])]
    _scope_check(top, errors)
    for path, field in top:
        if field["type"] == "group":
            _scope_check([(f"{path}/fields/{i}", f) for i, f in enumerate(field["fields"])], errors)
    section_keys = [s["key"] for s in definition["sections"]]
    if len(set(section_keys)) != len(section_keys):
        errors.append("/sections: section keys must be unique")
    return errors


def _best(error):
    """The most telling error of a failed `if/then` (jsonschema's own best_match)."""
    return jsonschema.exceptions.best_match([error, *error.context]) if error.context else error


def _scope_check(fields: list[tuple[str, dict]], errors: list[str]) -> None:
    keys = {}
    for path, field in fields:
        if field["key"] in keys:
            errors.append(f"{path}/key: duplicate key {field['key']!r} (also at {keys[field['key']]})")
        keys.setdefault(field["key"], path)
    earlier: dict[str, dict] = {}
    for path, field in fields:
        condition = field.get("show_if")
        # Only an earlier field (of the same form or group item) may decide: no cycles, and the
        # page reads top to bottom.
        control = earlier.get(condition["field"]) if condition else None
        if condition and control is None:
            errors.append(f"{path}/show_if/field: {condition['field']!r} is no earlier field of the same form or group")
        elif control and control["type"] in ("group", "file"):
            errors.append(f"{path}/show_if/field: a {control['type']} field cannot be a condition")
        earlier.setdefault(field["key"], field)
        if "options" in field:
            values = [o["value"] for o in field["options"]]
            if len(set(values)) != len(values):
                errors.append(f"{path}/options: option values must be unique")
        for low, high in (("min", "max"), ("min_length", "max_length"), ("min_items", "max_items")):
            if low in field and high in field and field[low] > field[high]:
                errors.append(f"{path}: {low} must not be greater than {high}")
        if "pattern" in field:
            try:
                re.compile(field["pattern"])
            except re.error as exc:
                errors.append(f"{path}/pattern: not a regular expression ({exc})")
        if field["type"] == "file" and field["max_bytes"] > eforms_setting("UPLOAD_MAX_BYTES"):
            errors.append(f"{path}/max_bytes: above the limit of {eforms_setting('UPLOAD_MAX_BYTES')} bytes")
        if field["type"] == "date" and field.get("range") and ("min" in field or "max" in field):
            errors.append(f"{path}: use either range or min/max")


def definition_check(definition) -> None:
    """Raise `DefinitionInvalid` unless `definition` is a valid form definition."""
    errors = definition_errors(definition)
    if errors:
        raise DefinitionInvalid(errors)


def localized(text: dict | None) -> str:
    """The text in the active language, German where no translation is given."""
    if not text:
        return ""
    return text.get(translation.get_language() or "de") or text["de"]


def fields_of(definition: dict) -> Iterator[dict]:
    """The top-level fields of every section, in order (group fields carry their own `fields`)."""
    for section in definition["sections"]:
        yield from section["fields"]
