"""System checks of the registrations: the real ones pass, each kind of mistake has its id."""
import dataclasses

import pytest

from portal import hooks
from portal.catalogue import NavigationItem
from portal.checks import check_registered_services

from .conftest import wohngeld_service


def ids_with(name, fn):
    with hooks.register_temporarily(name, fn):
        return [error.id for error in check_registered_services()]


def broken(**changes):
    return lambda: dataclasses.replace(wohngeld_service(), **changes)


def test_the_registered_services_pass():
    assert check_registered_services() == []
    assert ids_with("register_service", wohngeld_service) == []


@pytest.mark.parametrize("fn, expected", [
    (lambda: "no service", ["portal.E001"]),
    (broken(slug="Wohngeld Test"), ["portal.E002"]),
    (broken(slug="maengelmelder"), ["portal.E003"]),
    (broken(trust_level="mittel"), ["portal.E004"]),
    (broken(lebenslagen=()), ["portal.E005"]),
    (broken(url_name="gibt-es-nicht"), ["portal.E006"]),
    (broken(leika_key="9910"), ["portal.E007"]),
])
def test_broken_service_registrations(fn, expected):
    assert ids_with("register_service", fn) == expected


@pytest.mark.parametrize("fn", [lambda: "Link", lambda: NavigationItem(label="X", url_name="gibt-es-nicht")])
def test_broken_navigation_items(fn):
    assert ids_with("register_navigation_item", fn) == ["portal.E008"]


def test_unreadable_leika_setting(settings):
    settings.PORTAL_LEIKA_KEYS = ["99000000000001"]
    assert [error.id for error in check_registered_services()] == ["portal.E009"]


def test_configured_leika_key_is_checked_too(settings):
    settings.PORTAL_LEIKA_KEYS = {"maengelmelder": "abc"}
    assert [error.id for error in check_registered_services()] == ["portal.E007"]
