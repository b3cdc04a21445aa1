"""Settings of the generated datasets, read from `settings.OPENDATA` like `opendata.conf`,
with defaults that make a fresh checkout work."""
from django.conf import settings

__all__ = ["export_setting"]

DEFAULTS = {
    # The organisation (CKAN name) that publishes the generated datasets; created if missing,
    # titled CITY_ORGANIZATION_TITLE (empty: "Stadt <FRONTEND["CITY_NAME"]>").
    "CITY_ORGANIZATION": "stadt",
    "CITY_ORGANIZATION_TITLE": "",
    # DCAT-AP.de dcatde:contributorID of the generated datasets, e.g.
    # "http://dcat-ap.de/def/contributors/<id>"; empty: none.
    "CONTRIBUTOR_ID": "",
    # Seconds one GeoPackage export (ogr2ogr) may take.
    "EXPORT_TIMEOUT": 3600,
}


def export_setting(name: str):
    """The value of OPENDATA[name], falling back to the default above."""
    return getattr(settings, "OPENDATA", {}).get(name, DEFAULTS[name])
