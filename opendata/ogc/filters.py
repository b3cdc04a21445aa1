"""CQL2 filters (OGC 21-065, draft of OGC API – Features Part 3) translated to SQL.

pygeofilter parses `filter` (CQL2 text or JSON) into its AST; this module walks the AST and
writes a WHERE fragment in which every property is a queryable's expression
(`queryables`, a whitelist) and every value a bound parameter (`%(fN)s`): no text of the
request is ever put into the SQL string. Types are checked before SQL is written (a
number compared with text would be a PostgreSQL error, i.e. a 500); geometries in the
filter are read by shapely, checked, and moved to WGS 84 from `filter-crs` (`crs`).

Supported (and declared in the conformance): basic CQL2 (comparisons, AND/OR/NOT, IS NULL),
the advanced comparison operators (LIKE, BETWEEN, IN), CASEI, and the spatial functions
S_INTERSECTS, S_DISJOINT, S_CONTAINS, S_WITHIN, S_TOUCHES, S_CROSSES, S_OVERLAPS, S_EQUALS
with geometry literals and BBOX. Anything else (temporal and array functions, arithmetic,
other functions) is a 400 that names the operator.
"""
import json
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache

import shapely
from django.utils.translation import gettext as _
from lark.exceptions import UnexpectedInput
from pygeofilter import ast, values
from pygeofilter.parsers.cql2_json import parse as cql2_json_parse
from pygeofilter.parsers.cql2_text import parse as cql2_text_parse
from shapely.geometry import box, shape

from .crs import Crs, crs_geometry_to_wgs84
from .errors import OgcParamError
from .queryables import Queryable

__all__ = ["FILTER_LANGS", "SqlFilter", "filter_parse"]

FILTER_LANGS = ("cql2-text", "cql2-json")
FILTER_MAX_LENGTH = 20_000

_SPATIAL = {"INTERSECTS": "ST_Intersects", "DISJOINT": "ST_Disjoint", "CONTAINS": "ST_Contains",
            "WITHIN": "ST_Within", "TOUCHES": "ST_Touches", "CROSSES": "ST_Crosses", "OVERLAPS": "ST_Overlaps",
            "EQUALS": "ST_Equals"}
_CASTS = {"string": "text", "number": "float8", "date-time": "timestamptz", "boolean": "boolean"}


@dataclass
class SqlFilter:
    """A WHERE fragment and its bound parameters."""

    sql: str
    params: dict = field(default_factory=dict)


