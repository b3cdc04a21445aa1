"""Reads: jurisdiction layers, the area of a layer that covers a point, the gazetteer and
address search, and the reverse lookup of the nearest address. Raw SQL reads on
`config.db_router.read_connection`, where the ORM's reads go (the replica in a GET)."""
import re
from dataclasses import dataclass, field

from django.contrib.gis.db.models.functions import Area
from django.contrib.gis.geos import Point
from django.db.models import Case, CharField, Count, F, Func, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Abs, Cast, Concat

from config.db_router import read_connection

from .conf import geodata_setting
from .models import Address, JurisdictionArea, JurisdictionLayer, Place

__all__ = ["address_id_matching",
           "layer_list", "area_at_point", "place_search", "place_resolve", "PlaceResolution", "place_get",
           "location_search", "LocationSearch", "address_query_parse", "address_nearest", "NearestAddress",
           "PLACE_QUERY_MIN"]

# Shortest query the gazetteer answers (characters, after trimming).
PLACE_QUERY_MIN = 2
PLACE_LIMIT_MAX = 20


def layer_list(*, role: str | None = None) -> QuerySet[JurisdictionLayer]:
    """Layers by slug, each annotated with `area_count`; optionally only one role."""
    qs = JurisdictionLayer.objects.annotate(area_count=Count("areas")).order_by("slug")
    return qs.filter(role=role) if role else qs


def area_at_point(*, layer: JurisdictionLayer | str, point: Point) -> JurisdictionArea | None:
    """The area of `layer` (instance or slug) covering `point` (EPSG:4326, lon/lat), or None.

    ST_Covers counts the boundary as inside, so a point on a shared edge is covered by both
    neighbours; like the routing query, the smaller polygon wins, then the lower id. The area
    is compared in square degrees: enough to order neighbouring polygons, not a measurement.
    """
    if point.srid != 4326:
        raise ValueError("area_at_point expects a point in EPSG:4326 (lon, lat)")
    qs = JurisdictionArea.objects.select_related("layer").filter(geom__covers=point)
    qs = qs.filter(layer__slug=layer) if isinstance(layer, str) else qs.filter(layer=layer)
    return qs.annotate(size=Area("geom")).order_by("size", "id").first()


# German abbreviations people type: "Schloßstr. 4", "Johannispl", "Str. des Friedens".
_ABBREVIATIONS = [
    (re.compile(r"(?<=\w)str\b\.?|\bstr\b\.?", re.IGNORECASE), "straße"),
    (re.compile(r"(?<=\w)pl\b\.?|\bpl\b\.", re.IGNORECASE), "platz"),
]
# A house number after the street ("Heinrichstraße 12a", "Rathausstr.5", "Markt 3 b", "Sorge 7/1")
# or before it ("5 Rathausstraße"); what follows a comma (postcode, town) is not part of it.
_NUMBER_AFTER = re.compile(r"^(?P<street>.*?[^\d\s])[\s.]*(?<![\d])(?P<number>\d{1,5})\s*"
                           r"(?:(?P<suffix>[a-z]{1,2})|/\s*(?P<sub>\d{1,3}))?$", re.IGNORECASE)
_NUMBER_BEFORE = re.compile(r"^(?P<number>\d{1,5})\s*(?P<suffix>[a-z])?\s+(?P<street>\D.*)$", re.IGNORECASE)
_POSTCODE = re.compile(r"\b(\d{5})\b")

# Ranking tiers: 0 the whole name (or another name) equals the query, 1 the name starts with
# it, 2 a word of the name starts with it, 3 the name or another name contains it, 4 only
# similar (pg_trgm word similarity ≥ _SIMILARITY, i.e. a typo or two).
# Comparison is case- and accent-insensitive (lower + unaccent: "ß" = "ss", "ö" = "o").
# A sequential scan: a city gazetteer (a few thousand rows) is searched in a few
# milliseconds; unaccent() is not IMMUTABLE, so it could not be indexed without a wrapper.
_SIMILARITY = 0.45
_SEARCH_SQL = """
WITH q AS (
    SELECT unaccent(lower(%(q)s)) AS q, unaccent(lower(%(like)s)) AS l
), p AS (
    SELECT pl.*, unaccent(lower(pl.name)) AS n, unaccent(lower(pl.alt_names)) AS a
    FROM geodata_place pl
), scored AS (
    SELECT p.id, p.name, p.kind, p.alt_names, p.point, p.is_demo,
        CASE
            WHEN p.n = q.q OR q.q = ANY(string_to_array(p.a, E'\\n')) THEN 0
            WHEN p.n LIKE q.l || '%%' THEN 1
            WHEN translate(p.n, '-/(', '   ') LIKE '%% ' || q.l || '%%' THEN 2
            WHEN p.n LIKE '%%' || q.l || '%%' OR p.a LIKE '%%' || q.l || '%%' THEN 3
            ELSE 4
        END AS tier,
        greatest(word_similarity(q.q, p.n), word_similarity(q.q, p.a)) AS similarity
    FROM p, q
)
SELECT * FROM scored
WHERE tier < 4 OR similarity >= %(similarity)s
ORDER BY tier, similarity DESC, length(name), name, id
LIMIT %(limit)s
"""


