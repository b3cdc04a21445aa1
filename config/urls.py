"""Root URLconf."""
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    # First: OGC API (the vector tiles are the most requested path). Behind the prefix the
    # resolver tests one pattern instead of walking every include with an empty prefix
    # before it (0.2 ms of a tile request's 2 ms of Python); other paths pay one failed match.
    path("ogc/", include("opendata.ogc.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sachbearbeitung/formulare/", include("eforms.urls")),
    path("", include("services.anliegen.urls")),
    path("", include("services.meldebescheinigung.urls")),
    path("", include("services.sozialcard.urls")),
    path("", include("services.abmeldung.urls")),
    path("", include("payments.urls")),
    path("", include("cases.urls")),
    path("", include("fitconnect_sender.urls")),
    path("sachbearbeitung/", include("backoffice.urls")),
    path("konto/", include("accounts.urls")),
    path("", include("portal.urls")),
    path("", include("reporter.api.urls")),
    path("", include("mobile_api.urls")),
    path("", include("open311.urls")),
    path("", include("opendata.urls")),
    path("", include("ozgmonitor.urls")),
    path("karte/basemap/", include("basemap.urls")),
    path("", include("frontend.urls")),
]

# Development only (scripts/run.sh): the demo OpenID provider, never mounted in production.
if settings.DEMO_OIDC_PROVIDER:
    urlpatterns.insert(0, path("demo-oidc/", include("accounts.demo_provider.urls")))

# Errors outside DRF views: JSON (or the protocol's error document) under /api, /open311 and
# /ogc, an HTML page elsewhere (config.errors.error_response).
handler400 = "config.errors.handler400"
handler403 = "config.errors.handler403"
handler404 = "config.errors.handler404"
handler500 = "config.errors.handler500"

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>reports/.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