class _Writer:
    """Writes one filter: `prefix` keeps its parameter names apart from others'."""

    def __init__(self, queryables: dict[str, Queryable], crs: Crs, prefix: str):
        self.queryables, self.crs, self.prefix = queryables, crs, prefix
        self.params: dict = {}

    def bind(self, value, kind: str) -> str:
        name = f"{self.prefix}{len(self.params)}"
        self.params[name] = value
        return f"%({name})s::{_CASTS[kind]}" if kind in _CASTS else f"%({name})s"

    def queryable(self, node: ast.Attribute) -> Queryable:
        found = self.queryables.get(node.name)
        if found is None:
            raise OgcParamError(
                _("filter: die Eigenschaft „%(name)s“ ist nicht abfragbar. Abfragbar sind: %(names)s.")
                % {"name": node.name, "names": ", ".join(self.queryables)})
        self.params.update(found.params)
        return found

    # --- scalar operands: (sql, type) with integer folded into number -----------------

    def operand(self, node) -> tuple[str, str]:
        if isinstance(node, ast.Attribute):
            found = self.queryable(node)
            if found.type == "geometry":
                raise OgcParamError(_("filter: die Geometrie „%(name)s“ kann nur mit räumlichen Funktionen "
                                      "(z. B. S_INTERSECTS) verglichen werden.") % {"name": node.name})
            return found.sql, "number" if found.type == "integer" else found.type
        if isinstance(node, ast.Function):
            if node.name == "lower" and len(node.arguments) == 1:  # CASEI(…), as pygeofilter reads it
                sql, kind = self.operand(node.arguments[0])
                if kind != "string":
                    raise OgcParamError(_("filter: CASEI erwartet einen Text."))
                return f"lower({sql})", "string"
            raise OgcParamError(_("filter: die Funktion %(name)s wird nicht unterstützt.") % {"name": node.name})
        if isinstance(node, bool):
            return self.bind(node, "boolean"), "boolean"
        if isinstance(node, (int, float)):
            if not math.isfinite(node):
                raise OgcParamError(_("filter: Zahlen müssen endlich sein."))
            return self.bind(float(node), "number"), "number"
        if isinstance(node, str):
            return self.bind(node, "string"), "string"
        if isinstance(node, datetime):
            moment = node if node.tzinfo else node.replace(tzinfo=UTC)
            return self.bind(moment.astimezone(UTC), "date-time"), "date-time"
        if isinstance(node, date):
            return self.bind(datetime(node.year, node.month, node.day, tzinfo=UTC), "date-time"), "date-time"
        raise OgcParamError(_("filter: %(what)s ist hier nicht erlaubt.") % {"what": _describe(node)})

    def same_type(self, *nodes) -> list[str]:
        written = [self.operand(node) for node in nodes]
        kinds = {kind for _sql, kind in written}
        if len(kinds) > 1:
            raise OgcParamError(_("filter: verglichen werden nur Werte gleicher Art, nicht %(kinds)s.")
                                % {"kinds": " / ".join(sorted(kinds))})
        return [sql for sql, _kind in written]

    # --- geometry operands ---------------------------------------------------------------

    def geometry(self, node) -> str:
        if isinstance(node, ast.Attribute):
            found = self.queryable(node)
            if found.type != "geometry":
                raise OgcParamError(_("filter: „%(name)s“ ist keine Geometrie.") % {"name": node.name})
            return found.sql
        try:
            if isinstance(node, values.Geometry):
                literal = shape(node.geometry)
            elif isinstance(node, values.Envelope):
                literal = box(node.x1, node.y1, node.x2, node.y2)
            elif isinstance(node, ast.Function) and node.name.lower() == "bbox" and len(node.arguments) in (4, 6):
                numbers = [float(v) for v in node.arguments]
                numbers = numbers if len(numbers) == 4 else [numbers[0], numbers[1], numbers[3], numbers[4]]
                literal = box(*numbers)
            else:
                raise OgcParamError(_("filter: %(what)s ist keine Geometrie.") % {"what": _describe(node)})
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, shapely.errors.ShapelyError):
            raise OgcParamError(_("filter: die Geometrie ist ungültig.")) from None
        if literal.is_empty or not literal.is_valid:
            raise OgcParamError(_("filter: die Geometrie ist ungültig (leer oder sich selbst schneidend)."))
        literal = crs_geometry_to_wgs84(literal, self.crs, param="filter-crs")
        name = f"{self.prefix}{len(self.params)}"
        self.params[name] = literal.wkt
        return f"ST_GeomFromText(%({name})s, 4326)"

    # --- predicates ----------------------------------------------------------------------

    def write(self, node) -> str:  # noqa: PLR0911, PLR0912 — one branch per CQL2 operator
        if isinstance(node, ast.And):
            return f"({self.write(node.lhs)} AND {self.write(node.rhs)})"
        if isinstance(node, ast.Or):
            return f"({self.write(node.lhs)} OR {self.write(node.rhs)})"
        if isinstance(node, ast.Not):
            return f"(NOT {self.write(node.sub_node)})"
        if isinstance(node, ast.Include):
            return "FALSE" if node.not_ else "TRUE"
        if isinstance(node, ast.Comparison):
            lhs, rhs = self.same_type(node.lhs, node.rhs)
            return f"({lhs} {node.op.value} {rhs})"
        if isinstance(node, ast.Between):
            lhs, low, high = self.same_type(node.lhs, node.low, node.high)
            return f"({lhs} {'NOT ' if node.not_ else ''}BETWEEN {low} AND {high})"
        if isinstance(node, ast.Like):
            lhs, pattern = self.same_type(node.lhs, node.pattern)
            # CQL2's wildcards are SQL's (% and _, escaped with a backslash).
            return f"({lhs} {'NOT ' if node.not_ else ''}{'ILIKE' if node.nocase else 'LIKE'} {pattern})"
        if isinstance(node, ast.In):
            if not node.sub_nodes:
                raise OgcParamError(_("filter: IN braucht mindestens einen Wert."))
            lhs, *items = self.same_type(node.lhs, *node.sub_nodes)
            return f"({lhs} {'NOT ' if node.not_ else ''}IN ({', '.join(items)}))"
        if isinstance(node, ast.IsNull):
            sql = self.geometry(node.lhs) if isinstance(node.lhs, ast.Attribute) and self.queryable(
                node.lhs).type == "geometry" else self.operand(node.lhs)[0]
            return f"({sql} IS {'NOT ' if node.not_ else ''}NULL)"
        if isinstance(node, ast.SpatialComparisonPredicate) and node.op.name in _SPATIAL:
            return f"{_SPATIAL[node.op.name]}({self.geometry(node.lhs)}, {self.geometry(node.rhs)})"
        raise OgcParamError(_("filter: %(what)s wird nicht unterstützt.") % {"what": _describe(node)})


