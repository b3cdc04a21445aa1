"""The definition format: the shipped definitions are valid; broken ones are refused with an
error that names the place (JSON pointer) and the problem."""
import copy

import pytest

from eforms.definition import DefinitionInvalid, definition_check, definition_errors

from .conftest import definition_json, one_field


@pytest.mark.parametrize("name", ["anliegen", "demo-haushalt"])
def test_the_shipped_definitions_are_valid(name):
    assert definition_errors(definition_json(name)) == []


def test_the_demo_shows_every_field_type():
    kinds = set()
    for section in definition_json("demo-haushalt")["sections"]:
        for field in section["fields"]:
            kinds.add(field["type"])
            kinds.update(f["type"] for f in field.get("fields", []))
    kinds.add("declaration")
    assert kinds >= {"text", "textarea", "number", "date", "choice", "multichoice", "email", "phone", "address",
                     "country", "file", "declaration", "group"}


TEXT = {"key": "name", "type": "text", "label": {"de": "Name"}}


@pytest.mark.parametrize(("definition", "expected"), [
    ({"sections": []}, "/: 'title' is a required property"),
    (one_field({**TEXT, "type": "colour"}), "/sections/0/fields/0/type: 'colour' is not one of"),
    (one_field({**TEXT, "key": "Name-1"}), "/sections/0/fields/0/key: 'Name-1' does not match"),
    (one_field({**TEXT, "fim_id": "X123"}), "/sections/0/fields/0/fim_id: 'X123' does not match"),
    (one_field({**TEXT, "label": {"en": "Name"}}), "/sections/0/fields/0/label: 'de' is a required property"),
    (one_field({**TEXT, "min": 3}), "/sections/0/fields/0: Unevaluated properties are not allowed ('min' was"),
    (one_field({"key": "c", "type": "choice", "label": {"de": "C"}}),
     "/sections/0/fields/0: 'options' is a required property"),
    (one_field({"key": "f", "type": "file", "label": {"de": "F"}, "accept": ["text/html"], "max_bytes": 10}),
     "/sections/0/fields/0/accept/0: 'text/html' is not one of"),
    (one_field({**TEXT, "show_if": {"field": "x"}}), "/sections/0/fields/0/show_if: "),
    (one_field({"key": "g", "type": "group", "label": {"de": "G"}, "fields": [
        {"key": "h", "type": "group", "label": {"de": "H"}, "fields": [TEXT]}]}), "/sections/0/fields/0/fields/0"),
])
def test_schema_errors_name_the_place_and_the_problem(definition, expected):
    errors = definition_errors(definition)
    assert any(e.startswith(expected) for e in errors), errors


@pytest.mark.parametrize(("definition", "expected"), [
    (one_field(TEXT, before=[TEXT]), "/sections/0/fields/1/key: duplicate key 'name' (also at /sections/0/fields/0)"),
    (one_field({**TEXT, "show_if": {"field": "nothing", "equals": "x"}}),
     "/sections/0/fields/0/show_if/field: 'nothing' is no earlier field of the same form or group"),
    (one_field({**TEXT, "key": "first", "show_if": {"field": "name", "equals": "x"}}, before=[
        {**TEXT, "show_if": {"field": "first", "equals": "y"}}]),
     "/sections/0/fields/0/show_if/field: 'first' is no earlier field of the same form or group"),
    (one_field({**TEXT, "show_if": {"field": "g", "equals": "x"}}, before=[
        {"key": "g", "type": "group", "label": {"de": "G"}, "fields": [{**TEXT, "key": "x"}]}]),
     "/sections/0/fields/1/show_if/field: a group field cannot be a condition"),
    (one_field({**TEXT, "key": "a__b"}), "/sections/0/fields/0/key: 'a__b' does not match"),
    (one_field({"key": "n", "type": "number", "label": {"de": "N"}, "min": 5, "max": 1}),
     "/sections/0/fields/0: min must not be greater than max"),
    (one_field({**TEXT, "pattern": "("}), "/sections/0/fields/0/pattern: not a regular expression"),
    (one_field({"key": "c", "type": "choice", "label": {"de": "C"}, "options": [
        {"value": "a", "label": {"de": "A"}}, {"value": "a", "label": {"de": "B"}}]}),
     "/sections/0/fields/0/options: option values must be unique"),
    (one_field({"key": "f", "type": "file", "label": {"de": "F"}, "accept": ["application/pdf"],
                "max_bytes": 10**9}), "/sections/0/fields/0/max_bytes: above the limit of"),
    (one_field({"key": "d", "type": "date", "label": {"de": "D"}, "range": "past", "min": "2000-01-01"}),
     "/sections/0/fields/0: use either range or min/max"),
])
def test_rules_beyond_the_schema(definition, expected):
    errors = definition_errors(definition)
    assert any(e.startswith(expected) for e in errors), errors


def test_definition_check_raises_with_all_errors():
    broken = copy.deepcopy(definition_json("anliegen"))
    broken["sections"][0]["fields"][0]["type"] = "colour"
    with pytest.raises(DefinitionInvalid) as raised:
        definition_check(broken)
    assert raised.value.errors[0].startswith("/sections/0/fields/0/type: 'colour' is not one of")
