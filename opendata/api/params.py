"""Action parameters as CKAN's schemas read them: ints, booleans and JSON lists, with
CKAN's messages (ValidationError → 409). GET parameters arrive as strings (a list when
repeated), POST JSON as typed values; both are accepted.
"""
import json

from ..errors import ValidationError
from ..validation import fields as f

__all__ = ["param_bool", "param_int", "param_list", "param_str"]


def param_str(data: dict, key: str, default: str = "") -> str:
    value = data.get(key, default)
    if isinstance(value, list):
        value = value[0] if value else default
    return default if value is None else str(value)


def param_int(data: dict, key: str, *, default: int | None = None, minimum: int | None = 0,
              maximum: int | None = None) -> int | None:
    """An integer parameter; values above `maximum` are clamped (CKAN's
    limit_to_configured_maximum), invalid ones raise ValidationError."""
    value = data.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        number = f.integer(value, minimum=minimum)
    except f.Invalid as exc:
        raise ValidationError({key: [exc.message]}) from None
    if number is None:
        return default
    return min(number, maximum) if maximum is not None else number


def param_bool(data: dict, key: str, *, default: bool = False) -> bool:
    value = data.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    return default if value is None else f.boolean(value)


def param_list(data: dict, key: str) -> list[str]:
    """A list of strings, sent as a JSON string (`'["tags","organization"]'`, what CKAN's
    web UI and ckanapi send) or as a list (JSON body, repeated GET parameters)."""
    value = data.get(key)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValidationError({key: ["Could not parse as valid JSON"]}) from None
    if not isinstance(value, list):
        raise ValidationError({key: ["Not a list"]})
    bad = [v for v in value if not isinstance(v, str)]
    if bad:
        raise ValidationError({key: [f"Not a string: {bad[0]!r}"]})
    return value
