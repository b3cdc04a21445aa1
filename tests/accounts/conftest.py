"""Fixtures of the account tests: a real OpenID provider (django-oauth-toolkit with OIDC, the
demo provider's code) on pytest-django's live server, RS256 keys, and logged-in citizens."""
from __future__ import annotations

import functools
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from oauth2_provider.models import get_application_model

from accounts.demo_provider.citizens import DEMO_CITIZENS
from accounts.demo_provider.keys import rsa_private_key_pem
from accounts.oidc import provider_metadata_forget
from accounts.trust import SESSION_CLAIMS, SESSION_LEVEL

CLIENT_ID = "portal-test"
CLIENT_SECRET = "portal-test-secret"
CALLBACK = "http://testserver/konto/oidc/callback/"


@functools.cache
def signing_key() -> str:
    """The provider's key (one per test session: RSA generation is slow)."""
    return rsa_private_key_pem()


@functools.cache
def other_key() -> str:
    """A key the provider does not publish (a forger's)."""
    return rsa_private_key_pem()


class Provider:
    """The OpenID provider on the live server and a browser session (its own cookie jar) there."""

    def __init__(self, url: str):
        self.url = url
        self.issuer = f"{url}/demo-oidc"
        self.browser = requests.Session()

    def authorize(self, authorize_url: str, *, username: str, password: str | None = None) -> str:
        """Follow the authorization request like a browser, logging in at the provider when it
        asks; return the redirect back to the portal (the callback URL with code and state)."""
        response = self.browser.get(authorize_url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        location = urljoin(authorize_url, response.headers["Location"])
        if location.startswith(f"{self.issuer}/anmelden/"):
            page = self.browser.get(location, timeout=10)
            assert page.status_code == 200
            response = self.browser.post(location, data={
                "username": username, "password": password or DEMO_CITIZENS[username]["password"],
                "next": parse_qs(urlsplit(location).query)["next"][0],
                "csrfmiddlewaretoken": self.browser.cookies["csrftoken"],
            }, allow_redirects=False, timeout=10)
            assert response.status_code == 302, response.text[:2000]
            response = self.browser.get(urljoin(location, response.headers["Location"]), allow_redirects=False,
                                        timeout=10)
            assert response.status_code == 302, response.text[:500]
            location = response.headers["Location"]
        assert location.startswith(CALLBACK), location
        return location


@pytest.fixture
def provider(live_server, settings):
    """A real OpenID provider on localhost, the portal configured as its client, and the demo
    persons as its users."""
    settings.ROOT_URLCONF = "tests.accounts.urls_with_provider"
    # ALWAYS_RELOAD_OAUTHLIB_CORE: the provider's views cache their validator per class otherwise,
    # and a test may swap it (OAUTH2_VALIDATOR_CLASS).
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_RSA_PRIVATE_KEY": signing_key(),
                                "ALWAYS_RELOAD_OAUTHLIB_CORE": True}
    op = Provider(live_server.url)
    settings.ACCOUNTS = {**settings.ACCOUNTS, "OIDC_ISSUER": op.issuer, "OIDC_CLIENT_ID": CLIENT_ID,
                         "OIDC_CLIENT_SECRET": CLIENT_SECRET}
    Application = get_application_model()
    Application.objects.create(
        name="Portal", client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=CALLBACK, algorithm=Application.RS256_ALGORITHM, skip_authorization=True,
    )
    User = get_user_model()
    for username, person in DEMO_CITIZENS.items():
        user = User(username=username, first_name=person["given_name"], last_name=person["family_name"])
        user.set_password(person["password"])
        user.save()
    provider_metadata_forget()
    yield op
    provider_metadata_forget()


def start_login(client, *, stufe: str | None = None, next_url: str = "/konto/") -> str:
    """Start the login at the portal; the authorization URL it redirects to."""
    params = {"next": next_url, **({"stufe": stufe} if stufe else {})}
    response = client.get("/konto/anmelden/oidc/", params)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def finish_login(client, callback_url: str):
    """Hand the provider's redirect to the portal's callback."""
    return client.get(callback_url.removeprefix("http://testserver"))


def oidc_login(client, provider, *, username: str = "demo-buerger", stufe: str | None = None,
               next_url: str = "/konto/"):
    """The whole login; the callback's response."""
    return finish_login(client, provider.authorize(start_login(client, stufe=stufe, next_url=next_url),
                                                   username=username))


def citizen_login(client, user, *, level: str = "basisregistrierung", claims: dict | None = None) -> None:
    """Log `user` in on the test client as a citizen at `level`, without a provider."""
    client.force_login(user)
    session = client.session
    session[SESSION_LEVEL] = level
    session[SESSION_CLAIMS] = claims or {}
    session.save()


@pytest.fixture
def citizen(db):
    User = get_user_model()
    user = User(username="buerger-test", email="erika@example.org")
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture(autouse=True)
def _empty_cache():
    """The tests' cache is local memory (tests/conftest.py) but kept between tests: start empty
    (rate limits, the provider's metadata)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def erika(db):
    """A citizen account (tests of the services' account sections)."""
    from tests.factories import UserFactory

    return UserFactory(username="erika", email="erika@example.org")


@pytest.fixture
def otto(db):
    """Another citizen account, whose data must never show in Erika's."""
    from tests.factories import UserFactory

    return UserFactory(username="otto", email="otto@example.org")
