"""Progressive web app plumbing: the manifest, the service worker (served from the site root
so its scope covers every page) and the offline fallback page."""
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control


def manifest(request):
    data = {
        "name": _("Stadtmelder"),
        "short_name": _("Stadtmelder"),
        "description": _("Mängel im öffentlichen Raum melden und verfolgen."),
        "lang": (request.LANGUAGE_CODE or "de"),
        "start_url": reverse("frontend:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5394",
        "icons": [
            {"src": static("frontend/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("frontend/icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any maskable"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@cache_control(no_cache=True)
def service_worker(request):
    path = finders.find("frontend/js/sw.js")
    if path is None:
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


def offline(request):
    return render(request, "frontend/offline.html")
