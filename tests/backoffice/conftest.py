"""A small back office: two departments with staff, crews, two districts, reports with due dates."""
import re
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point

from geodata.models import JurisdictionLayer
from reporter.models import Crew, Report
from tests.factories import AreaFactory, CategoryFactory, DepartmentFactory, LayerFactory, ReportFactory, UserFactory
from tests.factories import square as rect

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=BERLIN)  # a Tuesday
TODAY = NOW.date()
NORTH = Point(12.05, 50.885, srid=4326)  # lon, lat
SOUTH = Point(12.05, 50.860, srid=4326)


def row_ids(html: str) -> list[int]:
    """Report ids of the queue table rows, in order."""
    return [int(i) for i in re.findall(r'<tr id="row-(\d+)"', html)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def office(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    roads = DepartmentFactory(slug="tiefbau", name="Tiefbauamt", email="tiefbau@stadt.example",
                              lead_email="leitung-tiefbau@stadt.example")
    parks = DepartmentFactory(slug="gruen", name="Grünflächenamt", email="gruen@stadt.example")
    pothole = CategoryFactory(slug="schlagloch", name="Schlagloch", sla_days=2, default_department=roads, order=1)
    light = CategoryFactory(slug="laterne", name="Straßenlaterne", sla_days=5, default_department=roads, order=2)
    tree = CategoryFactory(slug="baum", name="Baum", sla_days=3, default_department=parks, order=3)
    districts = LayerFactory(slug="stadtteile", name="Stadtteile", role=JurisdictionLayer.Role.DISTRICT)
    north = AreaFactory(layer=districts, name="Nord", geom=rect(12.0, 50.875, 12.1, 50.9))
    south = AreaFactory(layer=districts, name="Süd", geom=rect(12.0, 50.85, 12.1, 50.875))
    k1 = Crew.objects.create(department=roads, name="Kolonne 1")
    k2 = Crew.objects.create(department=roads, name="Kolonne 2")
    tree_crew = Crew.objects.create(department=parks, name="Baumtrupp")
    staff_a = UserFactory(username="anna", is_staff=True)
    roads.members.add(staff_a)
    staff_b = UserFactory(username="bernd", is_staff=True)
    parks.members.add(staff_b)
    admin = UserFactory(username="chefin", is_staff=True, is_superuser=True)
    citizen = UserFactory(username="buerger")

    def report(category, *, due, status=Report.Status.OPEN, point=NORTH, crew=None, **kwargs):
        return ReportFactory(category=category, status=status, location=point, due_date=due, crew=crew, **kwargs)

    r = SimpleNamespace(
        # Tiefbauamt
        new_north=report(pothole, due=date(2026, 3, 12), status=Report.Status.SUBMITTED, address="Markt 1",
                         reporter_email="erika@example.org", reporter_name="Erika Muster",
                         description="Loch vor Haus 3, Auto von Herrn X beschädigt"),
        overdue_south=report(pothole, due=date(2026, 3, 9), point=SOUTH, crew=k1, address="Südstraße 5"),
        light_north=report(light, due=date(2026, 3, 16), status=Report.Status.IN_PROGRESS, crew=k2),
        resolved=report(pothole, due=date(2026, 3, 2), status=Report.Status.RESOLVED, point=SOUTH),
        # Grünflächenamt
        tree=report(tree, due=date(2026, 3, 5), point=SOUTH, crew=tree_crew, reporter_email="gerd@example.org"),
    )
    return SimpleNamespace(roads=roads, parks=parks, pothole=pothole, light=light, tree=tree, north=north,
                           south=south, k1=k1, k2=k2, tree_crew=tree_crew, staff_a=staff_a, staff_b=staff_b,
                           admin=admin, citizen=citizen, r=r)
