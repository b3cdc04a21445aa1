"""URLs of the back office under /sachbearbeitung/ (German paths: the city's language)."""
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .views import answers, inbox, queue, work

app_name = "backoffice"

urlpatterns = [
    path("anmelden/", auth_views.LoginView.as_view(template_name="backoffice/login.html",
                                                   next_page=reverse_lazy("backoffice:inbox")), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(next_page=reverse_lazy("backoffice:login")), name="logout"),
    path("", inbox.inbox_list, name="inbox"),
    path("aktion/", inbox.inbox_action, name="inbox-action"),
    path("meldungen/", queue.queue, name="queue"),
    path("karte.geojson", queue.queue_geojson, name="queue-geojson"),
    path("export.csv", queue.queue_csv, name="queue-csv"),
    path("zuweisen/", queue.bulk_assign, name="bulk-assign"),
    path("trupps/", queue.crew_load, name="crews"),
    path("vorlagen/", answers.answer_list, name="answers"),
    path("vorlagen/neu/", answers.answer_new, name="answer-new"),
    path("vorlagen/<int:pk>/", answers.answer_edit, name="answer-edit"),
    path("meldungen/<int:pk>/", work.report_detail, name="report"),
    path("meldungen/<int:pk>/annehmen/", work.report_accept, name="report-accept"),
    path("meldungen/<int:pk>/status/", work.report_status, name="report-status"),
    path("meldungen/<int:pk>/weiterleiten/", work.report_reroute, name="report-reroute"),
    path("meldungen/<int:pk>/dublette/", work.report_duplicate, name="report-duplicate"),
    path("meldungen/<int:pk>/abgeben/", work.report_refer, name="report-refer"),
    path("meldungen/<int:pk>/zuweisen/", work.report_assign, name="report-assign"),
    path("meldungen/<int:pk>/zuweisung-aufheben/", work.report_unassign, name="report-unassign"),
    path("meldungen/<int:pk>/moderieren/", work.report_moderate, name="report-moderate"),
    path("meldungen/<int:pk>/fotos/<int:photo_pk>/verpixeln/", work.report_photo_blur, name="report-photo-blur"),
    path("fotos/<int:pk>/<str:variant>/", work.photo, name="photo"),
]