@dataclass(frozen=True)
class AddressQuery:
    """A typed location split into street (or place name), house number and suffix."""

    street: str
    number: int | None = None
    suffix: str = ""
    postcode: str = ""

    @property
    def house_number(self) -> str:
        if self.number is None:
            return ""
        return f"{self.number}/{self.suffix}" if self.suffix[:1].isdigit() else f"{self.number}{self.suffix}"


def address_query_parse(q: str) -> AddressQuery:
    """"Rathausstr. 5a, 07545 Gera" → street "Rathausstraße", number 5, suffix "a", postcode
    "07545"; "5 Rathausstraße" works too. Abbreviations are expanded (str. → straße, pl. → platz)."""
    text = " ".join((q or "").split())
    head, _comma, tail = text.partition(",")
    postcode_match = _POSTCODE.search(tail)
    street, number, suffix = head, None, ""
    match = _NUMBER_AFTER.match(head.strip())
    if match:
        street, number = match.group("street"), int(match.group("number"))
        suffix = (match.group("suffix") or match.group("sub") or "").lower()
    else:
        match = _NUMBER_BEFORE.match(head.strip())
        if match:
            street, number = match.group("street"), int(match.group("number"))
            suffix = (match.group("suffix") or "").lower()
    for pattern, replacement in _ABBREVIATIONS:
        street = pattern.sub(replacement, street)
    return AddressQuery(street=street.strip(" ,."), number=number, suffix=suffix,
                        postcode=postcode_match.group(1) if postcode_match else "")


def _query_normalize(q: str) -> str:
    return address_query_parse(q).street


def place_search(*, q: str, limit: int = 10) -> list[Place]:
    """Gazetteer entries matching `q`, best first (at most `limit`, capped at 20).

    Case-, accent- and typo-tolerant ("johanisplatz", "Schlossstr." find "Johannisplatz",
    "Schloßstraße"). Each result carries `tier` (0 = exact … 4 = only similar) and
    `similarity` (0–1). Queries shorter than two characters find nothing.
    """
    q = _query_normalize(q)
    if len(q) < PLACE_QUERY_MIN:
        return []
    like = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    limit = max(1, min(int(limit), PLACE_LIMIT_MAX))
    return list(Place.objects.raw(_SEARCH_SQL, {"q": q, "like": like, "similarity": _SIMILARITY, "limit": limit}))


# --- places and addresses together ------------------------------------------------------------

# What a search result is, set as `match` on each result:
MATCH_EXACT = "exact"  # the name (or address) typed, exactly (case, accents, abbreviations aside)
MATCH_PARTIAL = "partial"  # the name starts with or contains what was typed
MATCH_SUGGESTION = "suggestion"  # only similar (a typo?): "Meinten Sie …?", never taken without asking
MATCH_STREET = "street"  # the street typed exists, the house number does not
MATCH_NEARBY_NUMBER = "nearby_number"  # another house number of that street, nearest first

_NEARBY_NUMBERS = 4  # house numbers offered when the one typed does not exist

_STREET_SQL = """
WITH q AS (SELECT unaccent(lower(%(q)s)) AS q),
s AS (SELECT d.street, unaccent(lower(d.street)) AS n FROM (SELECT DISTINCT street FROM geodata_address) d)
SELECT s.street, s.n = q.q AS exact, word_similarity(q.q, s.n) AS similarity
FROM s, q
WHERE s.n = q.q OR word_similarity(q.q, s.n) >= %(similarity)s
ORDER BY exact DESC, similarity DESC, s.street
LIMIT 5
"""


