"""Export and import of the topic rules in the versioned YAML shape of the routing rules
(`routing_rules.services`: `version` and `rules`, loading replaces all rules in one
transaction after every entry was checked):

    version: 1
    rules:
      - name: Lärm → Ordnungsamt
        order: 10
        topic: ordnung             # a topic of the form, or empty
        keywords: [Lärm, Ruhestörung]
        department: ordnungsamt    # Department slug
        active: true
"""
from django.db import transaction
from django.utils.translation import gettext as _

from routing_rules.models import Department
from routing_rules.services import RulesFileError, rules_document_items, rules_item_check, rules_item_department

from .models import TopicRule
from .routing import topic_choices

__all__ = ["TOPIC_RULES_FORMAT_VERSION", "topic_rules_export", "topic_rules_load"]

TOPIC_RULES_FORMAT_VERSION = 1
_ALLOWED_KEYS = {"name", "order", "topic", "keywords", "department", "active"}


def topic_rules_export() -> dict:
    """All topic rules as a YAML-ready dict, in evaluation order."""
    rules = TopicRule.objects.select_related("department").order_by("order", "pk")
    return {"version": TOPIC_RULES_FORMAT_VERSION, "rules": [
        {"name": r.name, "order": r.order, "topic": r.topic, "keywords": r.keyword_terms,
         "department": r.department.slug, "active": r.is_active}
        for r in rules]}


def _rule(n: int, item, *, departments: dict, topics: set) -> TopicRule:
    where = rules_item_check(n, item, allowed_keys=_ALLOWED_KEYS)
    department = rules_item_department(item, departments=departments, where=where)
    topic = item.get("topic") or ""
    if topic and topic not in topics:
        raise RulesFileError(_("%(w)s: unbekanntes Thema „%(s)s“.") % {"w": where, "s": topic})
    keywords = item.get("keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise RulesFileError(_("%(w)s: „keywords“ muss eine Liste von Wörtern sein.") % {"w": where})
    if not topic and not any(k.strip() for k in keywords):
        raise RulesFileError(_("%(w)s: „topic“ oder „keywords“ angeben.") % {"w": where})
    order = item.get("order", 100)
    if not isinstance(order, int) or isinstance(order, bool) or not 0 <= order <= 32767:
        raise RulesFileError(_("%(w)s: „order“ muss eine ganze Zahl von 0 bis 32767 sein.") % {"w": where})
    return TopicRule(name=str(item["name"])[:200], order=order, topic=topic,
                     keywords=", ".join(k.strip() for k in keywords if k.strip()), department=department,
                     is_active=bool(item.get("active", True)))


def topic_rules_load(*, data) -> int:
    """Replace all topic rules by those in `data` (a parsed YAML document); return the count.
    RulesFileError on any problem, and nothing changes."""
    items = rules_document_items(data, version=TOPIC_RULES_FORMAT_VERSION)
    departments = {d.slug: d for d in Department.objects.all()}
    topics = {value for value, _label in topic_choices()}
    new_rules = [_rule(n, item, departments=departments, topics=topics) for n, item in enumerate(items, start=1)]
    with transaction.atomic():
        TopicRule.objects.all().delete()
        TopicRule.objects.bulk_create(new_rules)
    return len(new_rules)
