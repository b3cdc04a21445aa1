"""Forms as data: versioned JSON form definitions, rendered as accessible HTML without
JavaScript, validated on the server with German (and English) messages, prefilled from the
citizen's identity claims, and stored together with the definition's slug and version.

A definition (validated by `eforms/schema/form-definition.schema.json`, see `eforms.definition`):

    {
      "title": {"de": "Allgemeines Anliegen", "en": "General request"},
      "sections": [
        {"key": "anliegen", "legend": {"de": "Ihr Anliegen", "en": "Your request"},
         "fields": [
           {"key": "topic", "fim_id": "F99000001", "type": "choice", "widget": "radio",
            "label": {"de": "Thema", "en": "Topic"}, "required": true,
            "options": [{"value": "laerm", "label": {"de": "Lärm", "en": "Noise"}}]},
           {"key": "contact_email", "type": "email", "label": {...},
            "show_if": {"field": "contact_wanted", "equals": "yes"}, "required": true},
           {"key": "members", "type": "group", "label": {...}, "min_items": 1, "max_items": 6,
            "item_label": {"de": "Person", "en": "Person"}, "fields": [ ...fields, no groups... ]}
         ]}
      ]
    }

Every field has a stable `key` (the name in the stored values; never reused for another
meaning), optionally a `fim_id` in the style of the FIM data fields (`F` + 8 digits, e.g.
"F60000227", so that a value can be mapped to the federal schemas), `label` and `help` in
German and English (`{"de": ..., "en": ...}`, German required), `required`, `show_if`
(`{"field": key, "equals": value}` or `{"field": key, "in": [values]}`, referring to a field of
the same form or the same group item), `min_length`/`max_length`/`pattern`/`pattern_message`
for text, and `prefill` naming an identity claim ("given_name", "family_name", "birthdate",
"email", "phone", "address"). Field types: text, textarea, number (`min`, `max`, `decimals`),
date (`min`, `max` as ISO dates, `range`: "past" or "future"), choice (`widget` "radio" or
"select", `options` with `value` and `label`), multichoice, email, phone, address (street,
house number, postcode, city), country (ISO 3166-1 alpha-2, `eforms.countries`), file
(`accept` MIME types, `max_bytes`, `multiple`, `max_files`), declaration (a checkbox that must
be ticked) and group (a repeating group with `min_items`, `max_items` and its own `fields`).

Modules: `models` (FormDefinition), `definition` (schema and semantic checks), `countries`,
`rendering` (Django forms, formsets and the view model of the template), `uploads` (file
checks), `services` (validate and store a submission, create a definition version),
`selectors` (read definitions, show a stored submission with its own version), `views` (the
staff preview).
"""
