"""URLs of the citizen pages (German paths: the city's language)."""
from django.urls import path

from .views import map as map_views
from .views import pwa, report, stats

app_name = "frontend"

urlpatterns = [
    path("", map_views.home, name="home"),
    path("melden/", report.report_new, name="report-new"),
    path("meine-meldungen/", report.my_reports, name="my-reports"),
    path("meldungen/<int:pk>/", report.report_detail, name="report-detail"),
    path("verfolgen/<str:token>/", report.report_track, name="report-track"),
    path("statistik/", stats.stats, name="stats"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("offline/", pwa.offline, name="offline"),
]
