"""Query parameters of the OGC API – Features endpoints, validated as OGC 17-069r4 (Part 1:
Core), 18-058r1 (Part 2: CRS) and 19-079r2 (Part 3: Filtering, draft) define them, and the
choice between the JSON and HTML encodings.

Every endpoint accepts only the parameters its OpenAPI definition lists; anything else is
refused with 400 (/req/core/query-param-unknown). `limit` above the advertised maximum is
clamped, not refused (/req/core/fc-limit-response-1). Coordinates of `bbox` are CRS84
(WGS 84 longitude/latitude) unless `bbox-crs` names another CRS (`crs`). On items, a
parameter named like a queryable is a simple property filter (`?status=open`, Part 3
/req/queryables-query-parameters); `filter` is CQL2 (`filters`); `sortby` and
`properties` name queryables only.
"""
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.utils.translation import gettext as _
from shapely.geometry import box

from .crs import DEFAULT_CRS, Crs, crs_geometry_to_wgs84, crs_parse
from .errors import OgcParamError
from .filters import FILTER_LANGS, SqlFilter, filter_parse
from .queryables import Queryable

__all__ = [
    "LIMIT_DEFAULT", "LIMIT_MAX", "ItemsQuery", "OgcParamError", "format_choose", "item_query_crs",
    "items_query_parse", "params_check_known",
]

LIMIT_DEFAULT = 10
LIMIT_MAX = 10_000
OFFSET_MAX = 1_000_000_000  # PostgreSQL's OFFSET is a bigint; deeper pages are refused

FORMATS = ("json", "html")
ITEMS_PARAMS = frozenset({"f", "bbox", "bbox-crs", "crs", "limit", "offset", "datetime", "filter", "filter-lang",
                          "filter-crs", "sortby", "properties"})
ITEM_PARAMS = frozenset({"f", "crs"})

# RFC 3339 (§5.6) date-time with a mandatory offset, or a full-date.
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OPEN = ("..", "")


@dataclass(frozen=True)
class ItemsQuery:
    """A validated items request. `bboxes` holds one envelope (min lon, min lat, max lon,
    max lat; CRS84), or two when the requested box crosses the antimeridian."""

    limit: int = LIMIT_DEFAULT
    offset: int = 0
    bboxes: tuple[tuple[float, float, float, float], ...] = ()
    datetime_start: datetime | None = None  # inclusive, UTC-aware
    datetime_end: datetime | None = None  # inclusive, UTC-aware
    has_datetime: bool = False
    crs: Crs = DEFAULT_CRS  # of the output geometries
    bbox_wkt: str | None = None  # a bbox given in a projected bbox-crs, as a CRS84 polygon
    conditions: tuple[SqlFilter, ...] = ()  # simple property filters and `filter`
    sortby: tuple[tuple[Queryable, bool], ...] = ()  # (queryable, descending)
    properties: tuple[str, ...] | None = None  # None: all properties

    @property
    def filtered(self) -> bool:
        """True when anything but the page (limit, offset) narrows the features."""
        return bool(self.bboxes or self.bbox_wkt or self.has_datetime or self.conditions)


def params_check_known(query, allowed) -> None:
    """Refuse parameters the endpoint does not define, and values given more than once."""
    unknown = sorted(set(query) - set(allowed))
    if unknown:
        raise OgcParamError(
            _("Unbekannter Parameter: %(names)s. Erlaubt sind: %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))}
        )
    for name in query:
        if len(query.getlist(name)) > 1:
            raise OgcParamError(_("Der Parameter %(name)s darf nur einmal angegeben werden.") % {"name": name})


def format_choose(request) -> str:
    """"json" or "html": the `f` parameter first, then the Accept header (HTML only when the
    client prefers text/html to JSON, as browsers do), JSON otherwise."""
    value = request.GET.get("f")
    if value is not None:
        if value not in FORMATS:
            raise OgcParamError(
                _("Unbekanntes Format f=%(value)s. Erlaubt sind: json, html.") % {"value": value}
            )
        return value
    best_html, best_json = 0.0, 0.0
    for part in request.headers.get("Accept", "").split(","):
        media, _sep, rest = part.strip().partition(";")
        quality = 1.0
        for param in rest.split(";"):
            key, _eq, val = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(val)
                except ValueError:
                    quality = 0.0
        media = media.strip().lower()
        if media in ("text/html", "application/xhtml+xml"):
            best_html = max(best_html, quality)
        elif media in ("application/json", "application/geo+json") or media.endswith("+json"):
            best_json = max(best_json, quality)
    return "html" if best_html > best_json else "json"


def _int(query, name: str, *, default: int, minimum: int, maximum: int | None = None) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"[+]?\d+", raw.strip()):
        raise OgcParamError(_("%(name)s muss eine ganze Zahl sein, nicht „%(value)s“.") % {"name": name, "value": raw})
    value = int(raw)
    if value < minimum:
        raise OgcParamError(
            _("%(name)s muss mindestens %(minimum)s sein.") % {"name": name, "minimum": minimum}
        )
    if maximum is not None and value > maximum:
        raise OgcParamError(
            _("%(name)s darf höchstens %(maximum)s sein.") % {"name": name, "maximum": maximum}
        )
    return value


