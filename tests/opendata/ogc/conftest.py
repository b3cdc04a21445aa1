"""Data for the OGC API – Features tests: the small test city with its two layers, public,
pending and hidden reports on a grid with one report per day, and an ingested vector
resource (ResourceFeature rows made directly) next to resources that must stay unlisted."""
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.gis.geos import LineString, Point

from opendata.models import ResourceFeature
from reporter.models import Report
from tests.factories import ReportFactory
from tests.opendata.factories import DatasetFactory, OrganizationFactory, ResourceFactory

START = datetime(2024, 3, 1, 8, tzinfo=UTC)
SECRET = SimpleNamespace(name="Erika Mustermann", email="erika.geheim@example.org", phone="+49 365 123456",
                         description="Originaltext mit Telefonnummer 0176 999")


def _ingested(dataset, **ingest):
    resource = ResourceFactory(package=dataset, name="Baustellen", url_type="upload", url="", format="GeoJSON",
                               geo_ingest={"status": "ok", "geometry_type": "Point", "feature_count": 0, **ingest})
    return resource


@pytest.fixture
def ogc_data(city):
    """24 visible reports (one a day from 2024-03-01 08:00 UTC on a 6 x 4 grid), one of them
    pending moderation, plus 2 hidden ones; a public ingested resource with 3 features;
    resources that are private, deleted, not ingested or failed."""
    reports = []
    for i in range(26):
        with time_machine.travel(START + timedelta(days=i), tick=False):
            hidden = i >= 24
            reports.append(ReportFactory(
                location=Point(12.005 + (i % 6) * 0.015, 50.855 + (i // 6 % 4) * 0.01, srid=4326),
                category=city.category, department=city.department,
                description=SECRET.description, public_description=f"Schlagloch Nummer {i}",
                moderation=Report.Moderation.HIDDEN if hidden else (
                    Report.Moderation.PENDING if i == 5 else Report.Moderation.APPROVED),
                reporter_name=SECRET.name, reporter_email=SECRET.email, reporter_phone=SECRET.phone,
                status=Report.Status.OPEN,
            ))
    org = OrganizationFactory(name="tiefbauamt", title="Tiefbauamt")
    dataset = DatasetFactory(name="baustellen", title="Baustellen", owner_org=org)
    resource = _ingested(dataset, bbox=[12.01, 50.86, 12.05, 50.88])
    features = [
        ResourceFeature.objects.create(resource=resource, fid=1, geometry=Point(12.01, 50.86, srid=4326),
                                       properties={"name": "Baustelle Nord", "bis": "2024-06-30"}),
        ResourceFeature.objects.create(resource=resource, fid=2, geometry=Point(12.05, 50.88, srid=4326),
                                       properties={"name": "Baustelle Süd", "bis": None}),
        ResourceFeature.objects.create(
            resource=resource, fid=3, geometry=LineString((12.02, 50.87), (12.03, 50.875), srid=4326),
            properties={"name": "Umleitung"}),
    ]
    hidden_resources = [
        _ingested(DatasetFactory(name="intern", owner_org=org, private=True)),
        _ingested(DatasetFactory(name="geloescht", owner_org=org, state="deleted")),
        ResourceFactory(package=dataset, name="wartet", geo_ingest={"status": "pending"}),
        ResourceFactory(package=dataset, name="kaputt", geo_ingest={"status": "error", "error": "kaputt"}),
        ResourceFactory(package=dataset, name="link"),
    ]
    for other in hidden_resources[:2]:
        ResourceFeature.objects.create(resource=other, fid=1, geometry=Point(12.0, 50.0, srid=4326),
                                       properties={"name": "geheim"})
    return SimpleNamespace(
        city=city, reports=reports, visible=[r for r in reports if r.moderation != Report.Moderation.HIDDEN],
        hidden=[r for r in reports if r.moderation == Report.Moderation.HIDDEN], dataset=dataset,
        resource=resource, features=features, hidden_resources=hidden_resources,
    )
