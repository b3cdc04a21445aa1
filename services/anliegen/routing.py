"""Which department gets a general request: the topic rules, else the triage department.

Reads only. The topics are those of the form definition's field "topic" (one owner: the
definition), read from the newest active version in the database, else the bundled file.
"""
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from eforms.definition import fields_of, localized
from eforms.selectors import definition_current
from routing_rules.models import Department

from .conf import anliegen_setting
from .models import TopicRule

__all__ = ["DEFINITION_FILE", "TOPIC_FIELD", "RoutingDecision", "definition_bundled", "department_for",
           "department_triage", "topic_choices", "topic_label", "topic_rules_active"]

#: The key of the topic field in the form definition.
TOPIC_FIELD = "topic"
#: The definition shipped with the portal, used until the database holds a version.
DEFINITION_FILE = Path(__file__).resolve().parents[2] / "eforms" / "definitions" / "anliegen.json"


def definition_bundled() -> dict:
    """The form definition of the file (`DEFINITION_FILE`)."""
    return json.loads(DEFINITION_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class RoutingDecision:
    """The department chosen and the rule that chose it (None: the triage fallback)."""

    department: Department
    rule: TopicRule | None

    @property
    def is_triage(self) -> bool:
        return self.rule is None


def topic_choices(definition: dict | None = None) -> list[tuple[str, str]]:
    """(value, label) of the topic field of the form definition (the current one by default,
    else the bundled file), labels in the active language."""
    if definition is None:
        current = definition_current(slug=anliegen_setting("FORM_SLUG"))
        definition = current.definition if current else definition_bundled()
    for spec in fields_of(definition):
        if spec["key"] == TOPIC_FIELD:
            return [(o["value"], localized(o["label"])) for o in spec.get("options", [])]
    return []


def topic_label(value: str, definition: dict | None = None) -> str:
    """The label of a topic value (the value itself if unknown)."""
    return dict(topic_choices(definition)).get(value, value)


def topic_rules_active() -> QuerySet[TopicRule]:
    """The active rules of active departments, in evaluation order."""
    return (TopicRule.objects.filter(is_active=True, department__is_active=True).select_related("department")
            .order_by("order", "pk"))


def department_triage() -> Department:
    """The triage department of the settings; ImproperlyConfigured if it does not exist."""
    slug = anliegen_setting("TRIAGE_DEPARTMENT")
    department = Department.objects.filter(slug=slug, is_active=True).first()
    if department is None:
        raise ImproperlyConfigured(f"ANLIEGEN['TRIAGE_DEPARTMENT']: no active department with slug {slug!r}.")
    return department


def _matches(rule: TopicRule, *, topic: str, text: str) -> bool:
    if rule.topic and rule.topic != topic:
        return False
    keywords = rule.keyword_list
    return not keywords or any(keyword in text for keyword in keywords)


def department_for(*, topic: str, text: str) -> RoutingDecision:
    """The first active rule matching the topic and the text (title and description), else
    the triage department."""
    text = (text or "").lower()
    for rule in topic_rules_active():
        if _matches(rule, topic=topic or "", text=text):
            return RoutingDecision(department=rule.department, rule=rule)
    return RoutingDecision(department=department_triage(), rule=None)
