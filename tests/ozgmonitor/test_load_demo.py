"""`load_demo_ozgmonitor`: entries for the portal's services (completed by staff data) and
external ones with a history, the dataset published; a second run changes nothing."""
import pytest
from django.core.management import call_command

from ozgmonitor.models import OzgService, OzgServiceChange
from tests.factories import DepartmentFactory


@pytest.mark.django_db
def test_demo_entries_with_history():
    DepartmentFactory(slug="buergerservice", name="Bürgerservice")
    DepartmentFactory(slug="tiefbau-nord", name="Tiefbauamt Nord")
    call_command("load_demo_ozgmonitor", verbosity=0)
    keys = set(OzgService.objects.values_list("key", flat=True))
    assert keys == {"anliegen", "maengelmelder", "wohngeld", "elterngeld", "kfz-zulassung", "hundesteuer",
                    "bewohnerparken"}
    melder = OzgService.objects.get(key="maengelmelder")
    assert (melder.department.slug, melder.topic, melder.maturity_level) == ("tiefbau-nord", "umwelt", 4)
    assert list(OzgService.objects.get(key="kfz-zulassung").changes.values_list("status", flat=True)) == [
        "planned", "in_progress", "online"]
    changes = OzgServiceChange.objects.count()
    call_command("load_demo_ozgmonitor", verbosity=0)
    assert OzgServiceChange.objects.count() == changes and OzgService.objects.count() == 7
