"""OpenAPI (drf-spectacular) description of the crew token, so /api/schema/ documents it."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class CrewTokenScheme(OpenApiAuthenticationExtension):
    target_class = "mobile_api.authentication.CrewTokenAuthentication"
    name = "crewToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Crew <token>` — from POST /api/mobile/v1/auth/token or `manage.py create_crew_token`.",
        }
