"""Rendering and validating a definition: every field type renders with a label and
validates with a German message (English under translation.override); conditional fields
are required only when shown; repeating groups count their items and grow without
JavaScript; prefilled fields are marked."""
import re

import pytest
import time_machine
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation

from eforms.rendering import FormBinding

from .conftest import definition_json, one_field


def qd(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def html_of(binding: FormBinding) -> str:
    return render_to_string("eforms/_form.html", {"binding": binding, "submit_label": "Absenden"})


def validate(field: dict, data: dict, **kwargs) -> tuple[dict | None, list[str]]:
    binding = FormBinding(one_field(field, **kwargs), data=qd(**data))
    if binding.is_valid():
        return binding.values(), []
    return None, [message for _, message in binding.errors()]


CASES = [
    ({"key": "name", "type": "text", "label": {"de": "Name", "en": "Name"}, "required": True, "max_length": 5},
     {"name": "Anna"}, {"name": "Anna"}, {"name": "Annabella"},
     "„Name“ darf höchstens 5 Zeichen lang sein.", "“Name” may be at most 5 characters long."),
    ({"key": "text", "type": "textarea", "label": {"de": "Text", "en": "Text"}, "required": True, "min_length": 3},
     {"text": "Hallo"}, {"text": "Hallo"}, {"text": "Ha"},
     "„Text“ muss mindestens 3 Zeichen lang sein.", "“Text” must be at least 3 characters long."),
    ({"key": "code", "type": "text", "label": {"de": "Code", "en": "Code"}, "pattern": "[A-Z]{2}[0-9]{2}",
      "pattern_message": {"de": "Zwei Buchstaben, zwei Ziffern.", "en": "Two letters, two digits."}},
     {"code": "AB12"}, {"code": "AB12"}, {"code": "ab12"},
     "Zwei Buchstaben, zwei Ziffern.", "Two letters, two digits."),
    ({"key": "area", "type": "number", "label": {"de": "Fläche", "en": "Area"}, "min": 10, "max": 500, "decimals": 1},
     {"area": "62,5"}, {"area": "62.5"}, {"area": "9"},
     "„Fläche“ muss mindestens 10 sein.", "“Area” must be at least 10."),
    ({"key": "rooms", "type": "number", "label": {"de": "Zimmer", "en": "Rooms"}, "max": 20},
     {"rooms": "3"}, {"rooms": 3}, {"rooms": "drei"},
     "Bitte geben Sie bei „Zimmer“ eine Zahl an.", "Please enter a number for “Rooms”."),
    ({"key": "born", "type": "date", "label": {"de": "Geboren", "en": "Born"}, "range": "past"},
     {"born": "1980-12-31"}, {"born": "1980-12-31"}, {"born": "2030-01-01"},
     "„Geboren“ darf nicht in der Zukunft liegen.", "“Born” must not be in the future."),
    ({"key": "day", "type": "date", "label": {"de": "Tag", "en": "Day"}, "min": "2026-01-01", "max": "2026-12-31"},
     {"day": "24.12.2026"}, {"day": "2026-12-24"}, {"day": "2025-12-31"},
     "„Tag“ darf nicht vor dem 01.01.2026 liegen.", "“Day” must not be before 01/01/2026."),
    ({"key": "day", "type": "date", "label": {"de": "Tag", "en": "Day"}},
     {"day": "2026-02-28"}, {"day": "2026-02-28"}, {"day": "30.02.2026"},
     "Bitte geben Sie bei „Tag“ ein Datum an, z. B. 31.12.1980.", "Please enter a date for “Day”, e.g. 31.12.1980."),
    ({"key": "topic", "type": "choice", "label": {"de": "Thema", "en": "Topic"}, "required": True,
      "options": [{"value": "a", "label": {"de": "A"}}, {"value": "b", "label": {"de": "B"}}]},
     {"topic": "b"}, {"topic": "b"}, {},
     "Bitte wählen Sie bei „Thema“ eine Antwort aus.", "Please choose an answer for “Topic”."),
    ({"key": "topic", "type": "choice", "widget": "select", "label": {"de": "Thema", "en": "Topic"},
      "options": [{"value": "a", "label": {"de": "A"}}]},
     {"topic": "a"}, {"topic": "a"}, {"topic": "z"},
     "Bitte wählen Sie bei „Thema“ eine der angebotenen Antworten.", "Please choose one of the answers for “Topic”."),
    ({"key": "many", "type": "multichoice", "label": {"de": "Mehrere", "en": "Several"}, "required": True,
      "options": [{"value": "a", "label": {"de": "A"}}, {"value": "b", "label": {"de": "B"}}]},
     {"many": ["a", "b"]}, {"many": ["a", "b"]}, {},
     "Bitte wählen Sie bei „Mehrere“ mindestens eine Antwort aus.", "Please choose at least one answer for “Several”."),
    ({"key": "mail", "type": "email", "label": {"de": "E-Mail", "en": "Email"}},
     {"mail": "a@example.org"}, {"mail": "a@example.org"}, {"mail": "a@"},
     "Bitte geben Sie bei „E-Mail“ eine E-Mail-Adresse an, z. B. name@example.org.",
     "Please enter an email address for “Email”, e.g. name@example.org."),
    ({"key": "tel", "type": "phone", "label": {"de": "Telefon", "en": "Phone"}},
     {"tel": "+49 361 123456"}, {"tel": "+49 361 123456"}, {"tel": "abc"},
     "Bitte geben Sie bei „Telefon“ eine Telefonnummer an, z. B. 0361 123456.",
     "Please enter a phone number for “Phone”, e.g. 0361 123456."),
    ({"key": "addr", "type": "address", "label": {"de": "Anschrift", "en": "Address"}, "required": True},
     {"addr__street": "Markt", "addr__house_number": "12a", "addr__postcode": "99084", "addr__city": "Erfurt"},
     {"addr": {"street": "Markt", "house_number": "12a", "postcode": "99084", "city": "Erfurt"}},
     {"addr__street": "Markt", "addr__house_number": "12a", "addr__postcode": "9908", "addr__city": "Erfurt"},
     "Bitte geben Sie eine Postleitzahl aus fünf Ziffern an.", "Please enter a postcode of five digits."),
    ({"key": "land", "type": "country", "label": {"de": "Land", "en": "Country"}, "required": True},
     {"land": "AT"}, {"land": "AT"}, {"land": "XX"},
     "Bitte wählen Sie bei „Land“ eine der angebotenen Antworten.", "Please choose one of the answers for “Country”."),
    ({"key": "ok", "type": "declaration", "label": {"de": "Ich stimme zu.", "en": "I agree."}},
     {"ok": "on"}, {"ok": True}, {},
     "Bitte bestätigen Sie „Ich stimme zu.“.", "Please confirm “I agree.”."),
]


@pytest.mark.parametrize(("field", "good", "values", "bad", "german", "english"), CASES,
                         ids=[f"{c[0]['type']}-{i}" for i, c in enumerate(CASES)])
@time_machine.travel("2026-06-01 10:00 +02:00", tick=False)
def test_every_field_type_renders_and_validates(field, good, values, bad, german, english):
    html = html_of(FormBinding(one_field(field)))
    assert localized_label(field) in html
    assert validate(field, good) == (values, [])
    assert validate(field, bad) == (None, [german])
    with translation.override("en"):
        assert validate(field, bad)[1] == [english]


def localized_label(field):
    return field["label"]["de"]


def test_optional_fields_may_stay_empty():
    field = {"key": "name", "type": "text", "label": {"de": "Name"}}
    assert validate(field, {"name": ""}) == ({"name": None}, [])


def test_country_names_follow_the_language():
    field = {"key": "land", "type": "country", "label": {"de": "Land", "en": "Country"}}
    assert '<option value="AT">Österreich</option>' in html_of(FormBinding(one_field(field)))
    with translation.override("en"):
        assert '<option value="AT">Austria</option>' in html_of(FormBinding(one_field(field)))


CONTACT = [{"key": "reply", "type": "choice", "label": {"de": "Antwort gewünscht?"}, "required": True,
            "options": [{"value": "ja", "label": {"de": "Ja"}}, {"value": "nein", "label": {"de": "Nein"}}]}]
EMAIL = {"key": "mail", "type": "email", "label": {"de": "E-Mail"}, "required": True,
         "show_if": {"field": "reply", "equals": "ja"}}


def test_a_conditional_field_is_required_only_when_shown():
    assert validate(EMAIL, {"reply": "ja"}, before=CONTACT) == (
        None, ["Bitte füllen Sie „E-Mail“ aus."])
    assert validate(EMAIL, {"reply": "ja", "mail": "a@example.org"}, before=CONTACT) == (
        {"reply": "ja", "mail": "a@example.org"}, [])
    # Not shown: neither required nor validated, and its value is dropped.
    assert validate(EMAIL, {"reply": "nein", "mail": "kaputt"}, before=CONTACT) == ({"reply": "nein"}, [])


def test_a_conditional_field_carries_its_note_and_the_script_hooks():
    html = html_of(FormBinding(one_field(EMAIL, before=CONTACT)))
    assert "Nur ausfüllen, wenn bei „Antwort gewünscht?“ „Ja“ gewählt ist." in html
    assert 'data-show-if-name="reply" data-show-if-values="[&quot;ja&quot;]"' in html
    assert re.search(r'<input type="email" name="mail"[^>]*aria-describedby="id_mail-hint"', html)
    assert "/static/eforms/js/conditions.js" in html


def test_in_conditions_accept_any_listed_value():
    field = {**EMAIL, "show_if": {"field": "reply", "in": ["ja", "nein"]}}
    assert validate(field, {"reply": "nein"}, before=CONTACT) == (None, ["Bitte füllen Sie „E-Mail“ aus."])


def test_errors_are_linked_from_the_summary_and_described_at_the_field():
    binding = FormBinding(definition_json("anliegen"), data=qd(contact_wanted="ja", description="kurz"))
    assert not binding.is_valid()
    assert binding.errors() == [
        ("id_topic_0", "Bitte wählen Sie bei „Worum geht es?“ eine Antwort aus."),
        ("id_description", "„Beschreibung“ muss mindestens 10 Zeichen lang sein."),
        ("id_contact_email", "Bitte füllen Sie „E-Mail-Adresse“ aus."),
        ("id_declaration", "Bitte bestätigen Sie „Ich habe die Hinweise zum Datenschutz gelesen.“."),
    ]
    html = html_of(binding)
    assert re.search(r'<textarea name="description"[^>]*aria-describedby="id_description-hint id_description-error"'
                     r'[^>]*aria-invalid="true"', html) or re.search(
        r'<textarea name="description"[^>]*aria-invalid="true"[^>]*aria-describedby="id_description-hint '
        r'id_description-error"', html)
    assert '<span class="error-message" id="id_description-error">' in html
    assert '<fieldset aria-describedby="id_topic-error">' in html


def household(**values) -> QueryDict:
    base = {"members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "1",
            "members-MAX_NUM_FORMS": "6"}
    return qd(**{**base, **values})


def group_def(**group) -> dict:
    return one_field({"key": "members", "type": "group", "label": {"de": "Personen"}, "min_items": 1,
                      "max_items": 2, "item_label": {"de": "Person", "en": "Person"},
                      "fields": [{"key": "name", "type": "text", "label": {"de": "Name"}, "required": True}], **group})


def test_a_group_needs_its_minimum_of_items():
    binding = FormBinding(group_def(), data=household())
    assert not binding.is_valid()
    assert binding.errors() == [("id_members-0-name", "Person 1: Bitte füllen Sie „Name“ aus.")]
    binding = FormBinding(group_def(min_items=2), data=household(**{"members-0-name": "A"}))
    assert not binding.is_valid()
    assert binding.errors() == [("group-members", "Bitte geben Sie bei „Personen“ mindestens 2 Einträge an.")]


def test_a_group_refuses_more_than_its_maximum():
    data = household(**{"members-TOTAL_FORMS": "3", "members-0-name": "A", "members-1-name": "B",
                        "members-2-name": "C"})
    binding = FormBinding(group_def(), data=data)
    assert not binding.is_valid()
    assert ("group-members", "Bitte geben Sie bei „Personen“ höchstens 2 Einträge an.") in binding.errors()


def test_a_valid_group_stores_its_items_as_a_list():
    data = household(**{"members-TOTAL_FORMS": "2", "members-0-name": "A", "members-1-name": "B"})
    binding = FormBinding(group_def(), data=data)
    assert binding.is_valid()
    assert binding.values() == {"members": [{"name": "A"}, {"name": "B"}]}


def test_adding_an_item_without_javascript_rerenders_with_one_more_and_no_errors():
    html = html_of(FormBinding(group_def()))
    assert '<button type="submit" class="button secondary" name="_add_members" value="1">Weitere Person hinzufügen' \
           '</button>' in html
    binding = FormBinding(group_def(), data=household(**{"members-0-name": "Anna", "_add_members": "1"}))
    assert binding.adding == "members"
    assert not binding.is_valid() and binding.errors() == []
    html = html_of(binding)
    assert '<legend>Person 2</legend>' in html
    assert 'name="members-TOTAL_FORMS" value="2"' in html
    assert 'name="members-0-name" value="Anna"' in html
    assert "_add_members" not in html  # two of at most two: no button any more


def test_prefill_from_identity_claims_marks_the_fields():
    identity = {"given_name": "Erika", "family_name": "Mustermann", "birthdate": "1964-08-12",
                "address": {"street": "Heidestraße", "house_number": "17", "postcode": "51147", "city": "Köln"}}
    binding = FormBinding(definition_json("demo-haushalt"), identity=identity)
    assert binding.prefilled == {"given_name", "family_name", "birthdate", "address"}
    html = html_of(binding)
    assert 'name="given_name" value="Erika"' in html
    assert 'name="birthdate" value="1964-08-12"' in html
    assert 'name="address__street" value="Heidestraße"' in html
    assert html.count("aus Ihrem Konto übernommen") == 4
    with translation.override("en"):
        assert "taken from your account" in html_of(FormBinding(definition_json("demo-haushalt"), identity=identity))


def test_without_identity_nothing_is_marked():
    assert "aus Ihrem Konto übernommen" not in html_of(FormBinding(definition_json("demo-haushalt")))


def test_a_conditional_group_is_validated_only_when_shown():
    definition = group_def(show_if={"field": "reply", "equals": "ja"})
    definition["sections"][0]["fields"].insert(0, CONTACT[0])
    binding = FormBinding(definition, data=household(reply="nein"))
    assert binding.is_valid() and binding.values() == {"reply": "nein"}
    binding = FormBinding(definition, data=household(reply="ja"))
    assert not binding.is_valid()
    assert binding.errors() == [("id_members-0-name", "Person 1: Bitte füllen Sie „Name“ aus.")]


def test_a_field_may_have_the_key_of_a_form_attribute():
    fields = [{"key": key, "type": "text", "label": {"de": key}, "required": True}
              for key in ("specs", "clean", "data")]
    definition = {"title": {"de": "T"}, "sections": [{"key": "s", "legend": {"de": "S"}, "fields": fields}]}
    binding = FormBinding(definition, data=qd(specs="a", clean="b", data="c"))
    assert binding.is_valid() and binding.values() == {"specs": "a", "clean": "b", "data": "c"}
