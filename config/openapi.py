"""OpenAPI (drf-spectacular) for the project's REST APIs: every operation documents its error
answers, with the bodies `config.errors.api_exception_handler` writes.

`AutoSchema` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds to what a view declares:

- 400 `Error` to every operation (bad parameters or body; control characters anywhere are
  refused before any view runs, `config.middleware`);
- 401 and 403 `Error` where the operation requires authentication;
- 404 `Error` where the path has a parameter;
- 413 and 415 `Error` where the operation takes a request body;
- 429 `Error` for writes of a throttled view.

A view declares what only it can answer (409 `Conflict`, 410, 412, 422) in `extend_schema`;
what a view declares wins over these defaults.
"""
from drf_spectacular import openapi
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

__all__ = ["AutoSchema", "ConflictSerializer", "ErrorSerializer", "GeoJSONRenderer"]


class ErrorSerializer(serializers.Serializer):
    """`{"detail": "<message>", "errors": {"<field>": ["<message>", …]}}`; `errors` only for
    validation problems."""

    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)

    class Meta:
        ref_name = "Error"


class ConflictSerializer(serializers.Serializer):
    """409: the status (or crew action) is not possible now; `allowed` lists what is."""

    detail = serializers.CharField()
    current = serializers.CharField()
    allowed = serializers.ListField(child=serializers.CharField())

    class Meta:
        ref_name = "Conflict"


class GeoJSONRenderer(JSONRenderer):
    """Lets a client ask for `Accept: application/geo+json` (RFC 7946) on GeoJSON endpoints."""

    media_type = "application/geo+json"
    format = "json"  # the same `?format=` as JSON: only the Accept header chooses the media type


_WRITE_METHODS = ("POST", "PUT", "PATCH")


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema with the error responses of the module docstring."""

    def _error_responses(self) -> dict[int, type]:
        codes = {400: ErrorSerializer}
        auth = self.get_auth()
        if auth and {} not in auth:
            codes.update({401: ErrorSerializer, 403: ErrorSerializer})
        if "{" in self.path:
            codes[404] = ErrorSerializer
        if self.method in _WRITE_METHODS:
            codes.update({413: ErrorSerializer, 415: ErrorSerializer})
            if getattr(self.view, "throttle_classes", None):
                codes[429] = ErrorSerializer
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, serializer in self._error_responses().items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(serializer, str(code), direction=direction)
        return dict(sorted(responses.items()))
