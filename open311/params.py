"""Parsing and validating the parameters of Open311 requests.

Every problem becomes an `Open311Error` with a German (or the request language's) message
naming the parameter; a POST collects all its field errors into one answer.

GET requests (GeoReport v2 "GET Service Requests"): `service_request_id` (comma list; it
overrides every other filter), `service_code` (comma list), `start_date`/`end_date`
(W3C datetimes, at most MAX_DAYS apart; without them the last MAX_DAYS days; a lone
start or end spans MAX_DAYS from it), `status` (`open`, `closed`, comma list), and the
common extensions `lat`/`long`/`radius` (metres, WGS 84), `bbox` (min lon, min lat, max lon,
max lat, WGS 84), `updated_after`/`updated_before` (W3C datetimes, exclusive; for apps that
sync: without start_date/end_date they replace the default window, so a change to an old
request is found) and `page`/`page_size` (or `limit`), at most MAX_REQUESTS per page.
Unknown parameters (e.g. `jurisdiction_id`) are ignored: this endpoint serves one
jurisdiction.
"""
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from geodata.selectors import place_resolve
from reporter.models import Report
from reporter.workflow import CLOSED_STATUSES
from routing_rules.models import Category

from .conf import open311_setting
from .errors import Open311Error
from .selectors import RequestFilter

__all__ = ["request_filter_parse", "ServiceRequestInput", "service_request_input_parse", "attributes_parse"]

_STATUSES = {"open": tuple(str(s) for s in Report.OPEN_STATUSES),
             "closed": tuple(sorted(str(s) for s in CLOSED_STATUSES))}
