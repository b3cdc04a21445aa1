"""Reads of the back office: who may work here, the filtered queue, its map, a report, crew load.

Every read starts from `reporter.selectors.report_list_for_staff`: staff see the reports of
the departments they are members of, superusers all. The queue is one ORM query (plus a
count for paging) with the district and the overdue flag computed in PostgreSQL; its map
is the same query wrapped into `json_agg` so PostGIS writes the GeoJSON.

District: the polygon of a `district` role layer covering the report (`ST_Covers`, so a
point on an edge counts), the smallest one on shared edges, then the lowest id — the rule
of `geodata.selectors.area_at_point`.
"""
from dataclasses import dataclass
from datetime import date

from django.db import connections
from django.db.models import BooleanField, Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from geodata.models import JurisdictionArea, JurisdictionLayer
from reporter.models import Crew, Report, ReportPhoto, StatusChange
from reporter.selectors import report_list_for_staff
from routing_rules.access import department_scope, departments_of
from routing_rules.models import Category, Department

__all__ = [
    "QueueFilter", "QUEUE_TABS", "QUEUE_SORTS", "QUEUE_MAP_LIMIT", "staff_may_enter", "staff_departments",
    "department_choices", "report_visible_to", "EXPORT_COLUMNS", "queue_export_rows",
    "staff_crews", "staff_categories", "district_list", "queue_reports", "queue_geojson", "report_for_work",
    "report_photo_for_staff", "crew_load",
]

# Tabs of the queue: which reports each shows.
QUEUE_TABS = ("offen", "neu", "ueberfaellig", "alle")
# Sort keys of the queue (German, as in the URL) → ORDER BY. The id breaks ties: stable paging.
QUEUE_SORTS = {
    "faellig": [F("due_date").asc(nulls_last=True), "id"],
    "-faellig": [F("due_date").desc(nulls_last=True), "-id"],
    "eingang": ["created_at", "id"],
    "-eingang": ["-created_at", "-id"],
    "kategorie": ["category__name", "id"],
    "status": ["status", "id"],
    "nummer": ["id"],
    "-nummer": ["-id"],
}
# Most reports drawn on the queue map (the list pages through all of them).
QUEUE_MAP_LIMIT = 2000

_DISTRICT_ID_SQL = f"""(
  SELECT a.id FROM geodata_jurisdictionarea a
  JOIN geodata_jurisdictionlayer l ON l.id = a.layer_id
  WHERE l.role = '{JurisdictionLayer.Role.DISTRICT}' AND ST_Covers(a.geom, reporter_report.location)
  ORDER BY ST_Area(a.geom), a.id
  LIMIT 1
)"""


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows; ids are already checked against what the user may see."""

    department_ids: tuple[int, ...] = ()  # empty: all the user's departments
    tab: str = "offen"
    category_id: int | None = None
    district_id: int | None = None
    crew_id: int | None = None
    without_crew: bool = False
    sort: str = "faellig"
    search: str = ""  # number ("123", "#123"), tracking token, text, address, reporter name or email


def staff_may_enter(user) -> bool:
    """Active staff users and superusers may use the back office."""
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


def staff_departments(*, user) -> QuerySet[Department]:
    """The departments whose reports the user works on (all for superusers)."""
    return departments_of(user=user)


def department_choices() -> QuerySet[Department]:
    """Every department, by name: the targets a report can be re-routed to."""
    return Department.objects.order_by("name").only("id", "slug", "name")


def report_visible_to(*, user, pk: int) -> bool:
    """True if the user may still open the report (e.g. after handing it to another department)."""
    return report_list_for_staff(user=user).filter(pk=pk).exists()


def staff_crews(*, user, department_ids=None) -> QuerySet[Crew]:
    """Active crews of the user's departments (optionally of some of them), with their department."""
    qs = department_scope(Crew.objects.filter(is_active=True).select_related("department")
                          .order_by("department__name", "name"), user=user)
    if department_ids:
        qs = qs.filter(department_id__in=department_ids)
    return qs


def staff_categories() -> QuerySet[Category]:
    """All categories (inactive ones too: old reports keep theirs), in display order."""
    return Category.objects.order_by("order", "name").only("id", "slug", "name", "sla_days", "order")


