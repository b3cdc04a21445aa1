"""URLs of the citizen/staff REST API under /api/v1/ and its OpenAPI schema and docs."""
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from geodata.api import PlaceSearchView

from . import clusters, views

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/categories/", views.CategoryListView.as_view(), name="api-categories"),
    path("api/v1/departments/", views.DepartmentListView.as_view(), name="api-departments"),
    path("api/v1/route", views.RouteView.as_view(), name="api-route"),
    path("api/v1/places", PlaceSearchView.as_view(), name="api-places"),
    path("api/v1/reports/", views.ReportListCreateView.as_view(), name="api-reports"),
    path("api/v1/reports/clusters", clusters.ReportClusterView.as_view(), name="api-report-clusters"),
    path("api/v1/reports/nearby", views.ReportNearbyView.as_view(), name="api-reports-nearby"),
    path("api/v1/reports/track/<str:token>/", views.ReportTrackView.as_view(), name="api-report-track"),
    path("api/v1/reports/track/<str:token>/reopen", views.ReportReopenView.as_view(), name="api-report-reopen"),
    path("api/v1/reports/<int:pk>/", views.ReportDetailView.as_view(), name="api-report"),
    path("api/v1/reports/<int:pk>/support", views.ReportSupportView.as_view(), name="api-report-support"),
    path("api/v1/staff/reports/<int:pk>/", views.StaffReportDetailView.as_view(), name="api-staff-report"),
    path("api/v1/staff/reports/<int:pk>/status", views.StaffStatusView.as_view(), name="api-staff-status"),
    path("api/v1/staff/reports/<int:pk>/reroute", views.StaffRerouteView.as_view(), name="api-staff-reroute"),
    path("api/v1/staff/reports/<int:pk>/moderate", views.StaffModerateView.as_view(), name="api-staff-moderate"),
]
