"""URLs of Open311 GeoReport v2 under /open311/v2/; each resource as .json and .xml."""
from django.urls import re_path

from . import views

_FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^open311/v2/discovery" + _FMT, views.discovery, name="open311-discovery"),
    re_path(r"^open311/v2/services" + _FMT, views.services_list, name="open311-services"),
    re_path(r"^open311/v2/services/(?P<service_code>[^/]+?)" + _FMT, views.service_definition,
            name="open311-service-definition"),
    re_path(r"^open311/v2/requests" + _FMT, views.requests, name="open311-requests"),
    re_path(r"^open311/v2/requests/(?P<service_request_id>[^/]+?)" + _FMT, views.request_detail,
            name="open311-request"),
    re_path(r"^open311/v2/tokens/(?P<token>[^/]+?)" + _FMT, views.token, name="open311-token"),
]
