"""OpenAPI (drf-spectacular) description of the till key, so /api/schema/ documents it."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TillKeyScheme(OpenApiAuthenticationExtension):
    target_class = "services.sozialcard.pos_api.TillKeyAuthentication"
    name = "tillKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Till <key>` — from `manage.py sozialcard_till_create PARTNER_ID NAME` (shown once).",
        }
