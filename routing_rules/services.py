"""Writes: loading the routing rules from a versioned YAML document (and exporting them).

The YAML format (version 1):

    version: 1
    rules:
      - name: Parks → Grünflächenamt
        priority: 10
        category_group: gruen        # or: category: <slug>, or neither (any category)
        layer: parks                 # JurisdictionLayer slug
        condition: {}                # attribute containment, e.g. {section: Nord}
        department: gruenflaechen    # Department slug
        active: true

Loading replaces all rules in one transaction and validates every reference first:
an unknown slug or malformed entry raises RulesFileError and nothing changes.
"""
from django.db import transaction
from django.utils.translation import gettext as _

from geodata.models import JurisdictionLayer

from .models import Category, Department, RoutingRule

__all__ = ["RULES_FORMAT_VERSION", "RulesFileError", "rules_document_items", "rules_export", "rules_item_check",
           "rules_item_department", "rules_load"]

RULES_FORMAT_VERSION = 1
_ALLOWED_KEYS = {"name", "priority", "category", "category_group", "layer", "condition", "department", "active"}


class RulesFileError(ValueError):
    """The rules document is malformed or references something that does not exist."""


def rules_export() -> dict:
    """All rules as a YAML-ready dict, in evaluation order."""
    rules = RoutingRule.objects.select_related("category", "layer", "department").order_by("priority", "id")
    out = []
    for r in rules:
        item = {"name": r.name, "priority": r.priority}
        if r.category_id:
            item["category"] = r.category.slug
        if r.category_group:
            item["category_group"] = r.category_group
        item.update(layer=r.layer.slug, condition=r.condition or {}, department=r.department.slug,
                    active=r.is_active)
        out.append(item)
    return {"version": RULES_FORMAT_VERSION, "rules": out}


def rules_document_items(data, *, version: int = RULES_FORMAT_VERSION) -> list:
    """The list `rules` of a parsed rules document of format `version` (the shape every rules
    file shares: `version: n` and `rules: [...]`); RulesFileError otherwise."""
    if not isinstance(data, dict) or data.get("version") != version:
        raise RulesFileError(_("Regeldatei: „version: %(v)s“ erwartet.") % {"v": version})
    items = data.get("rules")
    if not isinstance(items, list):
        raise RulesFileError(_("Regeldatei: „rules“ muss eine Liste sein."))
    return items


def rules_item_check(n: int, item, *, allowed_keys: set) -> str:
    """Check the shape every rule entry shares (an object of known keys with a name); returns
    its place for further messages ("Regel n"). RulesFileError otherwise."""
    where = _("Regel %(n)s") % {"n": n}
    if not isinstance(item, dict):
        raise RulesFileError(_("%(w)s: Eintrag muss ein Objekt sein.") % {"w": where})
    unknown = set(item) - allowed_keys
    if unknown:
        raise RulesFileError(_("%(w)s: unbekannte Felder %(f)s.") % {"w": where, "f": ", ".join(sorted(unknown))})
    if not item.get("name"):
        raise RulesFileError(_("%(w)s: „name“ fehlt.") % {"w": where})
    return where


def rules_item_department(item: dict, *, departments: dict, where: str) -> Department:
    """The department named by the entry's slug (`departments`: slug → Department)."""
    department = departments.get(item.get("department"))
    if department is None:
        raise RulesFileError(_("%(w)s: unbekannter Fachbereich „%(s)s“.") % {"w": where, "s": item.get("department")})
    return department


def rules_load(*, data) -> int:
    """Replace all routing rules by those in `data` (a parsed YAML document); return the count."""
    items = rules_document_items(data)
    categories = {c.slug: c for c in Category.objects.all()}
    layers = {x.slug: x for x in JurisdictionLayer.objects.all()}
    departments = {d.slug: d for d in Department.objects.all()}
    new_rules = []
    for n, item in enumerate(items, start=1):
        where = rules_item_check(n, item, allowed_keys=_ALLOWED_KEYS)
        if item.get("category") and item.get("category_group"):
            raise RulesFileError(_("%(w)s: entweder „category“ oder „category_group“.") % {"w": where})
        category = None
        if item.get("category"):
            category = categories.get(item["category"])
            if category is None:
                raise RulesFileError(_("%(w)s: unbekannte Kategorie „%(s)s“.") % {"w": where, "s": item["category"]})
        layer = layers.get(item.get("layer"))
        if layer is None:
            raise RulesFileError(_("%(w)s: unbekannte Ebene „%(s)s“.") % {"w": where, "s": item.get("layer")})
        department = rules_item_department(item, departments=departments, where=where)
        condition = item.get("condition") or {}
        if not isinstance(condition, dict) or any(
            not isinstance(v, (str, int, float, bool)) for v in condition.values()
        ):
            raise RulesFileError(_("%(w)s: „condition“ muss ein Objekt aus einfachen Werten sein.") % {"w": where})
        priority = item.get("priority", 100)
        if not isinstance(priority, int) or isinstance(priority, bool):
            raise RulesFileError(_("%(w)s: „priority“ muss eine ganze Zahl sein.") % {"w": where})
        new_rules.append(RoutingRule(
            name=str(item["name"])[:200], priority=priority, category=category,
            category_group=item.get("category_group") or "", layer=layer, condition=condition,
            department=department, is_active=bool(item.get("active", True)),
        ))
    with transaction.atomic():
        RoutingRule.objects.all().delete()
        RoutingRule.objects.bulk_create(new_rules)
    return len(new_rules)
