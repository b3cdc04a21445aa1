"""The staff preview of form definitions: a list, and per version the definition read-only
(keys, FIM ids, types, conditions) plus a working test form that validates without storing
anything. `?identitaet=beispiel` prefills it from a sample identity."""
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backoffice.views.access import not_found, staff_required

from .definition import fields_of, localized
from .rendering import FormBinding, values_display
from .selectors import definition_get, definition_list
from .services import submission_validate

__all__ = ["definition_index", "definition_preview"]

SAMPLE_IDENTITY = {
    "given_name": "Erika", "family_name": "Mustermann", "birthdate": "1964-08-12",
    "email": "erika.mustermann@example.org",
    "address": {"street": "Heidestraße", "house_number": "17", "postcode": "51147", "city": "Köln"},
}


@staff_required
def definition_index(request):
    return render(request, "eforms/definition_list.html", {"definitions": definition_list()})


def _overview(definition: dict) -> list[dict]:
    rows = []
    for spec in fields_of(definition):
        rows.append(_row(spec, depth=0))
        for inner in spec.get("fields", []) if spec["type"] == "group" else []:
            rows.append(_row(inner, depth=1))
    return rows


def _row(spec: dict, *, depth: int) -> dict:
    condition = spec.get("show_if")
    if condition:
        expected = condition.get("equals", condition.get("in"))
        condition = f"{condition['field']} = {expected}"
    return {"key": spec["key"], "fim_id": spec.get("fim_id", ""), "type": spec["type"], "depth": depth,
            "label": localized(spec["label"]), "required": bool(spec.get("required")) or spec["type"] == "declaration",
            "condition": condition or "", "prefill": spec.get("prefill", "")}


@staff_required
@require_http_methods(["GET", "POST"])
def definition_preview(request, slug: str, version: int):
    form_definition = definition_get(slug=slug, version=version)
    if form_definition is None:
        return not_found(request, _("Diese Formularversion gibt es nicht."))
    identity = SAMPLE_IDENTITY if request.GET.get("identitaet") == "beispiel" else None
    checked = None
    if request.method == "POST":
        result = submission_validate(form_definition, request.POST, request.FILES, identity)
        binding = result.binding
        if result.is_valid:
            checked = values_display(form_definition.definition, result.values)
    else:
        binding = FormBinding(form_definition.definition, identity=identity)
    errors = binding.errors()
    status = 400 if errors else 200
    return render(request, "eforms/preview.html", {
        "form_definition": form_definition, "title": localized(form_definition.definition["title"]),
        "intro": localized(form_definition.definition.get("intro")), "overview": _overview(form_definition.definition),
        "binding": binding, "errors": errors, "checked": checked, "with_identity": identity is not None,
    }, status=status)
