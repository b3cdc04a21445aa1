"""URLs of the Sozialcard (German paths: the city's language)."""
from django.urls import path

from . import staff, views

app_name = "sozialcard"

urlpatterns = [
    path("sozialcard/", views.sozialcard_start, name="start"),
    path("sozialcard/<slug:programme>/antrag/", views.sozialcard_apply, name="apply"),
    path("sozialcard/gesendet/<str:token>/", views.sozialcard_sent, name="sent"),
    path("sachbearbeitung/sozialcard/<int:pk>/", staff.decision, name="decision"),
]
