"""URLs of the citizen account, under `/konto/`."""
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("anmelden/", views.login_choice, name="login"),
    path("anmelden/oidc/", views.oidc_start, name="oidc-start"),
    path("oidc/callback/", views.oidc_callback, name="oidc-callback"),
    path("anmelden/email/", views.email_login, name="email-login"),
    path("anmelden/email/<str:token>/", views.email_login_confirm, name="email-login-confirm"),
    path("abmelden/", views.logout_view, name="logout"),
    path("daten.json", views.account_data, name="data"),
    path("loeschen/", views.account_delete, name="delete"),
]
