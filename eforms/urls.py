"""Staff preview of the form definitions under /sachbearbeitung/formulare/."""
from django.urls import path

from . import views

app_name = "eforms"

urlpatterns = [
    path("", views.definition_index, name="list"),
    path("<slug:slug>/<int:version>/", views.definition_preview, name="preview"),
]
