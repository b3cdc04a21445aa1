"""URLs of the citizen pages (German paths: the city's language)."""
from django.urls import path

from .views import account, crew, follow, pwa, report, report_page, stats
from .views import map as map_views

app_name = "frontend"

urlpatterns = [
    path("", map_views.home, name="home"),
    path("melden/", report.report_new, name="report-new"),
    path("melden/gesendet/<str:token>/", report.report_done, name="report-done"),
    path("meine-meldungen/", report_page.my_reports, name="my-reports"),
    path("meldungen/<int:pk>/", report_page.report_detail, name="report-detail"),
    path("meldungen/<int:pk>/unterstuetzen/", report_page.report_support, name="report-support"),
    path("verfolgen/<str:token>/", report_page.report_track, name="report-track"),
    path("verfolgen/<str:token>/wieder-oeffnen/", report_page.report_reopen, name="report-reopen"),
    path("konto/meldungen/<int:pk>/benachrichtigungen/", account.report_notify, name="account-report-notify"),
    path("benachrichtigungen/abbestellen/<str:token>/", follow.unsubscribe, name="unsubscribe"),
    path("statistik/", stats.stats, name="stats"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("offline/", pwa.offline, name="offline"),
    path("crew/", crew.tasks, name="crew-tasks"),
    path("crew/anmelden/", crew.login, name="crew-login"),
    path("crew/aufgabe/", crew.task, name="crew-task"),
    path("crew/manifest.webmanifest", crew.manifest, name="crew-manifest"),
    path("crew/sw.js", crew.service_worker, name="crew-service-worker"),
]
