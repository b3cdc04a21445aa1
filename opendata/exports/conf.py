"""Settings of the generated datasets, read from `settings.OPENDATA` like `opendata.conf`,
with defaults that make a fresh checkout work."""
from config.app_settings import AppSettings

__all__ = ["export_setting"]

DEFAULTS = {
    # The organisation (CKAN name) that publishes the generated datasets; created if missing,
    # titled CITY_ORGANIZATION_TITLE (empty: "Stadt <FRONTEND["CITY_NAME"]>").
    "CITY_ORGANIZATION": "stadt",
    "CITY_ORGANIZATION_TITLE": "",
    # Seconds one GeoPackage export (ogr2ogr) may take.
    "EXPORT_TIMEOUT": 3600,
}


export_setting = AppSettings("OPENDATA", DEFAULTS)
