"""Reads of the monitor: its entries (`monitor_entries`), filtered (`monitor_entries_filter`),
and the progress over time (`progress_by_month`).

An entry is an `OzgService` row merged with what its plug-in service declares in the catalogue
(`portal.catalogue.Service`): title (in the active language), LeiKa key, start page, and, where
declared, OZG topic and maturity win over the row. A registered service without a row yet (the
daily sync has not run) is shown as online. Everything in an entry is public: it describes a
service, never a case or a person. The catalogue is a few hundred entries at most, so filters
run in Python over one query (`select_related`). Raw SQL reads on
`config.db_router.read_connection`, like the ORM's (the read replica in a GET).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone, translation

from config.db_router import read_connection
from portal.selectors import service_list, service_url

from .maturity import MODELS, overall_level
from .models import DeliveryRoute, Origin, OzgService, OzgServiceChange, ServiceStatus
from .topics import OzgTopic

__all__ = ["MonitorEntry", "monitor_entries", "monitor_entries_filter", "progress_by_month", "month_add"]


@dataclass(frozen=True)
class MonitorEntry:
    key: str
    origin: str
    title: str
    url: str
    provider: str
    leika_key: str
    topic: str
    department_slug: str
    department_name: str
    status: str
    go_live_date: date | None
    target_date: date | None
    delivery_route: str
    maturity_model: str
    maturity: dict = field(default_factory=dict)
    maturity_level: int | None = None

    @property
    def topic_label(self) -> str:
        return str(OzgTopic(self.topic).label) if self.topic else ""

    @property
    def status_label(self) -> str:
        return str(ServiceStatus(self.status).label)

    @property
    def origin_label(self) -> str:
        return str(Origin(self.origin).label)

    @property
    def delivery_route_label(self) -> str:
        return str(DeliveryRoute(self.delivery_route).label) if self.delivery_route else ""

    @property
    def maturity_level_label(self) -> str:
        return MODELS[self.maturity_model].level_label(self.maturity_level)

    @property
    def maturity_criteria(self) -> list[tuple[str, str, int]]:
        """(key, label, level) of the assessed criteria, in the model's order."""
        model = MODELS[self.maturity_model]
        return [(key, str(label), self.maturity[key]) for key, label in model.criteria if key in self.maturity]


def _title(row: OzgService) -> str:
    if row.title_en and translation.get_language() == "en":
        return row.title_en
    return row.title


def monitor_entries() -> list[MonitorEntry]:
    """Every entry of the monitor, sorted by title in the active language."""
    declared = {service.slug: service for service in service_list()}
    entries = []
    rows = OzgService.objects.select_related("department").order_by("title")
    seen = set()
    for row in rows:
        seen.add(row.key)
        values = {
            "key": row.key, "origin": row.origin, "title": _title(row), "url": row.url, "provider": row.provider,
            "leika_key": row.leika_key, "topic": row.topic,
            "department_slug": row.department.slug if row.department else "",
            "department_name": row.department.name if row.department else "",
            "status": row.status, "go_live_date": row.go_live_date, "target_date": row.target_date,
            "delivery_route": row.delivery_route, "maturity_model": row.maturity_model,
            "maturity": dict(row.maturity or {}), "maturity_level": row.maturity_level,
        }
        service = declared.get(row.key) if row.origin == Origin.PORTAL else None
        if service is not None:
            values.update(_declared(service))
        entries.append(MonitorEntry(**values))
    for slug, service in declared.items():
        if slug not in seen:
            values = {"key": slug, "origin": Origin.PORTAL, "provider": "", "topic": "", "department_slug": "",
                      "department_name": "", "status": ServiceStatus.ONLINE, "go_live_date": None,
                      "target_date": None, "delivery_route": "", "maturity_model": "1.1"}
            entries.append(MonitorEntry(**{**values, **_declared(service)}))
    return sorted(entries, key=lambda e: e.title.casefold())


def _declared(service) -> dict:
    """What a plug-in service declares about itself, in the monitor's terms."""
    values = {"title": str(service.title), "url": service_url(service), "leika_key": service.leika_key}
    if service.ozg_topic:
        values["topic"] = service.ozg_topic
    if service.ozg_maturity:
        values["maturity_model"] = service.ozg_maturity_model
        values["maturity"] = dict(service.ozg_maturity)
        values["maturity_level"] = overall_level(service.ozg_maturity)
    return values


def monitor_entries_filter(entries: list[MonitorEntry], *, topic: str = "", status: str = "",
                           level: int | None = None, department: str = "") -> list[MonitorEntry]:
    """The entries matching every given filter (inputs validated by `ozgmonitor.forms`);
    `level`: the overall maturity level at least `level`."""
    return [e for e in entries
            if (not topic or e.topic == topic) and (not status or e.status == status)
            and (level is None or (e.maturity_level is not None and e.maturity_level >= level))
            and (not department or e.department_slug == department)]


def month_add(month: date, months: int) -> date:
    """The first day of the month `months` after `month` (negative: before)."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


_PROGRESS_SQL = """
SELECT m.month::date, c.status, count(*)
FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') AS m(month)
JOIN LATERAL (
    SELECT DISTINCT ON (ch.service_id) ch.status
    FROM ozgmonitor_ozgservicechange ch
    WHERE ch.changed_on < (m.month + interval '1 month')::date
    ORDER BY ch.service_id, ch.changed_on DESC, ch.id DESC
) c ON true
GROUP BY m.month, c.status
ORDER BY m.month
"""


def progress_by_month(*, months: int = 24, today: date | None = None) -> tuple[list[date], dict[str, list[int]]]:
    """How many services were in each status at the end of each of the last `months` months
    (the current one: today), from the history. Returns (the months' first days, oldest first;
    {status: one count per month}) with every status present."""
    today = today or timezone.localdate()
    last = today.replace(day=1)
    first = month_add(last, -(months - 1))
    month_list = [month_add(first, i) for i in range(months)]
    counts = {status: [0] * months for status in ServiceStatus.values}
    position = {month: i for i, month in enumerate(month_list)}
    with read_connection(OzgServiceChange).cursor() as cursor:
        cursor.execute(_PROGRESS_SQL, {"first": first, "last": last})
        for month, status, n in cursor.fetchall():
            counts[status][position[month]] = n
    return month_list, counts
