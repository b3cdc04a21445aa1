"""The OZG monitor under test: two departments with one clerk each, entries with history, and
helpers to file cases and reports at a given time (aggregates are computed from them). Of the
plug-in services in `services/`, only the general request is registered here, so that the
figures do not change with every service a city installs."""
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from cases.models import Case
from ozgmonitor.models import DeliveryRoute, OzgService, ServiceStatus
from ozgmonitor.services import ozg_service_save
from portal import hooks
from tests.factories import DepartmentFactory, ReportFactory, UserFactory

BERLIN = ZoneInfo("Europe/Berlin")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def _known_services_only(monkeypatch):
    hooks.get_hooks("register_service")  # discover once, then filter the registry
    registry = {name: [(order, fn) for order, fn in entries
                       if not fn.__module__.startswith("services.") or fn.__module__.startswith("services.anliegen.")]
                for name, entries in hooks._registry.items()}
    monkeypatch.setattr(hooks, "_registry", registry)


@pytest.fixture
def org(db):
    citizens = DepartmentFactory(slug="buergeramt", name="Bürgeramt", email="buergeramt@stadt.example")
    roads = DepartmentFactory(slug="tiefbau", name="Tiefbauamt", email="tiefbau@stadt.example")
    clara = UserFactory(username="clara", is_staff=True)
    citizens.members.add(clara)
    theo = UserFactory(username="theo", is_staff=True)
    roads.members.add(theo)
    return SimpleNamespace(citizens=citizens, roads=roads, clara=clara, theo=theo)


@pytest.fixture
def entries(org):
    """An external online service (planned → in progress → online), one in progress and a
    planned one of the roads department."""
    wohngeld = OzgService(key="wohngeld", title="Wohngeld beantragen", title_en="Apply for housing benefit",
                          provider="Land (Einer für alle)", url="https://wohngeld.example/", topic="bauen-wohnen",
                          department=org.citizens, delivery_route=DeliveryRoute.EXTERNAL_PORTAL,
                          leika_key="99108001000000", status=ServiceStatus.PLANNED,
                          maturity={"leistungsbeschreibung": 4, "antragsprozess": 3, "nachweise": 3})
    ozg_service_save(service=wohngeld, changed_on=date(2026, 1, 10))
    wohngeld.status = ServiceStatus.IN_PROGRESS
    ozg_service_save(service=wohngeld, changed_on=date(2026, 4, 2))
    wohngeld.status, wohngeld.go_live_date = ServiceStatus.ONLINE, date(2026, 9, 15)
    ozg_service_save(service=wohngeld, changed_on=date(2026, 9, 15))
    hund = OzgService(key="hundesteuer", title="Hund anmelden", topic="steuern-zoll", department=org.citizens,
                      status=ServiceStatus.IN_PROGRESS, target_date=date(2027, 3, 31),
                      maturity={"leistungsbeschreibung": 4, "antragsprozess": 2})
    ozg_service_save(service=hund, changed_on=date(2026, 6, 1))
    sperr = OzgService(key="sondernutzung", title="Sondernutzung der Straße", topic="mobilitaet-reisen",
                       department=org.roads, status=ServiceStatus.PLANNED, maturity_model="2.0",
                       maturity={"k01": 2, "k02": 5})
    ozg_service_save(service=sperr, changed_on=date(2026, 8, 1))
    return SimpleNamespace(wohngeld=wohngeld, hund=hund, sperr=sperr)


_counter = iter(range(1, 10_000))


def case_filed(*, service: str, department, created: datetime, closed: datetime | None = None,
               channel: str = Case.Channel.WEB, merged_into: Case | None = None, **extra) -> Case:
    """A case as if filed at `created` (and closed at `closed`)."""
    n = next(_counter)
    case = Case.objects.create(service=service, reference=f"T-{n:05d}", status="new", department=department,
                               channel=channel, **extra)
    Case.objects.filter(pk=case.pk).update(created_at=created, closed_at=closed, merged_into=merged_into,
                                           status="done" if closed else "new")
    case.refresh_from_db()
    return case


def report_filed(*, created: datetime, closed: datetime | None = None, status: str = "submitted",
                 channel: str = "web", moderation: str = "approved", **extra):
    report = ReportFactory(channel=channel, **extra)
    type(report).objects.filter(pk=report.pk).update(created_at=created, closed_at=closed, status=status,
                                                     moderation=moderation)
    return report


