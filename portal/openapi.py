"""The registered services in the OpenAPI schema (`/api/schema/`): a drf-spectacular
post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) that lists the slugs of
every service registered at generation time as the enum of `Service.slug`, so that an API
client sees which services this portal runs. The schema is generated per request: a service
added to INSTALLED_APPS appears without a change here."""
from .selectors import service_titles

__all__ = ["services_in_schema"]


def services_in_schema(result, generator, request, public):
    """Set `components.schemas.Service.properties.slug.enum` to the registered slugs."""
    slug = result.get("components", {}).get("schemas", {}).get("Service", {}).get("properties", {}).get("slug")
    if slug is not None:
        titles = service_titles()
        slug["enum"] = sorted(titles)
        slug["description"] = "Stable key of the service: " + ", ".join(
            f"`{key}` ({titles[key]})" for key in sorted(titles))
    return result
