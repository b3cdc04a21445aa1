"""System checks of the eforms settings and the shipped schema, so that a misconfiguration
fails at start-up rather than as a 500 when somebody uploads a file.

eforms.E001 `EFORMS["UPLOAD_STORAGE"]` names no storage in settings.STORAGES;
eforms.E002 `EFORMS["UPLOAD_MAX_BYTES"]` is not a positive integer;
eforms.E003 the JSON Schema file is missing or not a valid JSON Schema (draft 2020-12).
"""
from django.conf import settings
from django.core import checks

from .conf import eforms_setting


@checks.register()
def eforms_settings_check(app_configs=None, **kwargs) -> list[checks.Error]:
    errors = []
    storage = eforms_setting("UPLOAD_STORAGE")
    if storage not in settings.STORAGES:
        errors.append(checks.Error(f'EFORMS["UPLOAD_STORAGE"] = {storage!r} is not in settings.STORAGES.',
                                   id="eforms.E001"))
    limit = eforms_setting("UPLOAD_MAX_BYTES")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
        errors.append(checks.Error(f'EFORMS["UPLOAD_MAX_BYTES"] must be a positive number of bytes, got {limit!r}.',
                                   id="eforms.E002"))
    try:
        from .definition import _validator

        _validator.cache_clear()
        _validator()
    except Exception as exc:  # noqa: BLE001 - any failure to load the schema is the same finding
        errors.append(checks.Error(f"eforms schema unusable: {exc}", id="eforms.E003"))
    return errors
