"""One settings reader (`config.app_settings`) and the project-wide checks (`config.checks`)."""
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.app_settings import AppSettings, env_overrides
from config.checks import check_app_settings_keys, check_broker_url
from reporter.conf import stadtmelder_setting

ROOT = Path(__file__).resolve().parents[2]


def test_reader_returns_configured_value_else_default(settings):
    settings.STADTMELDER = {}
    assert stadtmelder_setting("HOLIDAY_STATE") == "TH"
    settings.STADTMELDER = {"HOLIDAY_STATE": "BY"}
    assert stadtmelder_setting("HOLIDAY_STATE") == "BY"


def test_unknown_name_is_a_programming_error():
    with pytest.raises(ImproperlyConfigured, match=r"STADTMELDER\['NO_SUCH'\] has no default"):
        stadtmelder_setting("NO_SUCH")


def test_every_default_has_one_owner():
    AppSettings.unknown_keys()  # imports every app's conf.py
    from config.app_settings import _readers

    owners: dict[tuple[str, str], int] = {}
    for reader in _readers:
        for key in reader.defaults:
            owners[(reader.namespace, key)] = owners.get((reader.namespace, key), 0) + 1
    assert [k for k, n in owners.items() if n > 1] == []
    assert ("STADTMELDER", "PUBLIC_COORDINATE_DECIMALS") in owners and ("OPENDATA", "CONTRIBUTOR_ID") in owners


def test_env_overrides_takes_only_what_is_set(monkeypatch):
    monkeypatch.setenv("STADTMELDER_TEST_RATE", "5/minute")
    monkeypatch.delenv("STADTMELDER_TEST_MISSING", raising=False)
    assert env_overrides({"RATE": ("STADTMELDER_TEST_RATE", "str"), "X": ("STADTMELDER_TEST_MISSING", "int")}) == {
        "RATE": "5/minute"}


def test_settings_py_sets_no_default_of_its_own():
    """Without environment variables the namespaced dicts are empty: defaults live in conf.py only."""
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); "
            "from django.conf import settings; print(settings.STADTMELDER, settings.OPENDATA)")
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in ("PUBLIC_COORDINATE_DECIMALS", "OPENDATA_LOCATION_DECIMALS", "OPENDATA_CONTRIBUTOR_ID",
                        "REPORT_CREATE_RATE", "HOLIDAY_STATE", "CKAN_UPSTREAM_URL")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "{} {}"


def test_unknown_configured_key_warns(settings):
    settings.STADTMELDER = {"HOLIDAY_STAET": "BY"}
    [warning] = [w for w in check_app_settings_keys() if "HOLIDAY_STAET" in w.msg]
    assert warning.id == "config.W001"


@pytest.mark.parametrize("url, ok", [
    ("redis://127.0.0.1:6379/0", True), ("sentinel://a:26379;sentinel://b:26379", True), ("memory://", True),
    ("amqp://guest@localhost//", False), ("redis//127.0.0.1", False), ("", False),
])
def test_broker_url_format(settings, url, ok):
    settings.CELERY_BROKER_URL = url
    errors = check_broker_url()
    assert (errors == []) is ok
    if not ok:
        assert errors[0].id == "config.E001"
