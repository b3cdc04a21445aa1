"""Factories of the field-crew tests: crews (EPSG:4326 points come from tests.factories)."""
import factory

from reporter.models import Crew
from tests.factories import DepartmentFactory


class CrewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Crew
        skip_postgeneration_save = True

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Trupp {n}")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)