def _bbox(raw: str) -> tuple[tuple[float, float, float, float], ...]:
    """bbox=minLon,minLat,maxLon,maxLat (or with min/max height, 6 numbers; heights are
    ignored). A box whose west edge is east of its east edge crosses the antimeridian
    (OGC 17-069r4 §7.15.3) and becomes two envelopes."""
    parts = raw.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(parts) not in (4, 6) or len(numbers) != len(parts) or any(n != n or abs(n) == float("inf")
                                                                      for n in numbers):
        raise OgcParamError(
            _("bbox muss vier durch Kommas getrennte Zahlen enthalten: "
              "minLon,minLat,maxLon,maxLat (WGS 84, CRS84).")
        )
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    x0, y0, x1, y1 = numbers
    if not (-180 <= x0 <= 180 and -180 <= x1 <= 180 and -90 <= y0 <= 90 and -90 <= y1 <= 90):
        raise OgcParamError(
            _("bbox liegt außerhalb von WGS 84: Längen von -180 bis 180, Breiten von -90 bis 90.")
        )
    if y0 > y1:
        raise OgcParamError(_("bbox: die südliche Breite muss kleiner oder gleich der nördlichen sein."))
    if x0 > x1:
        return ((x0, y0, 180.0, y1), (-180.0, y0, x1, y1))
    return ((x0, y0, x1, y1),)


