"""URLs of `fitconnect`: the Zustelldienst's callback."""
from django.urls import path

from . import views

app_name = "fitconnect"

urlpatterns = [
    path("fitconnect/callback/", views.callback, name="callback"),
]