def district_list() -> QuerySet[JurisdictionArea]:
    """The polygons of the district layers, by name (geometry left out)."""
    return (JurisdictionArea.objects.filter(layer__role=JurisdictionLayer.Role.DISTRICT)
            .only("id", "name").order_by("name", "id"))


def _overdue(today: date):
    return Case(When(status__in=Report.OPEN_STATUSES, due_date__lt=today, then=Value(True)),
                default=Value(False), output_field=BooleanField())


def queue_reports(*, user, filters: QueueFilter, today: date | None = None) -> QuerySet[Report]:
    """The user's reports matching `filters`, annotated with `district_id` and `is_overdue`, sorted.

    Personal data of reporters is not loaded (the list never shows it).
    """
    today = today or timezone.localdate()
    qs = (report_list_for_staff(user=user)
          .select_related("crew")
          .only("id", "status", "moderation", "address", "location_text", "location", "created_at", "due_date",
                "escalated_at", "supporter_count", "category__id", "category__name", "department__id",
                "department__name", "crew__id", "crew__name")
          .annotate(district_id=RawSQL(_DISTRICT_ID_SQL, ()), is_overdue=_overdue(today)))
    if filters.department_ids:
        qs = qs.filter(department_id__in=filters.department_ids)
    if filters.tab == "neu":
        qs = qs.filter(status=Report.Status.SUBMITTED)
    elif filters.tab == "ueberfaellig":
        qs = qs.filter(status__in=Report.OPEN_STATUSES, due_date__lt=today)
    elif filters.tab == "offen":
        qs = qs.filter(status__in=Report.OPEN_STATUSES)
    if filters.category_id:
        qs = qs.filter(category_id=filters.category_id)
    if filters.district_id:
        qs = qs.filter(district_id=filters.district_id)
    if filters.without_crew:
        qs = qs.filter(crew__isnull=True)
    elif filters.crew_id:
        qs = qs.filter(crew_id=filters.crew_id)
    if filters.search:
        qs = qs.filter(_search_q(filters.search))
    return qs.order_by(*QUEUE_SORTS.get(filters.sort, QUEUE_SORTS["faellig"]))


# Largest value of a PostgreSQL integer column: bigger numbers cannot be a report number.
_MAX_ID = 2**31 - 1


def _search_q(text: str) -> Q:
    """Reports whose number or tracking token is `text`, or whose texts, address or reporter
    name or email contain it (case-insensitive). Staff see reporters' names and emails on the
    work screen, so they may search them."""
    text = text.strip()
    number = text.removeprefix("#").strip()
    q = (Q(tracking_token=text) | Q(description__icontains=text) | Q(public_description__icontains=text)
         | Q(address__icontains=text) | Q(location_text__icontains=text) | Q(reporter_name__icontains=text)
         | Q(reporter_email__icontains=text))
    if number.isdigit() and int(number) <= _MAX_ID:
        q |= Q(pk=int(number))
    return q


# Columns of the CSV export: (header, value path). Everything the work screen shows staff,
# including the reporter's contact data (the export is limited to the clerk's departments).
EXPORT_COLUMNS = (
    ("Nummer", "id"), ("Eingang", "created_at"), ("Status", "status"), ("Kategorie", "category__name"),
    ("Fachbereich", "department__name"), ("Stadtteil", "district_id"), ("Adresse", "address"),
    ("Ortsbeschreibung", "location_text"), ("Längengrad (WGS 84)", "lon"), ("Breitengrad (WGS 84)", "lat"),
    ("Fällig am", "due_date"), ("Überfällig", "is_overdue"), ("Trupp", "crew__name"),
    ("Unterstützungen", "supporter_count"), ("Veröffentlichung", "moderation"), ("Beschreibung", "description"),
    ("Öffentliche Beschreibung", "public_description"), ("Name", "reporter_name"), ("E-Mail", "reporter_email"),
    ("Telefon", "reporter_phone"), ("Abgeschlossen am", "closed_at"),
)


