"""Reads over the registered services: search by word (case and accents ignored, every word
must match, German words found in English too), filter by Lebenslage, grouping, LeiKa keys
from the configuration, navigation order."""
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from portal import hooks, selectors
from portal.conf import leika_key_overrides

from .conftest import wohngeld_navigation_item, wohngeld_service


def slugs(services):
    return [s.slug for s in services]


def test_service_list_without_filters_is_sorted_by_order():
    with hooks.register_temporarily("register_service", wohngeld_service):
        assert slugs(selectors.service_list()) == ["maengelmelder", "wohngeld-test"]


@pytest.mark.parametrize("query, expected", [
    ("schlagloch", ["maengelmelder"]),
    ("MANGEL", ["maengelmelder"]),             # "Mangel" in "Mängel…": accents ignored
    ("mietzuschuss", ["wohngeld-test"]),       # keyword
    ("wohngeld-test", ["wohngeld-test"]),      # slug
    ("wohnen", ["wohngeld-test"]),             # the Lebenslage's title
    ("wohngeld miete", ["wohngeld-test"]),     # every word must match
    ("wohngeld schlagloch", []),
    ("   ", ["maengelmelder", "wohngeld-test"]),
    ("nichtvorhanden", []),
])
def test_service_list_search(query, expected):
    with hooks.register_temporarily("register_service", wohngeld_service):
        assert slugs(selectors.service_list(query=query)) == expected


def test_search_in_english_finds_english_and_german_words():
    with translation.override("en"):
        assert slugs(selectors.service_list(query="pothole")) == ["maengelmelder"]
        assert slugs(selectors.service_list(query="schlagloch")) == ["maengelmelder"]


def test_service_list_by_lebenslage_and_grouping():
    with hooks.register_temporarily("register_service", wohngeld_service):
        assert slugs(selectors.service_list(lebenslage="wohnen-test")) == ["wohngeld-test"]
        assert slugs(selectors.service_list(lebenslage="umwelt")) == ["maengelmelder"]
        assert [lage.slug for lage in selectors.lebenslage_list()] == ["wohnen-test", "mobilitaet-reisen", "umwelt"]
        groups = selectors.service_list_grouped(selectors.service_list())
        assert [(lage.slug, slugs(members)) for lage, members in groups] == [
            ("wohnen-test", ["wohngeld-test"]), ("mobilitaet-reisen", ["maengelmelder"]),
            ("umwelt", ["maengelmelder"])]


def test_leika_key_from_setting_overrides_and_sets(settings):
    settings.PORTAL_LEIKA_KEYS = {"maengelmelder": "99000000000001", "wohngeld-test": ""}
    with hooks.register_temporarily("register_service", wohngeld_service):
        keys = {s.slug: s.leika_key for s in selectors.service_list()}
    assert keys == {"maengelmelder": "99000000000001", "wohngeld-test": ""}


def test_leika_keys_from_the_environment(settings, monkeypatch):
    del settings.PORTAL_LEIKA_KEYS
    monkeypatch.setenv("PORTAL_LEIKA_KEYS", " maengelmelder = 99000000000002 , anliegen=")
    assert leika_key_overrides() == {"maengelmelder": "99000000000002", "anliegen": ""}
    monkeypatch.setenv("PORTAL_LEIKA_KEYS", "maengelmelder")
    with pytest.raises(ImproperlyConfigured, match="slug=key pairs"):
        leika_key_overrides()
    monkeypatch.delenv("PORTAL_LEIKA_KEYS")
    assert leika_key_overrides() == {}


def test_navigation_items_sorted_by_order_and_none_left_out():
    with hooks.register_temporarily("register_navigation_item", wohngeld_navigation_item), \
            hooks.register_temporarily("register_navigation_item", lambda: None):
        labels = [str(item.label) for item in selectors.navigation_item_list()]
    assert labels == ["Leistungen", "Karte", "Melden", "Meine Meldungen", "Statistik", "Wohngeld (Test)",
                      "Offene Daten", "Mein Konto"]