@dataclass(frozen=True)
class LocationSearch:
    """The answer to a typed location: places and addresses, each with a `match` attribute.

    `house_number` is the number typed ("5a", "" if none); `house_number_found` is False when
    the street exists but that number does not (then `street` names it). `is_suggestion` is
    True when nothing matched exactly or partly and the results are only similar names.
    """

    results: list = field(default_factory=list)
    house_number: str = ""
    house_number_found: bool | None = None
    street: str = ""
    is_suggestion: bool = False


def _addresses_by_street(*, street_q: str) -> tuple[list[str], list[str]]:
    """(streets of the address list equal to `street_q`, streets only similar to it); one query.

    The distinct street names (a city has a few thousand) are compared case- and
    accent-insensitively, like the gazetteer."""
    with read_connection(Address).cursor() as cursor:
        cursor.execute(_STREET_SQL, {"q": street_q, "similarity": _SIMILARITY})
        rows = cursor.fetchall()
    return [r[0] for r in rows if r[1]], [r[0] for r in rows if not r[1]]


def _with_match(items, match: str) -> list:
    for item in items:
        item.match = match
    return list(items)


def _address_qs() -> QuerySet[Address]:
    return Address.objects.only("id", "street", "number", "suffix", "postcode", "city", "point")


def _number_filter(qs: QuerySet[Address], query: AddressQuery) -> QuerySet[Address]:
    qs = qs.filter(number=query.number)
    if query.postcode:
        qs = qs.filter(postcode=query.postcode)
    # "Markt 5" without suffix means 5, not 5a, when 5 exists; otherwise 5a, 5b are offered.
    exact = qs.filter(suffix=query.suffix)
    return exact if query.suffix or exact.exists() else qs


def location_search(*, q: str, limit: int = 10) -> LocationSearch:
    """Places and addresses matching a typed location, best first (at most `limit`, capped at 20).

    - "Rathausstraße 5" (or "Rathausstr. 5a", "5 Rathausstraße", "…, 07545 Gera") finds that
      address exactly;
    - a street that exists with a number that does not: the street (gazetteer entry, if any)
      and the nearest house numbers of that street, `house_number_found` False;
    - a street typed with a typo: the same house number in similar streets, or the similar
      streets, all marked as suggestions;
    - without a house number: the gazetteer search (`place_search`); results that only look
      similar are suggestions.
    A different street is never presented as the one typed: callers must let the user choose
    anything that is not `exact`.
    """
    query = address_query_parse(q)
    limit = max(1, min(int(limit), PLACE_LIMIT_MAX))
    if len(query.street) < PLACE_QUERY_MIN:
        return LocationSearch()
    if query.number is not None:
        exact_streets, similar_streets = _addresses_by_street(street_q=query.street)
        if exact_streets:
            found = list(_number_filter(_address_qs().filter(street__in=exact_streets), query)[:limit])
            if found:
                return LocationSearch(results=_with_match(found, MATCH_EXACT), house_number=query.house_number,
                                      house_number_found=True)
        places = place_search(q=query.street, limit=limit)
        street_places = [p for p in places if p.tier == 0]
        if exact_streets or street_places:
            nearby = list(_address_qs().filter(street__in=exact_streets or [p.name for p in street_places])
                          .annotate(distance=Abs(F("number") - query.number))
                          .order_by("distance", "number", "suffix")[:_NEARBY_NUMBERS])
            results = _with_match(street_places, MATCH_STREET) + _with_match(nearby, MATCH_NEARBY_NUMBER)
            return LocationSearch(results=results[:limit], house_number=query.house_number, house_number_found=False,
                                  street=(street_places[0].name if street_places else exact_streets[0]))
        if similar_streets:
            found = list(_number_filter(_address_qs().filter(street__in=similar_streets), query)[:limit])
            if found:
                order = {street: i for i, street in enumerate(similar_streets)}
                found.sort(key=lambda a: (order[a.street], a.number, a.suffix))
                return LocationSearch(results=_with_match(found, MATCH_SUGGESTION), house_number=query.house_number,
                                      is_suggestion=True)
        return _places_answer(places, house_number=query.house_number)
    return _places_answer(place_search(q=query.street, limit=limit), house_number="")


def _places_answer(places: list[Place], *, house_number: str) -> LocationSearch:
    for place in places:
        place.match = (MATCH_EXACT if place.tier == 0 and not house_number
                       else MATCH_SUGGESTION if place.tier == 4 else MATCH_PARTIAL)
    return LocationSearch(results=places, house_number=house_number,
                          is_suggestion=bool(places) and all(p.match == MATCH_SUGGESTION for p in places))