def _describe(node) -> str:
    if isinstance(node, ast.Node):
        op = getattr(node, "op", None)
        return _("der Operator %(op)s") % {"op": op.name if op is not None else type(node).__name__}
    return _("der Wert „%(value)s“") % {"value": node}


# pygeofilter's CQL2 text parser (lark, Earley) takes about 10 ms for a two-condition filter,
# more than the page's whole statement: a client paging through a filter sends the same text
# again and again. The trees are only read (`_Writer`), so one parse serves every request of
# the process; failures are not cached (they raise). 256 texts of at most FILTER_MAX_LENGTH
# characters bound the memory.
_cql2_text_tree = lru_cache(maxsize=256)(cql2_text_parse)


def _parse(text: str, lang: str):
    if lang == "cql2-json":
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise OgcParamError(_("filter ist kein gültiges JSON: %(error)s.") % {"error": exc.msg}) from None
        if not isinstance(document, dict):
            raise OgcParamError(_("filter: ein CQL2-JSON-Ausdruck ist ein Objekt."))
        return cql2_json_parse(document)
    return _cql2_text_tree(text)


def filter_parse(text: str, *, lang: str, queryables: dict[str, Queryable], crs: Crs,
                 prefix: str = "f") -> SqlFilter:
    """`text` in `lang` ("cql2-text" or "cql2-json") as a WHERE fragment on alias `t`;
    any mistake is an OgcParamError with a German message (English in the catalogue)."""
    if len(text) > FILTER_MAX_LENGTH:
        raise OgcParamError(_("filter ist zu lang (höchstens %(max)s Zeichen).") % {"max": FILTER_MAX_LENGTH})
    try:
        tree = _parse(text, lang)
    except OgcParamError:
        raise
    except UnexpectedInput as exc:
        raise OgcParamError(_("filter ist kein gültiger CQL2-Ausdruck (Zeile %(line)s, Spalte %(column)s).")
                            % {"line": exc.line, "column": exc.column}) from None
    except (Exception, RecursionError):  # noqa: BLE001 — whatever pygeofilter raises on bad input is a 400
        raise OgcParamError(_("filter ist kein gültiger CQL2-Ausdruck.")) from None
    if not isinstance(tree, ast.Node):
        raise OgcParamError(_("filter muss eine Bedingung sein, kein einzelner Wert."))
    writer = _Writer(queryables, crs, prefix)
    try:
        sql = writer.write(tree)
    except RecursionError:
        raise OgcParamError(_("filter ist zu tief verschachtelt.")) from None
    return SqlFilter(sql, writer.params)