# An offset sent unencoded ("…T10:00:00+01:00" in a query string) arrives with a space for "+".
_SPACE_OFFSET = re.compile(r"^(\d{4}-\d\d-\d\dT[\d:.]+) (\d\d:?\d\d)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
MAX_DESCRIPTION = 5000


def _bad(message: str) -> Open311Error:
    return Open311Error((400, message))


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _datetime(name: str, value: str) -> datetime:
    value = _SPACE_OFFSET.sub(r"\1+\2", value.strip())
    parsed = None
    # Python's fromisoformat (behind parse_datetime) ignores some trailing junk such as NUL.
    if not _CONTROL.search(value):
        try:
            parsed = parse_datetime(value)
            if parsed is None and (day := parse_date(value)) is not None:
                parsed = datetime.combine(day, time.min)
        except ValueError:
            parsed = None
    if parsed is None:
        raise _bad(_("%(name)s: ungültiges Datum, erwartet wird ein W3C-Datum wie 2026-03-02T09:00:00+01:00.")
                   % {"name": name})
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _optional_datetime(params, name: str) -> datetime | None:
    return _datetime(name, params[name]) if params.get(name, "").strip() else None


def _float(name: str, value: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise _bad(_("%(name)s: eine Zahl wird erwartet.") % {"name": name})
    return number


def _lon_lat(params) -> tuple[float, float] | None:
    """(lon, lat) from `long`/`lat`, both or neither; WGS 84 ranges checked."""
    lat, lon = params.get("lat", "").strip(), params.get("long", "").strip()
    if not lat and not lon:
        return None
    if not lat or not lon:
        raise _bad(_("lat und long gehören zusammen."))
    lat_f, lon_f = _float("lat", lat), _float("long", lon)
    if not -90 <= lat_f <= 90:
        raise _bad(_("lat: muss zwischen -90 und 90 liegen (WGS 84, Dezimalgrad)."))
    if not -180 <= lon_f <= 180:
        raise _bad(_("long: muss zwischen -180 und 180 liegen (WGS 84, Dezimalgrad)."))
    return lon_f, lat_f


def _bbox(value: str) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) from `bbox`, WGS 84 ranges and order checked."""
    parts = value.split(",")
    if len(parts) != 4:
        raise _bad(_("bbox: vier Zahlen werden erwartet: minLon,minLat,maxLon,maxLat (WGS 84, Dezimalgrad)."))
    min_lon, min_lat, max_lon, max_lat = (_float("bbox", p.strip()) for p in parts)
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise _bad(_("bbox: Längengrade müssen zwischen -180 und 180 liegen."))
    if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise _bad(_("bbox: Breitengrade müssen zwischen -90 und 90 liegen."))
    if min_lon > max_lon or min_lat > max_lat:
        raise _bad(_("bbox: die Minima müssen vor den Maxima stehen (minLon,minLat,maxLon,maxLat)."))
    return min_lon, min_lat, max_lon, max_lat


def _positive_int(name: str, value: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise _bad(_("%(name)s: eine ganze Zahl ab 1 wird erwartet.") % {"name": name})
    return number


def request_filter_parse(params) -> RequestFilter:
    """The filters of GET requests from the query parameters."""
    max_requests = open311_setting("MAX_REQUESTS")
    size_param = "page_size" if params.get("page_size") else "limit"
    limit = min(_positive_int(size_param, params[size_param]), max_requests) if params.get(size_param) \
        else max_requests
    page = _positive_int("page", params["page"]) if params.get("page") else 1
    paging = {"limit": limit, "offset": (page - 1) * limit}
    if params.get("service_request_id", "").strip():
        ids = []
        for value in _csv(params["service_request_id"]):
            if not value.isdigit():
                raise _bad(_("service_request_id: unbekannte Kennung „%(id)s“.") % {"id": value})
            ids.append(int(value))
        return RequestFilter(ids=tuple(ids), **paging)

    codes = tuple(_csv(params.get("service_code", "")))
    if codes:
        known = set(Category.objects.filter(slug__in=codes).values_list("slug", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise _bad(_("service_code: unbekannter Dienst „%(code)s“.") % {"code": ", ".join(unknown)})

    statuses: list[str] = []
    for value in _csv(params.get("status", "")):
        if value not in _STATUSES:
            raise _bad(_("status: erlaubt sind open und closed."))
        statuses.extend(_STATUSES[value])

    updated_after = _optional_datetime(params, "updated_after")
    updated_before = _optional_datetime(params, "updated_before")
    if updated_after is not None and updated_before is not None and updated_after >= updated_before:
        raise _bad(_("updated_after muss vor updated_before liegen."))

    span = timedelta(days=open311_setting("MAX_DAYS"))
    start = _optional_datetime(params, "start_date")
    end = _optional_datetime(params, "end_date")
    syncing = updated_after is not None or updated_before is not None
    if start is None and end is None and not syncing:
        end = timezone.now()
    try:
        if start is None and end is not None:
            start = end - span
        elif end is None and start is not None:
            end = start + span
    except OverflowError:
        raise _bad(_("start_date/end_date: das Zeitfenster reicht über das Jahr 1 oder 9999 hinaus.")) from None
    if start is not None and start > end:
        raise _bad(_("start_date muss vor end_date liegen."))
    if start is not None and end - start > span:
        raise _bad(_("start_date und end_date dürfen höchstens %(days)s Tage auseinanderliegen.")
                   % {"days": span.days})

    bbox = _bbox(params["bbox"]) if params.get("bbox", "").strip() else None

    near = None
    lon_lat = _lon_lat(params)
    if lon_lat is not None:
        max_radius = open311_setting("MAX_RADIUS_M")
        radius = _float("radius", params["radius"]) if params.get("radius", "").strip() else None
        if radius is None:
            raise _bad(_("radius: mit lat und long bitte einen Radius in Metern angeben."))
        if not 0 < radius <= max_radius:
            raise _bad(_("radius: muss größer als 0 und höchstens %(max)s Meter sein.") % {"max": max_radius})
        near = (*lon_lat, radius)
    elif params.get("radius", "").strip():
        raise _bad(_("radius: bitte auch lat und long angeben."))

    return RequestFilter(category_slugs=codes, statuses=tuple(statuses), start=start, end=end, near=near, bbox=bbox,
                         updated_after=updated_after, updated_before=updated_before, **paging)


@dataclass
class ServiceRequestInput:
    """A validated POST requests: everything `services.service_request_create` needs."""

    category: Category
    point: Point
    address: str = ""
    description: str = ""
    answers: dict = field(default_factory=dict)
    photos: list = field(default_factory=list)
    reporter_name: str = ""
    reporter_email: str = ""
    reporter_phone: str = ""


def attributes_parse(*, category: Category, params) -> tuple[dict, list[tuple[int, str]]]:
    """`attribute[code]=value` parameters as answers to the category's questions.

    Choice values are matched to the defined choices by their text (so numeric choices
    work from a form). The answers are validated by `report_create` (the category's
    questions); here only the shape is checked: one value per question.
    """
    questions = {q["key"]: q for q in category.questions or []}
    answers, errors = {}, []
    for name in params:
        match = _ATTRIBUTE.match(name)
        if not match:
            continue
        code = match.group(1)
        values = [v for v in params.getlist(name) if v != ""]
        if not values:
            continue
        if len(values) > 1:
            errors.append((400, _("attribute[%(code)s]: nur ein Wert erlaubt.") % {"code": code}))
            continue
        value = values[0]
        question = questions.get(code)
        if question is not None and question.get("type") == "choice":
            value = next((c for c in question["choices"] if str(c) == value), value)
        answers[code] = value
    return answers, errors


def _location(params, errors: list) -> tuple[Point | None, str]:
    """The point (EPSG:4326, lon/lat) from lat/long, else from the gazetteer by address_string."""
    address = params.get("address_string", "").strip()[:300]
    try:
        lon_lat = _lon_lat(params)
    except Open311Error as exc:
        errors.extend(exc.errors)
        return None, address
    if lon_lat is not None:
        return Point(*lon_lat, srid=4326), address
    if not address:
        errors.append((400, _("Ort fehlt: bitte lat und long oder address_string angeben.")))
        return None, address
    resolution = place_resolve(q=address, limit=5)
    if resolution.place is not None:
        return Point(resolution.place.point.x, resolution.place.point.y, srid=4326), address
    if resolution.candidates:
        names = ", ".join(p.name for p in resolution.candidates)
        errors.append((400, _("address_string: „%(q)s“ ist mehrdeutig (%(names)s). Bitte genauer angeben oder lat "
                              "und long senden.") % {"q": address, "names": names}))
    else:
        errors.append((400, _("address_string: „%(q)s“ steht nicht im Ortsverzeichnis. Bitte lat und long senden.")
                       % {"q": address}))
    return None, address


def service_request_input_parse(*, category: Category, params, files) -> ServiceRequestInput:
    """Validate a POST requests (form-encoded or multipart) for `category`; raises Open311Error
    listing every bad field."""
    errors: list[tuple[int, str]] = []
    point, address = _location(params, errors)

    email = params.get("email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append((400, _("email: ungültige E-Mail-Adresse.")))
    name = " ".join(p for p in (params.get("first_name", "").strip(), params.get("last_name", "").strip()) if p)
    if len(name) > 200:
        errors.append((400, _("first_name/last_name: höchstens 200 Zeichen.")))
    phone = params.get("phone", "").strip()
    if len(phone) > 50:
        errors.append((400, _("phone: höchstens 50 Zeichen.")))
    description = params.get("description", "").strip()
    if len(description) > MAX_DESCRIPTION:
        errors.append((400, _("description: höchstens %(n)s Zeichen.") % {"n": MAX_DESCRIPTION}))
    media_url = params.get("media_url", "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
            if len(media_url) > 2000:
                raise ValidationError("too long")
        except ValidationError:
            errors.append((400, _("media_url: ungültige Adresse (http oder https).")))
        else:
            # Not fetched (no outbound requests): kept for staff beside the original text.
            description = f"{description}\n\nmedia_url: {media_url}".strip()

    answers, attribute_errors = attributes_parse(category=category, params=params)
    errors.extend(attribute_errors)
    if errors:
        raise Open311Error(*errors)
    return ServiceRequestInput(
        category=category, point=point, address=address, description=description, answers=answers,
        photos=list(files.getlist("media")), reporter_name=name, reporter_email=email, reporter_phone=phone,
    )
