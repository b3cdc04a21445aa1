"""Settings of the geodata app (`settings.GEODATA`, a dict) with their defaults in one place."""
from config.app_settings import AppSettings

__all__ = ["geodata_setting", "DEFAULTS"]

DEFAULTS = {
    # Reverse lookup: the nearest address counts only within this distance (metres, geography).
    "ADDRESS_NEAREST_MAX_M": 100,
    # Farther than this from the house, a location is shown as "nahe <address>" (metres).
    "ADDRESS_AT_M": 15,
}


geodata_setting = AppSettings("GEODATA", DEFAULTS)
