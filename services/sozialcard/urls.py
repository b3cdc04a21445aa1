"""URLs of the Sozialcard (German paths: the city's language)."""
from django.urls import path

from . import views

app_name = "sozialcard"

urlpatterns = [
    path("sozialcard/", views.sozialcard_start, name="start"),
]
