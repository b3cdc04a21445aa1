"""Query parameters of the OGC API – Features endpoints, validated as OGC 17-069r4 (Part 1:
Core) defines them, and the choice between the JSON and HTML encodings.

Every endpoint accepts only the parameters its OpenAPI definition lists; anything else is
refused with 400 (/req/core/query-param-unknown). `limit` above the advertised maximum is
clamped, not refused (/req/core/fc-limit-response-1). Coordinates of `bbox` are CRS84
(WGS 84 longitude/latitude).
"""
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.utils.translation import gettext as _

from config.errors import ServiceError

__all__ = [
    "LIMIT_DEFAULT", "LIMIT_MAX", "ItemsQuery", "OgcParamError", "format_choose", "items_query_parse",
    "params_check_known",
]

LIMIT_DEFAULT = 10
LIMIT_MAX = 10_000
OFFSET_MAX = 1_000_000_000  # PostgreSQL's OFFSET is a bigint; deeper pages are refused

FORMATS = ("json", "html")
ITEMS_PARAMS = frozenset({"f", "bbox", "limit", "offset", "datetime"})

# RFC 3339 (§5.6) date-time with a mandatory offset, or a full-date.
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OPEN = ("..", "")


class OgcParamError(ServiceError):
    """An invalid query parameter: answered with 400 and `{"code", "description"}`."""

    status = 400
    code = "InvalidParameterValue"

    def __init__(self, description: str):
        super().__init__(description)
        self.description = description


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


def items_query_parse(query) -> ItemsQuery:
    """Validate the parameters of /collections/{id}/items (`query` is request.GET)."""
    params_check_known(query, ITEMS_PARAMS)
    limit = min(_int(query, "limit", default=LIMIT_DEFAULT, minimum=1), LIMIT_MAX)
    offset = _int(query, "offset", default=0, minimum=0, maximum=OFFSET_MAX)
    bboxes = _bbox(query["bbox"]) if "bbox" in query else ()
    start = end = None
    if "datetime" in query:
        start, end = _datetime(query["datetime"])
    return ItemsQuery(limit=limit, offset=offset, bboxes=bboxes, datetime_start=start, datetime_end=end,
                      has_datetime="datetime" in query)
