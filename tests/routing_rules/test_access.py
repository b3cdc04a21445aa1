"""`department_scope_any`: rows visible through any of several department lookups."""
import pytest
from django.contrib.auth.models import AnonymousUser

from routing_rules.access import department_scope_any
from routing_rules.models import Category
from tests.factories import CategoryFactory, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_rows_of_any_path_once_each():
    roads, parks, other = DepartmentFactory(), DepartmentFactory(), DepartmentFactory()
    clerk = UserFactory(is_staff=True)
    roads.members.add(clerk)
    parks.members.add(clerk)
    own, own2 = CategoryFactory(default_department=roads), CategoryFactory(default_department=roads)
    inactive = UserFactory(is_active=False)
    roads.members.add(inactive)
    CategoryFactory(default_department=other)
    # One path through the department, one through a related row's department: both reach roads.
    via_sibling = "default_department__default_categories__default_department"
    qs = department_scope_any(Category.objects.all(), user=clerk, paths=("default_department", via_sibling))
    assert sorted(c.pk for c in qs) == [own.pk, own2.pk]  # without distinct each would come twice
    assert list(department_scope_any(Category.objects.all(), user=AnonymousUser(), paths=("default_department",))) == []
    assert list(department_scope_any(Category.objects.all(), user=inactive, paths=("default_department",))) == []
    boss = UserFactory(is_superuser=True)
    assert department_scope_any(Category.objects.all(), user=boss, paths=("default_department",)).count() == 3


def test_every_row_reads_the_same_rows_through_an_array():
    roads, other = DepartmentFactory(), DepartmentFactory()
    clerk = UserFactory(is_staff=True)
    roads.members.add(clerk)
    own = CategoryFactory(default_department=roads)
    CategoryFactory(default_department=other)
    via_sibling = "default_department__default_categories__default_department"
    paths = ("default_department", via_sibling)
    plain = department_scope_any(Category.objects.all(), user=clerk, paths=paths, literal_ids=True)
    every = department_scope_any(Category.objects.all(), user=clerk, paths=paths, literal_ids=True, every_row=True)
    assert sorted(c.pk for c in every) == sorted(c.pk for c in plain) == [own.pk]
    assert " IN (SELECT " in str(plain.query) and "= ANY(ARRAY(SELECT " not in str(plain.query)
    assert "= ANY(ARRAY(SELECT " in str(every.query)
