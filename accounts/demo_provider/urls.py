"""URLs of the demo provider, mounted at `/demo-oidc/` only with DEMO_OIDC_PROVIDER=true.

The namespace is django-oauth-toolkit's own (its views reverse `oauth2_provider:…`)."""
from django.urls import path, re_path
from oauth2_provider import views as dot_views

from .views import DemoAuthorizationView, DemoLoginView

app_name = "oauth2_provider"

urlpatterns = [
    path("anmelden/", DemoLoginView.as_view(), name="login"),
    path("authorize/", DemoAuthorizationView.as_view(), name="authorize"),
    path("token/", dot_views.TokenView.as_view(), name="token"),
    re_path(r"^\.well-known/openid-configuration$", dot_views.ConnectDiscoveryInfoView.as_view(),
            name="oidc-connect-discovery-info"),
    path(".well-known/jwks.json", dot_views.JwksInfoView.as_view(), name="jwks-info"),
    path("userinfo/", dot_views.UserInfoView.as_view(), name="user-info"),
]
