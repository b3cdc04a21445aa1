"""Reads behind Open311: the services (our categories), API clients by key, and public
service requests (our reports) as plain rows.

A service request is read from the public views of `reporter.public` (the one owner of what
is public): hidden reports never appear, the text is the moderated one, coordinates are
rounded; the photo is the first approved, processed one (its metadata-free derivative); the
note is the newest public note of the status history. A page is ONE statement: the note and
the photo are correlated subqueries, the coordinates are read by PostGIS (`ST_X`/`ST_Y`,
EPSG:4326, lon/lat).

Sync (the `updated_after`/`updated_before` extension): with an updated-since filter the page
is ordered oldest change first (`updated_at`, then id), so a client can page through the
changes and resume from the last `updated_datetime` it saw.
"""
from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, F, FloatField, Func, Max, OuterRef, Subquery
from django.db.models.expressions import RawSQL

from geodata.selectors import address_id_matching
from reporter.models import PublicPhoto, PublicReport, PublicStatusChange, Report
from reporter.public import PUBLIC_REPORT_VIEW
from routing_rules.models import Category
from routing_rules.selectors import category_get, category_list

from .models import Open311Client

__all__ = [
    "RequestFilter", "client_get_by_key", "service_list", "service_list_changed_at", "service_get",
    "service_request_list", "service_request_get", "service_request_id_by_token",
]

# The columns a public service request is built from (and nothing else).
_PUBLIC_FIELDS = (
    "id", "status", "category__slug", "category__name", "category__name_en", "category__sla_days", "public_text",
    "department__name",
    "created_at", "updated_at", "due_date", "address", "lon", "lat", "status_notes", "media", "address_id",
)


@dataclass(frozen=True)
class RequestFilter:
    """Filters of GET requests. `ids` overrides all others (as the spec says), except that
    hidden reports stay hidden. `near` is (lon, lat, radius in metres), `bbox` is (min lon,
    min lat, max lon, max lat), both WGS 84. `start`/`end` bound `created_at` (inclusive),
    `updated_after`/`updated_before` bound `updated_at` (exclusive)."""

    ids: tuple[int, ...] = ()
    category_slugs: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    near: tuple[float, float, float] | None = None
    bbox: tuple[float, float, float, float] | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    limit: int = 1000
    offset: int = 0


def client_get_by_key(*, raw_key: str) -> Open311Client | None:
    """The active client owning `raw_key`, or None."""
    if not raw_key:
        return None
    return Open311Client.objects.filter(key_hash=Open311Client.digest(raw_key), is_active=True).first()


def service_list():
    """The active categories, in display order (one query)."""
    return category_list()


def service_list_changed_at() -> datetime | None:
    """When a category last changed (its newest `updated_at`, inactive ones included: being
    deactivated is a change of the service list), or None without categories (one query).
    A deleted category leaves no trace here."""
    return Category.objects.aggregate(changed_at=Max("updated_at"))["changed_at"]


def service_get(*, code: str) -> Category | None:
    """An active category by its slug (the service_code), or None."""
    return category_get(slug=code)


def _public_requests():
    latest_note = (
        PublicStatusChange.objects.filter(report_id=OuterRef("pk"))
        .exclude(note_public="").order_by("-created_at", "-id").values("note_public")[:1]
    )
    first_photo = (
        PublicPhoto.objects.filter(report_id=OuterRef("pk")).exclude(image="").order_by("id").values("image")[:1]
    )
    return (
        PublicReport.objects
        .annotate(
            public_text=F("description"),
            lon=Func(F("location"), function="ST_X", output_field=FloatField()),
            lat=Func(F("location"), function="ST_Y", output_field=FloatField()),
            status_notes=Subquery(latest_note),
            media=Subquery(first_photo),
            address_id=address_id_matching("address"),
        )
        .values(*_PUBLIC_FIELDS)
    )


def service_request_list(*, filters: RequestFilter) -> list[dict]:
    """Public service requests matching `filters`, newest first (one query).

    The radius is measured on the WGS 84 spheroid (geography, metres) from the public location
    and uses the GiST index on it (`reporter.public`).
    """
    qs = _public_requests()
    if filters.ids:
        qs = qs.filter(pk__in=filters.ids)
    else:
        if filters.category_slugs:
            qs = qs.filter(category__slug__in=filters.category_slugs)
        if filters.statuses:
            qs = qs.filter(status__in=filters.statuses)
        if filters.start is not None:
            qs = qs.filter(created_at__gte=filters.start)
        if filters.end is not None:
            qs = qs.filter(created_at__lte=filters.end)
        if filters.near is not None:
            lon, lat, radius_m = filters.near
            qs = qs.filter(RawSQL(
                f"ST_DWithin({PUBLIC_REPORT_VIEW}.location::geography, "
                "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s)",
                (lon, lat, radius_m), output_field=BooleanField(),
            ))
        if filters.bbox is not None:
            # `&&` first: the GiST index on the public location (reporter.public) answers it.
            qs = qs.filter(RawSQL(
                f"{PUBLIC_REPORT_VIEW}.location && ST_MakeEnvelope(%s, %s, %s, %s, 4326) AND "
                f"ST_Intersects({PUBLIC_REPORT_VIEW}.location, ST_MakeEnvelope(%s, %s, %s, %s, 4326))",
                (*filters.bbox, *filters.bbox), output_field=BooleanField(),
            ))
        if filters.updated_after is not None:
            qs = qs.filter(updated_at__gt=filters.updated_after)
        if filters.updated_before is not None:
            qs = qs.filter(updated_at__lt=filters.updated_before)
    if filters.updated_after is not None or filters.updated_before is not None:
        qs = qs.order_by("updated_at", "id")
    else:
        qs = qs.order_by("-created_at", "-id")
    return list(qs[filters.offset:filters.offset + filters.limit])


def service_request_get(*, pk: int) -> dict | None:
    """One public service request, or None (unknown or hidden)."""
    return _public_requests().filter(pk=pk).first()


def service_request_id_by_token(*, token: str) -> int | None:
    """The id of the report with this tracking token (hidden ones too: the token is the
    reporter's), or None."""
    return Report.objects.filter(tracking_token=token).values_list("id", flat=True).first()
