"""`load_demo` brings the social welfare office (with the demo clerk), the programme
"Sozialcard" with its categories, two partners with locations and discounts (no card: cards come
from an approval); a second run adds nothing."""
import pytest
from django.core.management import call_command

from routing_rules.models import Department
from services.sozialcard.models import Card, Partner, PartnerDiscount, PartnerLocation, Programme

pytestmark = pytest.mark.django_db


def test_load_demo_twice():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    office = Department.objects.get(slug="sozialamt")
    assert office.members.filter(username="sachbearbeitung").exists()
    programme = Programme.objects.get()
    assert (programme.slug, programme.minimum_age, programme.department) == ("sozialcard", 6, office)
    assert sorted(programme.categories.values_list("slug", flat=True)) == ["erwachsene", "kinder"]
    assert (Partner.objects.count(), PartnerLocation.objects.count(), PartnerDiscount.objects.count()) == (2, 2, 4)
    assert Card.objects.count() == 0  # cards come from an approval only
