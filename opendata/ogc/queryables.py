"""The queryables of each collection (OGC 19-079r2, Part 3: Filtering, §6.2): the only
properties a client may name in `filter`, in a simple property filter (`?status=open`),
in `sortby` or in `properties`, each mapped to one SQL expression on the collection's main
table (alias `t`). A name outside this whitelist never reaches SQL; the expressions are
written here, and the property names of uploaded resources travel as bound parameters.

- `reports`: the public columns of `reporter.public`'s view (nothing else exists there);
- `jurisdiction-…`: the polygon's name, code and authority;
- `resource-…`: the top-level keys of the features' properties, typed by their JSON values.

`queryables_schema` renders them as the JSON Schema (draft 2019-09) the draft defines, the
primary geometry marked with `x-ogc-role`.
"""
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _

from config.db_router import read_connection
from reporter.models import Report
from routing_rules.models import Category, Department

from ..models import ResourceFeature

__all__ = ["GEOMETRY", "Queryable", "ogc_queryables", "queryables_properties", "queryables_schema"]

GEOMETRY = "geometry"  # the name of the primary geometry in every collection
JSON_SCHEMA = "https://json-schema.org/draft/2019-09/schema"


@dataclass(frozen=True)
class Queryable:
    """One queryable: `sql` on alias `t` (with `params` bound where it has placeholders);
    `type` one of string, integer, number, boolean, date-time, geometry."""

    name: str
    sql: str
    type: str
    title: str = ""
    params: dict = field(default_factory=dict)
    enum: tuple = ()
    geometry_format: str = "geometry-any"


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _reports() -> list[Queryable]:
    categories, departments = _table(Category), _table(Department)
    return [
        Queryable("id", "t.id", "integer", _("Kennung der Meldung")),
        Queryable("category", f"(SELECT c.slug FROM {categories} c WHERE c.id = t.category_id)", "string",
                  _("Kategorie (Kürzel)")),
        Queryable("status", "t.status", "string", _("Bearbeitungsstand"), enum=tuple(Report.Status.values)),
        Queryable("description", "t.description", "string", _("Beschreibung (moderiert)")),
        Queryable("department", f"(SELECT d.name FROM {departments} d WHERE d.id = t.department_id)",
                  "string", _("Zuständige Stelle")),
        Queryable("supporter_count", "t.supporter_count", "integer", _("Zahl der Unterstützungen")),
        Queryable("created_at", "t.created_at", "date-time", _("Eingegangen am")),
        Queryable("updated_at", "t.updated_at", "date-time", _("Zuletzt geändert am")),
        Queryable("closed_at", "t.closed_at", "date-time", _("Abgeschlossen am")),
        Queryable(GEOMETRY, "t.location", "geometry", _("Ort"), geometry_format="geometry-point"),
    ]


def _layer() -> list[Queryable]:
    return [
        Queryable("name", "t.name", "string", _("Name")),
        Queryable("code", "t.code", "string", _("Kennziffer")),
        Queryable("authority", "t.authority", "string", _("Zuständige Behörde")),
        Queryable(GEOMETRY, "t.geom", "geometry", _("Fläche"), geometry_format="geometry-multipolygon"),
    ]


# jsonb_typeof → (queryable type, SQL reading that key, NULL where a value has another type)
_RESOURCE_TYPES = {
    "number": ("number", "CASE WHEN jsonb_typeof(t.properties -> {k}) = 'number' "
                         "THEN (t.properties ->> {k})::float8 END"),
    "boolean": ("boolean", "CASE WHEN jsonb_typeof(t.properties -> {k}) = 'boolean' "
                           "THEN (t.properties ->> {k})::boolean END"),
    "string": ("string", "(t.properties ->> {k})"),
}


def _resource(key) -> list[Queryable]:
    """The keys of the resource's features; a key whose non-null values are all numbers
    (or all booleans) is a number (boolean), any other a string."""
    sql = (f"SELECT e.key, array_agg(DISTINCT jsonb_typeof(e.value)) FROM {_table(ResourceFeature)} f "
           "CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(f.properties) = 'object' "
           "THEN f.properties ELSE '{}'::jsonb END) e "
           "WHERE f.resource_id = %s GROUP BY e.key ORDER BY e.key")
    with read_connection(ResourceFeature).cursor() as cursor:
        cursor.execute(sql, [key])
        rows = cursor.fetchall()
    found = []
    for i, (name, kinds) in enumerate(rows):
        if name == GEOMETRY:
            continue
        kinds = set(kinds) - {"null"}
        kind = kinds.pop() if len(kinds) == 1 and next(iter(kinds)) in ("number", "boolean") else "string"
        queryable_type, template = _RESOURCE_TYPES[kind]
        placeholder = f"qk{i}"
        found.append(Queryable(name, template.format(k=f"%({placeholder})s"), queryable_type, name,
                               params={placeholder: name}))
    found.append(Queryable(GEOMETRY, "t.geometry", "geometry", _("Geometrie")))
    return found


def ogc_queryables(*, kind: str, key=None) -> dict[str, Queryable]:
    """The queryables of a collection of `kind` ("reports" | "layer" | "resource"), by name;
    one statement for a resource, none otherwise."""
    found = {"reports": _reports, "layer": _layer}[kind]() if kind != "resource" else _resource(key)
    return {queryable.name: queryable for queryable in found}


_SCHEMA_TYPES = {"string": {"type": "string"}, "integer": {"type": "integer"}, "number": {"type": "number"},
                 "boolean": {"type": "boolean"}, "date-time": {"type": "string", "format": "date-time"}}


def queryables_properties(queryables: dict[str, Queryable]) -> dict:
    """Each queryable's JSON Schema by name: the `properties` of the queryables resource,
    and the schemas of the simple property filters in the OpenAPI document."""
    properties = {}
    for queryable in queryables.values():
        if queryable.type == "geometry":
            entry = {"format": queryable.geometry_format, "x-ogc-role": "primary-geometry"}
        else:
            entry = dict(_SCHEMA_TYPES[queryable.type])
        if queryable.title:
            entry = {"title": queryable.title, **entry}
        if queryable.enum:
            entry["enum"] = list(queryable.enum)
        properties[queryable.name] = entry
    return properties


def queryables_schema(queryables: dict[str, Queryable], *, schema_id: str, title: str) -> dict:
    """The queryables as the JSON Schema of OGC 19-079r2 §6.2 (/req/queryables/get-response)."""
    properties = queryables_properties(queryables)
    return {"$schema": JSON_SCHEMA, "$id": schema_id, "type": "object", "title": title,
            "properties": properties, "additionalProperties": False}
