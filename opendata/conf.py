"""Open data settings (`settings.OPENDATA`) with defaults, read like DRF's api_settings.

Nothing here is required in settings.py: the defaults make a fresh checkout work.
"""
from django.conf import settings

__all__ = ["opendata_setting"]

DEFAULTS = {
    # What `status_show` reports. Clients (ckanapi, harvesters) only check that the
    # version looks like a CKAN 2.10 release.
    "CKAN_VERSION": "2.10.4",
    "SITE_TITLE": "Stadtmelder – Offene Daten",
    "SITE_DESCRIPTION": "Offene Daten der Stadt: Meldungen, Zuständigkeiten, Geodaten.",
    # CKAN extensions whose API behaviour we emulate (ext_bbox = ckanext-spatial).
    "EXTENSIONS": ["spatial_query"],
    # package_search: CKAN's defaults (`rows` 10, `ckan.search.rows_max` 1000,
    # `search.facets.limit` 50).
    "SEARCH_ROWS_DEFAULT": 10,
    "SEARCH_ROWS_MAX": 1000,
    "FACET_LIMIT_DEFAULT": 50,
    # organization_list/group_list: CKAN's `ckan.group_and_organization_list_max` and
    # `..._all_fields_max`.
    "GROUP_LIST_MAX": 1000,
    "GROUP_LIST_ALL_FIELDS_MAX": 25,
    # Largest accepted resource upload, bytes.
    "UPLOAD_MAX_BYTES": 512 * 1024 * 1024,
}


def opendata_setting(name: str):
    """The value of OPENDATA[name], falling back to the default."""
    return getattr(settings, "OPENDATA", {}).get(name, DEFAULTS[name])
