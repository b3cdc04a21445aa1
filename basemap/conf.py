"""Settings of the basemap app (`settings.BASEMAP`, a dict) with their defaults in one place."""
from config.app_settings import AppSettings
from config.env import BASE_DIR

__all__ = ["basemap_setting", "DEFAULTS"]

DEFAULTS = {
    # Where `manage.py build_basemap_glyphs` writes the glyph PBFs (one folder per font stack).
    "GLYPHS_DIR": str(BASE_DIR / "var" / "glyphs"),
    # Font stack name (as the style names it) → TrueType file. DejaVu (Debian fonts-dejavu-core)
    # is free to use and redistribute (Bitstream Vera licence, DejaVu changes public domain).
    "FONTS": {
        "DejaVu Sans Book": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "DejaVu Sans Bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    },
    # Tiles change only with an import; the ETag lets a cache revalidate after that (seconds).
    "TILE_MAX_AGE": 86400,
    # Tiles above this zoom are the same data scaled up (the style's source maxzoom).
    "MAX_SOURCE_ZOOM": 14,
    # GeoPackage layer mapping: None means basemap.sources.gpkg.DEFAULT_MAPPING.
    "GPKG_MAPPING": None,
}


basemap_setting = AppSettings("BASEMAP", DEFAULTS)
