"""URLs of the CKAN Action API."""
from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^api/3/?$", views.api_version_view, {"version": 3}, name="ckan-api-version"),
    re_path(r"^api/(?:(?P<api_version>3)/)?action/(?P<name>[^/]*)/?$", views.action_view, name="ckan-action"),
]