def queue_export_rows(*, queryset: QuerySet[Report], chunk_size: int = 1000):
    """The rows of a `queue_reports` queryset for the CSV export, as tuples in EXPORT_COLUMNS order.

    Streams from the database in chunks (server-side cursor): memory does not grow with the
    number of reports. Coordinates are WGS 84 lon/lat; `district_id` is resolved by the caller.
    """
    fields = [path for _header, path in EXPORT_COLUMNS]
    return (queryset.annotate(lon=RawSQL("ST_X(reporter_report.location)", ()),
                              lat=RawSQL("ST_Y(reporter_report.location)", ()))
            .values_list(*fields).iterator(chunk_size=chunk_size))


_GEOJSON_SQL = """
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
     'type', 'Feature',
     'id', q.fid,
     'geometry', ST_AsGeoJSON(q.geom, 6)::json,
     'properties', json_build_object(
        'id', q.fid, 'category', q.category, 'status', q.status, 'address', q.address,
        'due_date', q.due_date, 'overdue', q.overdue, 'crew', q.crew)
  )), '[]'::json)
)::text
FROM ({inner}) q
"""


def queue_geojson(*, queryset: QuerySet[Report], limit: int = QUEUE_MAP_LIMIT) -> str:
    """The reports of a `queue_reports` queryset as a GeoJSON FeatureCollection (WGS 84, 6 decimals).

    One query: the queryset's own SQL (filters, district, order) limited to `limit` rows,
    wrapped into `json_agg`. Coordinates are lon/lat (RFC 7946).
    """
    inner = queryset.values(
        fid=F("id"), geom=F("location"), category_name=F("category__name"), status_code=F("status"),
        address_text=F("address"), due=F("due_date"), overdue_flag=F("is_overdue"), crew_name=F("crew__name"),
    )[:limit]
    sql, params = inner.query.sql_with_params()
    wrapped = ("SELECT fid, geom, category_name AS category, status_code AS status, address_text AS address, "
               f"due AS due_date, overdue_flag AS overdue, crew_name AS crew FROM ({sql}) s")
    # Where the ORM runs the queryset itself: the read replica in a GET (config.db_router).
    with connections[inner.db].cursor() as cursor:
        cursor.execute(_GEOJSON_SQL.format(inner=wrapped), params)
        return cursor.fetchone()[0]


def report_for_work(*, user, pk: int, today: date | None = None) -> Report | None:
    """A report of the user's departments with everything the work screen shows, or None.

    Photos (all kinds and states) and the full history with actors are prefetched;
    `is_overdue` and `district_id` are annotated.
    """
    today = today or timezone.localdate()
    return (report_list_for_staff(user=user)
            .select_related("crew", "crew__department", "duplicate_of")
            .annotate(district_id=RawSQL(_DISTRICT_ID_SQL, ()), is_overdue=_overdue(today))
            .prefetch_related(
                Prefetch("photos", queryset=ReportPhoto.objects.order_by("id")),
                Prefetch("history", queryset=StatusChange.objects.select_related("actor").order_by("-created_at",
                                                                                                  "-id")),
                Prefetch("duplicates", queryset=Report.objects.only("id", "duplicate_of_id", "status")))
            .filter(pk=pk).first())


def report_photo_for_staff(*, user, pk: int) -> ReportPhoto | None:
    """A photo of a report the user may work on, or None."""
    return (ReportPhoto.objects.filter(pk=pk, report__in=report_list_for_staff(user=user).values("pk"))
            .select_related("report").first())


@dataclass(frozen=True)
class CrewLoad:
    crew: Crew
    open_count: int
    overdue_count: int


def crew_load(*, user, today: date | None = None) -> list[CrewLoad]:
    """Open tasks and overdue tasks per active crew of the user's departments, busiest first."""
    today = today or timezone.localdate()
    open_q = Q(reports__status__in=Report.OPEN_STATUSES)
    crews = staff_crews(user=user).annotate(
        open_count=Count("reports", filter=open_q),
        overdue_count=Count("reports", filter=open_q & Q(reports__due_date__lt=today)),
    ).order_by("-open_count", "department__name", "name")
    return [CrewLoad(crew=c, open_count=c.open_count, overdue_count=c.overdue_count) for c in crews]
