"""URL of the OZG monitor's public page (German path, the city's language)."""
from django.urls import path

from . import views

app_name = "ozgmonitor"

urlpatterns = [
    path("ozg-monitor/", views.monitor, name="monitor"),
]
