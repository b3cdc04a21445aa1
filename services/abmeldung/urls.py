"""URLs of the deregistration abroad (German paths: the city's language)."""
from django.urls import path

from . import views

app_name = "abmeldung"

urlpatterns = [
    path("abmeldung-ausland/", views.abmeldung_new, name="new"),
    path("abmeldung-ausland/gesendet/<str:token>/", views.abmeldung_sent, name="sent"),
]
