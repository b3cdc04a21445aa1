"""System checks of the open data settings: missing or malformed DCAT-AP.de contributorID,
upstream CKAN half configured; `manage.py check` shows them."""
import io

import pytest
from django.core.management import call_command

from opendata.checks import contributor_id_check, upstream_check

CONTRIBUTOR = "http://dcat-ap.de/def/contributors/govData"
UPSTREAM = {"UPSTREAM_URL": "https://ckan.land.example", "UPSTREAM_API_KEY": "geheim",
            "UPSTREAM_OWNER_ORG": "stadt-gera"}


def ids(messages):
    return [message.id for message in messages]


def test_missing_contributor_id_warns(settings):
    settings.OPENDATA = {"CONTRIBUTOR_ID": ""}
    messages = contributor_id_check()
    assert ids(messages) == ["opendata.W001"]
    assert "contributorID" in messages[0].msg
    assert "OPENDATA_CONTRIBUTOR_ID" in messages[0].hint


@pytest.mark.parametrize("value", ["stadtGera", "https://dcat-ap.de/def/contributors/govData",
                                   "http://dcat-ap.de/def/contributors/"])
def test_malformed_contributor_id_warns(settings, value):
    settings.OPENDATA = {"CONTRIBUTOR_ID": value}
    messages = contributor_id_check()
    assert ids(messages) == ["opendata.W002"]
    assert value in messages[0].msg


def test_contributor_id_set(settings):
    settings.OPENDATA = {"CONTRIBUTOR_ID": CONTRIBUTOR}
    assert contributor_id_check() == []


@pytest.mark.parametrize("missing", [["UPSTREAM_URL"], ["UPSTREAM_API_KEY"], ["UPSTREAM_OWNER_ORG"],
                                     ["UPSTREAM_URL", "UPSTREAM_API_KEY"]])
def test_upstream_half_configured_warns(settings, missing):
    settings.OPENDATA = {**UPSTREAM, **{name: "" for name in missing}}
    messages = upstream_check()
    assert ids(messages) == ["opendata.W003"]
    for name in missing:
        assert "CKAN_" + name in messages[0].msg


@pytest.mark.parametrize("opendata", [UPSTREAM, {name: "" for name in UPSTREAM}, {}])
def test_upstream_all_or_nothing_is_fine(settings, opendata):
    settings.OPENDATA = opendata
    assert upstream_check() == []


def test_manage_py_check_reports_them(settings):
    settings.OPENDATA = {"CONTRIBUTOR_ID": "", "UPSTREAM_URL": "https://ckan.land.example"}
    err = io.StringIO()
    call_command("check", stderr=err, stdout=io.StringIO())
    assert "(opendata.W001)" in err.getvalue()
    assert "(opendata.W003)" in err.getvalue()
    assert "CKAN_UPSTREAM_API_KEY, CKAN_UPSTREAM_OWNER_ORG" in err.getvalue()
