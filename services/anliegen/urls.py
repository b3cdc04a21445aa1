"""URLs of the general request: the citizen's form under /anliegen/ and the clerks' entry of
other channels under /sachbearbeitung/anliegen/ (German paths: the city's language)."""
from django.urls import path

from . import views

app_name = "anliegen"

urlpatterns = [
    path("anliegen/", views.anliegen_new, name="new"),
    path("anliegen/gesendet/<str:token>/", views.anliegen_sent, name="sent"),
    path("sachbearbeitung/anliegen/neu/", views.staff_new, name="staff-new"),
]
