"""JSON errors for the REST API with exact status codes.

Body: `{"detail": "<message>", "errors": {"<field>": ["<message>", …]}}` — `errors` only
for validation problems. Domain errors raised by services are mapped here, so views stay
thin: ReportInputError/OutsideCity → 400, PhotoError → its own code (413/415/400),
TransitionNotAllowed → 409 with the allowed statuses. Every error rolls back the request's
transaction (ATOMIC_REQUESTS), so nothing half-written stays behind.
"""
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from reporter.photos import PhotoError
from reporter.services import ReportInputError
from reporter.workflow import TransitionNotAllowed


def _flatten(detail) -> dict:
    """DRF's nested error detail → {"field": [messages]} (nested keys joined with dots)."""
    out: dict = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        elif isinstance(value, list) and value and all(isinstance(v, (dict, list)) for v in value):
            for i, v in enumerate(value):
                walk(f"{prefix}.{i}", v)
        else:
            items = value if isinstance(value, list) else [value]
            out.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in items)

    walk("", detail)
    return out


def exception_handler(exc, context):
    if isinstance(exc, ReportInputError):
        set_rollback()
        first = next(iter(exc.errors.values()))[0]
        return Response({"detail": first, "errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PhotoError):
        set_rollback()
        return Response({"detail": str(exc.message), "errors": {"photos": [str(exc.message)]}},
                        status=exc.status_code)
    if isinstance(exc, TransitionNotAllowed):
        set_rollback()
        return Response(
            {"detail": _("Statuswechsel von „%(a)s“ nach „%(b)s“ ist nicht erlaubt.") % {
                "a": exc.current, "b": exc.requested},
             "current": exc.current, "allowed": exc.allowed},
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = next(iter(errors.values()))[0] if errors else _("Ungültige Eingabe.")
        response.data = {"detail": first, "errors": errors}
    return response
