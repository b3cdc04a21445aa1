"""Template context shared by every page: city name and map settings."""
from django.conf import settings


def site(request):
    frontend = settings.FRONTEND
    return {
        "CITY_NAME": frontend["CITY_NAME"],
        "MAP": {
            "tile_url": frontend["TILE_URL"],
            "tile_attribution": frontend["TILE_ATTRIBUTION"],
            "center": frontend["MAP_CENTER"],
            "zoom": frontend["MAP_ZOOM"],
        },
    }
