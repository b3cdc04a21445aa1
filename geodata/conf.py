"""Settings of the geodata app (`settings.GEODATA`, a dict) with their defaults in one place."""
from django.conf import settings

__all__ = ["geodata_setting", "DEFAULTS"]

DEFAULTS = {
    # Reverse lookup: the nearest address counts only within this distance (metres, geography).
    "ADDRESS_NEAREST_MAX_M": 100,
    # Farther than this from the house, a location is shown as "nahe <address>" (metres).
    "ADDRESS_AT_M": 15,
}


def geodata_setting(name: str):
    """The value of GEODATA[name], falling back to the default."""
    return getattr(settings, "GEODATA", {}).get(name, DEFAULTS[name])
