"""The demo provider's login page and its authorization endpoint (which sends to that page)."""
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from oauth2_provider.views import AuthorizationView

from .citizens import DEMO_CITIZENS

__all__ = ["DemoAuthorizationView", "DemoLoginView"]


class DemoCitizenAuthenticationForm(AuthenticationForm):
    """Only demo citizens log in here, never a staff account."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_staff or user.is_superuser:
            raise forms.ValidationError(_("Mit einem Konto der Verwaltung ist hier keine Anmeldung möglich."),
                                        code="staff")


class DemoLoginView(LoginView):
    template_name = "demo_provider/login.html"
    form_class = DemoCitizenAuthenticationForm
    extra_context = {"demo_citizens": DEMO_CITIZENS}


class DemoAuthorizationView(AuthorizationView):
    login_url = reverse_lazy("oauth2_provider:login")