@dataclass(frozen=True)
class PlaceResolution:
    """The result of resolving a typed place: `place` when unambiguous, else `candidates` to
    choose from, with the flags of `LocationSearch` (`is_suggestion`, `house_number_found`…)."""

    place: Place | Address | None = None
    candidates: list = field(default_factory=list)
    is_suggestion: bool = False
    house_number: str = ""
    house_number_found: bool | None = None
    street: str = ""


def place_resolve(*, q: str, limit: int = 10) -> PlaceResolution:
    """Turn a typed place name or address into one place or address, or the candidates to choose from.

    Only one exact match is unambiguous. A partial or merely similar name, a house number
    that does not exist, or several exact matches give candidates: a different street is
    never taken without asking. Nothing found gives an empty resolution.
    """
    search = location_search(q=q, limit=limit)
    exact = [r for r in search.results if r.match == MATCH_EXACT]
    if len(exact) == 1:
        return PlaceResolution(place=exact[0], house_number=search.house_number, house_number_found=True)
    return PlaceResolution(candidates=search.results, is_suggestion=search.is_suggestion,
                           house_number=search.house_number, house_number_found=search.house_number_found,
                           street=search.street)


def place_get(*, pk) -> Place | Address | None:
    """A gazetteer entry by id, or an address by "a<id>" (its `choice_key`); None for anything else."""
    key = str(pk or "").strip()
    model = Place
    if key[:1].lower() == "a":
        key, model = key[1:], Address
    if not key.isdigit() or len(key) > 18:
        return None
    return model.objects.filter(pk=int(key)).first()


# --- reverse lookup ------------------------------------------------------------------------------

@dataclass(frozen=True)
class NearestAddress:
    """The address nearest to a point and its distance in metres (WGS 84 spheroid)."""

    address: Address
    distance_m: float

    @property
    def is_near(self) -> bool:
        """True when the point is farther than ADDRESS_AT_M from the house: say "nahe …"."""
        return self.distance_m > geodata_setting("ADDRESS_AT_M")


# KNN on geography (`<->`, metres on the sphere) served by the GiST index on point::geography
# (migration 0003); ST_DWithin bounds the search, ST_Distance gives the spheroid distance.
_NEAREST_SQL = """
SELECT a.id, ST_Distance(a.point::geography, t.g) AS distance_m
FROM geodata_address a, (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography AS g) t
WHERE ST_DWithin(a.point::geography, t.g, %(max_m)s)
ORDER BY a.point::geography <-> t.g, a.id
LIMIT 1
"""


def address_nearest(*, point: Point, max_distance_m: float | None = None) -> NearestAddress | None:
    """The address nearest to `point` (EPSG:4326, lon/lat) within `max_distance_m` metres
    (default: setting ADDRESS_NEAREST_MAX_M, 100 m), or None."""
    if point is None:
        return None
    if point.srid != 4326:
        raise ValueError("address_nearest expects a point in EPSG:4326 (lon, lat)")
    max_m = float(geodata_setting("ADDRESS_NEAREST_MAX_M") if max_distance_m is None else max_distance_m)
    with read_connection(Address).cursor() as cursor:
        cursor.execute(_NEAREST_SQL, {"lon": point.x, "lat": point.y, "max_m": max_m})
        row = cursor.fetchone()
    if row is None:
        return None
    return NearestAddress(address=Address.objects.get(pk=row[0]), distance_m=float(row[1]))


def address_id_matching(field: str) -> Subquery:
    """A subquery giving the id of the Address whose name ("Straße 5a") equals the outer
    query's text column `field`, or NULL. The street (the text before the last space) narrows
    the search through the (street, number) index; the postcode is not compared."""
    street = Func(OuterRef(field), Value(r" [^ ]+$"), Value(""), function="regexp_replace")
    return Subquery(
        Address.objects.filter(street=street)
        # "Rathausstraße 5a", "Weg 3/1": the way `Address.name` writes an address.
        .annotate(address_name=Concat(
            "street", Value(" "), Cast("number", CharField()),
            Case(When(suffix__regex=r"^[0-9]", then=Concat(Value("/"), "suffix")), default=F("suffix")),
            output_field=CharField()))
        .filter(address_name=OuterRef(field))
        .order_by("id").values("id")[:1])
