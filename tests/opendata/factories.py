"""factory_boy factories for the open data catalogue. Spatial extents are EPSG:4326
(lon, lat) with the SRID set explicitly; factories refresh the search index like the
services do."""
import factory
from django.contrib.gis.geos import Polygon

from opendata.models import Dataset, Group, Organization, OrganizationMember, Resource, Tag
from opendata.search.index import search_index_update
from opendata.services import api_token_create
from tests.factories import UserFactory

__all__ = [
    "DatasetFactory", "GroupFactory", "OrganizationFactory", "ResourceFactory", "TagFactory", "UserFactory",
    "bbox_polygon", "member_add", "token_for",
]


def bbox_polygon(lon0: float, lat0: float, lon1: float, lat1: float) -> Polygon:
    """An axis-aligned lon/lat rectangle as a Polygon in EPSG:4326."""
    polygon = Polygon.from_bbox((lon0, lat0, lon1, lat1))
    polygon.srid = 4326
    return polygon


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"amt-{n}")
    title = factory.Sequence(lambda n: f"Amt {n}")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"thema-{n}")
    title = factory.LazyAttribute(lambda o: o.name.title())


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag-{n}")


class _Indexed:
    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            search_index_update(dataset_ids=[getattr(instance, "package_id", None) or instance.pk])


class DatasetFactory(_Indexed, factory.django.DjangoModelFactory):
    """`tags=["a", "b"]` and `groups=["tran"]` take names; missing ones are created."""

    class Meta:
        model = Dataset
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"datensatz-{n}")
    title = factory.Sequence(lambda n: f"Datensatz {n}")
    notes = "Beschreibung des Datensatzes"
    owner_org = factory.SubFactory(OrganizationFactory)
    license_id = "dl-by-de/2.0"

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set([TagFactory(name=name) for name in extracted])

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([GroupFactory(name=name) for name in extracted])


class ResourceFactory(_Indexed, factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    package = factory.SubFactory(DatasetFactory)
    name = factory.Sequence(lambda n: f"Ressource {n}")
    url = factory.Sequence(lambda n: f"https://daten.example.org/r{n}.csv")
    format = "CSV"
    mimetype = "text/csv"
    position = factory.Sequence(lambda n: n)


def member_add(org: Organization, user, capacity: str = "editor") -> OrganizationMember:
    return OrganizationMember.objects.create(organization=org, user=user, capacity=capacity)


def token_for(user, name: str = "test") -> str:
    """A fresh API token for `user` (through the service, so only its hash is stored)."""
    return api_token_create(user=user, name=name)[1]
