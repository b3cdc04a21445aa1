"""System checks of the eforms settings."""
from eforms.checks import eforms_settings_check


def test_the_default_settings_pass():
    assert eforms_settings_check() == []


def test_an_unknown_storage_and_a_bad_limit_are_reported(settings):
    settings.EFORMS = {"UPLOAD_STORAGE": "nowhere", "UPLOAD_MAX_BYTES": "viel"}
    assert [e.id for e in eforms_settings_check()] == ["eforms.E001", "eforms.E002"]
