"""URLs of cases: the citizen's tracking page under /vorgang/, the account owner's pages under
/konto/vorgaenge/ and the clerks' case work screen under /sachbearbeitung/vorgaenge/ (German
paths: the city's language)."""
from django.urls import path

from .views import account, citizen, staff

app_name = "cases"

urlpatterns = [
    path("vorgang/<str:token>/", citizen.tracking, name="tracking"),
    path("vorgang/<str:token>/dateien/<int:pk>/", citizen.attachment, name="tracking-attachment"),
    path("vorgang/<str:token>/benachrichtigungen/", citizen.tracking_notify, name="tracking-notify"),
    path("konto/vorgaenge/<str:reference>/dateien/<int:pk>/", account.owner_attachment, name="owner-attachment"),
    path("konto/vorgaenge/<str:reference>/benachrichtigungen/", account.owner_notify, name="owner-notify"),
    path("sachbearbeitung/vorgaenge/", staff.case_list, name="staff-list"),
    path("sachbearbeitung/vorgaenge/<int:pk>/", staff.case_detail, name="staff-detail"),
    path("sachbearbeitung/vorgaenge/<int:pk>/<str:action>/", staff.case_action, name="staff-action"),
    path("sachbearbeitung/vorgaenge/dateien/<int:pk>/", staff.attachment, name="staff-attachment"),
]
