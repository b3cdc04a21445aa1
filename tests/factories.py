"""factory_boy factories with explicit SRIDs (EPSG:4326, lon/lat) and a tiny test city."""
from types import SimpleNamespace

import factory
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from geodata.models import JurisdictionArea, JurisdictionLayer
from reporter.models import Report
from routing_rules.models import Category, Department, RoutingRule


def square(lon0: float, lat0: float, lon1: float, lat1: float, holes=()) -> MultiPolygon:
    """An axis-aligned lon/lat rectangle as a MultiPolygon in EPSG:4326."""
    ring = ((lon0, lat0), (lon1, lat0), (lon1, lat1), (lon0, lat1), (lon0, lat0))
    hole_rings = [((a, b), (c, b), (c, d), (a, d), (a, b)) for a, b, c, d in holes]
    return MultiPolygon(Polygon(ring, *hole_rings), srid=4326)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("pw-12345678")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    slug = factory.Sequence(lambda n: f"fb-{n}")
    name = factory.Sequence(lambda n: f"Fachbereich {n}")
    email = factory.LazyAttribute(lambda o: f"{o.slug}@stadt.example")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    slug = factory.Sequence(lambda n: f"kat-{n}")
    name = factory.Sequence(lambda n: f"Kategorie {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    group = "strasse"
    default_department = factory.SubFactory(DepartmentFactory)


class LayerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JurisdictionLayer

    slug = factory.Sequence(lambda n: f"ebene-{n}")
    name = factory.Sequence(lambda n: f"Ebene {n}")
    role = JurisdictionLayer.Role.AREA


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JurisdictionArea

    layer = factory.SubFactory(LayerFactory)
    name = factory.Sequence(lambda n: f"Gebiet {n}")
    geom = factory.LazyFunction(lambda: square(12.0, 50.85, 12.1, 50.9))


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule

    name = factory.Sequence(lambda n: f"Regel {n}")
    layer = factory.SubFactory(LayerFactory)
    department = factory.SubFactory(DepartmentFactory)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    location = factory.LazyFunction(lambda: Point(12.05, 50.875, srid=4326))
    category = factory.SubFactory(CategoryFactory)
    department = factory.LazyAttribute(lambda o: o.category.default_department)
    description = "Schlagloch vor dem Haus"
    routing_explanation = factory.LazyFunction(lambda: {"reason": "default"})


def city_build() -> SimpleNamespace:
    """Boundary 12.00–12.10 / 50.85–50.90 with a neighbour ring (Landkreis Greiz) around it."""
    boundary = LayerFactory(slug="stadtgrenze", name="Stadtgrenze", role=JurisdictionLayer.Role.BOUNDARY)
    AreaFactory(layer=boundary, name="Teststadt", geom=square(12.0, 50.85, 12.1, 50.9))
    neighbours = LayerFactory(slug="nachbarn", name="Nachbarn", role=JurisdictionLayer.Role.NEIGHBOUR)
    AreaFactory(
        layer=neighbours, name="Landkreis Greiz", authority="Landratsamt Greiz",
        geom=square(11.9, 50.8, 12.2, 50.95, holes=[(12.0, 50.85, 12.1, 50.9)]),
    )
    department = DepartmentFactory(slug="tiefbau", name="Tiefbauamt", email="tiefbau@stadt.example")
    category = CategoryFactory(slug="schlagloch", name="Schlagloch", name_en="Pothole", group="strasse",
                               default_department=department)
    return SimpleNamespace(boundary=boundary, neighbours=neighbours, department=department, category=category)
