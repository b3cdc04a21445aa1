"""The public data of the partners and of the checks, as GeoJSON and CSV: one owner of what is
published, used by the partner page's map (`publicpages`) and the open datasets (`dataset`).

Partners (Akzeptanzstellen): per location its partner, name, address, website and WGS 84
longitude/latitude (EPSG:4326, 6 decimals ≈ 0.1 m), with the discounts of the active
programmes — never a till, a key or the managing office's staff. Checks: the counts of
`VerificationCount` (see `selectors` on why small numbers may be published).
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from .models import Partner
from .selectors import verification_count_rows

__all__ = ["COUNT_COLUMNS", "PARTNER_COLUMNS", "counts_csv", "geojson_bytes", "partners_csv", "partners_geojson"]

#: Decimals of the published coordinates (6 ≈ 0.1 m: the position of an entrance).
DECIMALS = 6
PARTNER_COLUMNS = ("partner_id", "partner", "website", "location_id", "location", "address", "longitude", "latitude",
                   "programme", "programme_name", "category", "category_name", "discount_de", "discount_en")
COUNT_COLUMNS = ("day", "partner_id", "partner", "programme", "card_type", "result", "count")


def _discounts(partner: Partner) -> list[dict]:
    return [{"programme": d.programme.slug, "programme_name": d.programme.name_de, "category": d.category.slug,
             "category_name": d.category.name_de, "discount_de": d.description_de, "discount_en": d.description_en}
            for d in partner.discounts.all()]


def partners_geojson(partners: Iterable[Partner]) -> dict:
    """A FeatureCollection of the partners' locations (`selectors.partner_list_public`), one
    Point per location (RFC 7946: WGS 84 lon/lat), the partner's discounts in its properties."""
    features = []
    for partner in partners:
        discounts = _discounts(partner)
        for location in partner.locations.all():
            features.append({
                "type": "Feature", "id": location.pk,
                "geometry": {"type": "Point", "coordinates": [round(location.point.x, DECIMALS),
                                                              round(location.point.y, DECIMALS)]},
                "properties": {"partner_id": partner.pk, "partner": partner.name, "website": partner.website,
                               "location": location.name, "address": location.address, "discounts": discounts}})
    return {"type": "FeatureCollection", "features": features}


def _csv(columns: tuple[str, ...], rows: Iterable[dict]) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def partners_csv(partners: Iterable[Partner]) -> bytes:
    """One CSV row per location and discount (a location without discounts: one row with the
    discount columns empty)."""
    def rows():
        for feature in partners_geojson(partners)["features"]:
            props = feature["properties"]
            base = {"partner_id": props["partner_id"], "partner": props["partner"], "website": props["website"],
                    "location_id": feature["id"], "location": props["location"], "address": props["address"],
                    "longitude": feature["geometry"]["coordinates"][0],
                    "latitude": feature["geometry"]["coordinates"][1]}
            for discount in props["discounts"] or [{}]:
                yield {**base, **discount}
    return _csv(PARTNER_COLUMNS, rows())


def counts_csv() -> bytes:
    """Every count row (day, partner, programme slug — empty for unknown codes —, card type,
    result, count)."""
    return _csv(COUNT_COLUMNS, ({"day": row.day.isoformat(), "partner_id": row.partner_id,
                                 "partner": row.partner.name, "programme": row.programme.slug if row.programme else "",
                                 "card_type": row.card_type, "result": row.result, "count": row.count}
                                for row in verification_count_rows()))


def geojson_bytes(collection: dict) -> bytes:
    """The GeoJSON document as UTF-8 bytes (no ASCII escapes: German names stay readable)."""
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
