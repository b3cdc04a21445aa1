"""URLs of `fitconnect_sender`: the Zustelldienst's callback."""
from django.urls import path

from . import views

app_name = "fitconnect_sender"

urlpatterns = [
    path("fitconnect/callback/", views.callback, name="callback"),
]
