"""The site's URLs plus the demo OpenID provider and a page that needs a substanziell login."""
from django.http import HttpResponse
from django.urls import include, path

from accounts.trust import login_required_at
from config.urls import urlpatterns as site_urlpatterns


@login_required_at("substanziell")
def substanziell_page(request):
    return HttpResponse("substanziell ok")


urlpatterns = [
    path("demo-oidc/", include("accounts.demo_provider.urls")),
    path("test-substanziell/", substanziell_page),
    *site_urlpatterns,
]