def _instant(raw: str) -> tuple[datetime, datetime]:
    """The first and last moment (UTC) of an RFC 3339 date-time or full-date."""
    text = raw.strip().upper()
    if _DATE_TIME.match(text.replace(" ", "T", 1)):
        text = text.replace(" ", "T", 1)
        try:
            moment = datetime.fromisoformat(text).astimezone(UTC)
        except (ValueError, OverflowError):
            raise OgcParamError(_("datetime: „%(value)s“ ist kein gültiger Zeitpunkt.") % {"value": raw}) from None
        return moment, moment
    if _FULL_DATE.match(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise OgcParamError(_("datetime: „%(value)s“ ist kein gültiges Datum.") % {"value": raw}) from None
        # time.max, not +1 day: 9999-12-31 has no next day
        return datetime.combine(day, time.min, tzinfo=UTC), datetime.combine(day, time.max, tzinfo=UTC)
    raise OgcParamError(
        _("datetime: „%(value)s“ ist kein Zeitpunkt nach RFC 3339 (z. B. 2024-03-01T08:00:00Z) "
          "oder Intervall (Start/Ende, offen mit ..).") % {"value": raw}
    )


def _datetime(raw: str) -> tuple[datetime | None, datetime | None]:
    """datetime=instant | start/end | ../end | start/.. (OGC 17-069r4 §7.15.4), inclusive;
    `..` or an empty string leaves that end open (`../..` matches every time)."""
    if "/" not in raw:
        return _instant(raw)
    left, _sep, right = raw.partition("/")
    if "/" in right:
        raise OgcParamError(_("datetime: ein Intervall hat genau einen Schrägstrich."))
    start = None if left.strip() in _OPEN else _instant(left)[0]
    end = None if right.strip() in _OPEN else _instant(right)[1]
    if start and end and start > end:
        raise OgcParamError(_("datetime: der Beginn des Intervalls liegt nach seinem Ende."))
    return start, end


def _projected_bbox(raw: str, crs: Crs) -> str:
    """bbox in a projected `crs` (east, north; metres) as a CRS84 polygon's WKT."""
    parts = raw.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(parts) not in (4, 6) or len(numbers) != len(parts) or not all(math.isfinite(n) for n in numbers):
        raise OgcParamError(_("bbox muss vier durch Kommas getrennte Zahlen enthalten: "
                              "minX,minY,maxX,maxY im Koordinatenreferenzsystem von bbox-crs."))
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    x0, y0, x1, y1 = numbers
    if x0 > x1 or y0 > y1:
        raise OgcParamError(_("bbox: die Minima müssen kleiner oder gleich den Maxima sein."))
    return crs_geometry_to_wgs84(box(x0, y0, x1, y1), crs, param="bbox").wkt


def _bbox_in(raw: str, crs: Crs) -> tuple[tuple, str | None]:
    if crs.srid != 4326:
        return (), _projected_bbox(raw, crs)
    if crs.lat_first:  # EPSG:4326: minLat,minLon,maxLat,maxLon
        parts = raw.split(",")
        if len(parts) == 4:
            parts = [parts[1], parts[0], parts[3], parts[2]]
        elif len(parts) == 6:
            parts = [parts[1], parts[0], parts[2], parts[4], parts[3], parts[5]]
        raw = ",".join(parts)
    return _bbox(raw), None


def _names(raw: str, queryables: dict[str, Queryable], param: str) -> list[str]:
    names = [name.strip() for name in raw.split(",") if name.strip()]
    for name in names:
        bare = name[1:] if name[:1] in "+-" and param == "sortby" else name
        found = queryables.get(bare)
        if found is None or found.type == "geometry":
            raise OgcParamError(
                _("%(param)s: „%(name)s“ ist keine abfragbare Eigenschaft. Möglich sind: %(names)s.")
                % {"param": param, "name": bare,
                   "names": ", ".join(n for n, q in queryables.items() if q.type != "geometry")})
    return names


_SIMPLE_TYPES = {"integer": (r"[+-]?\d{1,18}", int), "number": (r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", float),
                 "boolean": (r"true|false", lambda v: v == "true")}


def _simple_filter(queryable: Queryable, raw: str, index: int) -> SqlFilter:
    """`?name=value`: equality, the value read as the queryable's type (§7.3 of Part 3)."""
    value: object = raw
    if queryable.type in _SIMPLE_TYPES:
        pattern, convert = _SIMPLE_TYPES[queryable.type]
        if not re.fullmatch(pattern, raw.strip()):
            raise OgcParamError(_("%(name)s: „%(value)s“ ist kein Wert der Art %(type)s.")
                                % {"name": queryable.name, "value": raw, "type": queryable.type})
        value = convert(raw.strip())
    elif queryable.type == "date-time":
        start, end = _instant(raw)
        name = f"p{index}"
        return SqlFilter(f"({queryable.sql} BETWEEN %({name}a)s AND %({name}b)s)",
                         {**queryable.params, f"{name}a": start, f"{name}b": end})
    cast = {"integer": "bigint", "number": "float8", "boolean": "boolean"}.get(queryable.type, "text")
    return SqlFilter(f"({queryable.sql} = %(p{index})s::{cast})", {**queryable.params, f"p{index}": value})


def items_query_parse(query, *, queryables: Callable[[], dict[str, Queryable]] | None = None) -> ItemsQuery:
    """Validate the parameters of /collections/{id}/items (`query` is request.GET).
    `queryables` returns the collection's queryables; it is called only when a parameter
    needs them (a resource's take one statement)."""
    extra = set(query) - ITEMS_PARAMS
    known: dict[str, Queryable] = {}
    if queryables is not None and (extra or {"filter", "sortby", "properties"} & set(query)):
        known = queryables()
    properties = {name for name, queryable in known.items() if queryable.type != "geometry"}
    simple = extra & properties
    params_check_known(query, ITEMS_PARAMS | properties)
    limit = min(_int(query, "limit", default=LIMIT_DEFAULT, minimum=1), LIMIT_MAX)
    offset = _int(query, "offset", default=0, minimum=0, maximum=OFFSET_MAX)
    crs = crs_parse(query.get("crs"), param="crs")
    bbox_crs = crs_parse(query.get("bbox-crs"), param="bbox-crs")
    if "bbox-crs" in query and "bbox" not in query:
        raise OgcParamError(_("bbox-crs braucht den Parameter bbox."))
    bboxes, bbox_wkt = _bbox_in(query["bbox"], bbox_crs) if "bbox" in query else ((), None)
    start = end = None
    if "datetime" in query:
        start, end = _datetime(query["datetime"])
    conditions = [_simple_filter(known[name], query[name], i) for i, name in enumerate(sorted(simple))]
    if "filter" in query:
        lang = query.get("filter-lang", "cql2-text")
        if lang not in FILTER_LANGS:
            raise OgcParamError(_("filter-lang muss %(langs)s sein, nicht „%(value)s“.")
                                % {"langs": ", ".join(FILTER_LANGS), "value": lang})
        conditions.append(filter_parse(query["filter"], lang=lang, queryables=known,
                                       crs=crs_parse(query.get("filter-crs"), param="filter-crs")))
    elif "filter-lang" in query or "filter-crs" in query:
        raise OgcParamError(_("filter-lang und filter-crs brauchen den Parameter filter."))
    sortby = tuple((known[name.lstrip("+-")], name.startswith("-"))
                   for name in _names(query["sortby"], known, "sortby")) if "sortby" in query else ()
    properties = tuple(_names(query["properties"], known, "properties")) if "properties" in query else None
    return ItemsQuery(limit=limit, offset=offset, bboxes=bboxes, datetime_start=start, datetime_end=end,
                      has_datetime="datetime" in query, crs=crs, bbox_wkt=bbox_wkt, conditions=tuple(conditions),
                      sortby=sortby, properties=properties)


def item_query_crs(query) -> Crs:
    """Validate the parameters of /collections/{id}/items/{featureId}: the output CRS."""
    params_check_known(query, ITEM_PARAMS)
    return crs_parse(query.get("crs"), param="crs")
