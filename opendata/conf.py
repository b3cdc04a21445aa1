"""Open data settings (`settings.OPENDATA`) with defaults, read like DRF's api_settings.

Nothing here is required in settings.py: the defaults make a fresh checkout work.
"""
from config.app_settings import AppSettings

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
    # DCAT catalogue: datasets per page (ckanext-dcat's `ckanext.dcat.datasets_per_page`) and
    # the catalogue's dct:publisher (empty: the city name, FRONTEND["CITY_NAME"]).
    "DCAT_DATASETS_PER_PAGE": 100,
    "CATALOG_PUBLISHER_NAME": "",
    # DCAT-AP.de dcatde:contributorID of every dataset that has none of its own: the ID GovData
    # assigned to this portal, "http://dcat-ap.de/def/contributors/<id>"; empty: none (the
    # opendata.W001 check warns, as GovData's conventions K12/K13 require one).
    "CONTRIBUTOR_ID": "",
    # Push to an upstream CKAN (opendata.upstream); an empty URL disables it. Our names get
    # UPSTREAM_NAME_PREFIX; UPSTREAM_ORGANIZATIONS (our organisation names) limits what is
    # pushed, empty = all. Failed pushes are retried UPSTREAM_MAX_RETRIES times, the delay
    # doubling from UPSTREAM_RETRY_BACKOFF seconds up to UPSTREAM_RETRY_BACKOFF_MAX.
    "UPSTREAM_URL": "",
    "UPSTREAM_API_KEY": "",
    "UPSTREAM_OWNER_ORG": "",
    "UPSTREAM_NAME_PREFIX": "",
    "UPSTREAM_ORGANIZATIONS": [],
    "UPSTREAM_TIMEOUT": 30.0,
    "UPSTREAM_MAX_RETRIES": 5,
    "UPSTREAM_RETRY_BACKOFF": 30,
    "UPSTREAM_RETRY_BACKOFF_MAX": 900,
    # Vector tiles (opendata.ogc.tiles): below TILES_AGGREGATE_BELOW_ZOOM the reports tile
    # carries counts per cell and status instead of points, 2**TILES_AGGREGATE_CELL_BITS cells
    # per tile side (3: 8 x 8 cells of 32 px). Tiles are served up to TILES_MAX_ZOOM and may be
    # cached TILES_MAX_AGE seconds before a cache revalidates them (ETag). The aggregates are
    # refreshed TILES_REFRESH_DELAY seconds after a report change (debounced) and by beat.
    "TILES_AGGREGATE_BELOW_ZOOM": 13,
    "TILES_AGGREGATE_CELL_BITS": 3,
    "TILES_MAX_ZOOM": 22,
    "TILES_MAX_AGE": 60,
    "TILES_REFRESH_DELAY": 5,
}


opendata_setting = AppSettings("OPENDATA", DEFAULTS)
