"""The demo OpenID provider of `make run`: set up by `manage.py demo_oidc_provider` (key,
client, demo persons; idempotent), mounted only with DEMO_OIDC_PROVIDER, and a login through it."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from oauth2_provider.models import get_application_model

from accounts.models import Identity
from accounts.trust import SESSION_LEVEL

from .conftest import oidc_login

pytestmark = pytest.mark.django_db(transaction=True)


def test_not_mounted_without_the_switch(client):
    assert client.get("/demo-oidc/.well-known/openid-configuration").status_code == 404


def test_command_refuses_without_the_switch(settings):
    settings.DEMO_OIDC_PROVIDER = False
    with pytest.raises(CommandError, match="development only"):
        call_command("demo_oidc_provider")


def test_command_sets_up_key_client_and_persons_and_the_login_works(client, provider, settings, tmp_path):
    settings.DEMO_OIDC_PROVIDER = True
    settings.DEMO_OIDC_KEY_FILE = tmp_path / "demo-oidc" / "private-key.pem"
    settings.SITE_URL = "http://testserver"
    get_user_model().objects.filter(username__startswith="demo-").delete()
    Application = get_application_model()
    Application.objects.all().delete()
    call_command("demo_oidc_provider")
    call_command("demo_oidc_provider")  # a second run changes nothing
    key = settings.DEMO_OIDC_KEY_FILE.read_text()
    assert key.startswith("-----BEGIN PRIVATE KEY-----")
    assert oct(settings.DEMO_OIDC_KEY_FILE.stat().st_mode & 0o777) == "0o600"
    app = Application.objects.get()
    assert app.client_id == "portal-test" and app.redirect_uris == "http://testserver/konto/oidc/callback/"
    assert get_user_model().objects.filter(username__in=["demo-buerger", "demo-basis"], is_staff=False).count() == 2
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_RSA_PRIVATE_KEY": key}

    response = oidc_login(client, provider, stufe="hoch")
    assert response.status_code == 302
    assert client.session[SESSION_LEVEL] == "hoch"
    assert Identity.objects.get().claims["locality"] == "Gera"
