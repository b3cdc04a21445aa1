"""Reads of the eforms app: definitions by slug and version, and a stored submission shown
with the labels of the version it was made with (never the current one)."""
from django.db.models import QuerySet

from .models import FormDefinition
from .rendering import values_display

__all__ = ["definition_list", "definition_get", "definition_current", "submission_display"]


def definition_list() -> QuerySet[FormDefinition]:
    """Every version of every form, newest version first per form (without the JSON)."""
    return FormDefinition.objects.defer("definition").order_by("slug", "-version")


def definition_get(*, slug: str, version: int) -> FormDefinition | None:
    return FormDefinition.objects.filter(slug=slug, version=version).first()


def definition_current(*, slug: str) -> FormDefinition | None:
    """The newest active version of form `slug`, the one new submissions use."""
    return FormDefinition.objects.filter(slug=slug, is_active=True).order_by("-version").first()


def submission_display(record: dict) -> list[dict]:
    """A stored submission as rows {key, label, value} (groups: rows with `entries`), labelled by
    its own definition version; raises FormDefinition.DoesNotExist if that version is gone."""
    definition = FormDefinition.objects.get(slug=record["form"], version=record["version"]).definition
    return values_display(definition, record.get("values", {}))
