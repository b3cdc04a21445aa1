"""Progressive web app plumbing: the manifest, the service worker (served from the site root
so its scope covers every page) and the offline fallback page.

`manifest_response` and `service_worker_response` also serve the crew app's own manifest
and worker (frontend.views.crew)."""
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control


def manifest_response(request, *, name: str, short_name: str, description: str, scope: str, start_url: str,
                      theme_color: str, **extra) -> JsonResponse:
    """A web app manifest in the request's language with our icons; `extra` adds members (e.g. `id`)."""
    data = {
        "name": name,
        "short_name": short_name,
        "description": description,
        "lang": (request.LANGUAGE_CODE or "de"),
        **extra,
        "start_url": start_url,
        "scope": scope,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": theme_color,
        "icons": [
            {"src": static("frontend/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("frontend/icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any maskable"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


def service_worker_response(*, static_path: str, scope: str) -> FileResponse:
    """A service worker script from the static files, allowed to control `scope`."""
    path = finders.find(static_path)
    if path is None:
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="text/javascript")
    response["Service-Worker-Allowed"] = scope
    return response


def manifest(request):
    return manifest_response(
        request, name=_("Stadtmelder"), short_name=_("Stadtmelder"),
        description=_("Mängel im öffentlichen Raum melden und verfolgen."),
        start_url=reverse("frontend:home"), scope="/", theme_color="#0b5394")


@cache_control(no_cache=True)
def service_worker(request):
    return service_worker_response(static_path="frontend/js/sw.js", scope="/")


def offline(request):
    return render(request, "frontend/offline.html")
