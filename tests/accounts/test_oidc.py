"""The OpenID Connect login against a real provider on localhost (django-oauth-toolkit with
OIDC, RS256): real redirects across the portal (test client) and the provider (live server,
requests), real signed ID tokens; wrong signature, nonce and state refused with no login."""
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from jwcrypto import jwk, jwt

from accounts.demo_provider.validators import DemoOIDCValidator
from accounts.models import Identity
from accounts.oidc import SESSION_KEY
from accounts.trust import SESSION_CLAIMS, SESSION_LEVEL

from .conftest import finish_login, oidc_login, other_key, start_login

pytestmark = pytest.mark.django_db(transaction=True)
User = get_user_model()


def assert_not_logged_in(client):
    assert "_auth_user_id" not in client.session
    assert SESSION_LEVEL not in client.session
    assert not Identity.objects.exists()


def test_login_creates_a_citizen_with_identity_level_and_claims(client, provider):
    authorize_url = start_login(client)
    query = parse_qs(urlsplit(authorize_url).query)
    assert authorize_url.startswith(f"{provider.issuer}/authorize/")
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["portal-test"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["state"][0] and query["nonce"][0]
    assert query["acr_values"] == ["STORK-QAA-Level-1 STORK-QAA-Level-2 STORK-QAA-Level-3 STORK-QAA-Level-4"]

    response = finish_login(client, provider.authorize(authorize_url, username="demo-buerger"))

    assert response.status_code == 302
    assert response["Location"] == "/konto/"
    identity = Identity.objects.get()
    op_user = User.objects.get(username="demo-buerger")
    assert (identity.issuer, identity.subject) == (provider.issuer, str(op_user.pk))
    assert identity.trust_level == "basisregistrierung"
    assert identity.claims == {
        "given_name": "Erika", "family_name": "Mustermann", "street_address": "Markt 1", "postal_code": "07545",
        "locality": "Gera", "country": "DE", "birthdate": "1964-08-12", "email": "erika.mustermann@example.org",
    }
    citizen = identity.user
    assert citizen.pk != op_user.pk and not citizen.is_staff and not citizen.has_usable_password()
    assert client.session["_auth_user_id"] == str(citizen.pk)
    assert client.session[SESSION_LEVEL] == "basisregistrierung"
    assert client.session[SESSION_CLAIMS]["family_name"] == "Mustermann"
    assert client.session[SESSION_KEY] == {}  # the pending login is used up
    page = client.get("/konto/")
    assert page.status_code == 200
    assert "Erika Mustermann" in page.content.decode()


def test_second_login_reuses_the_account(client, provider):
    oidc_login(client, provider)
    first = Identity.objects.get().user_id
    client.post("/konto/abmelden/")
    assert "_auth_user_id" not in client.session
    assert oidc_login(client, provider).status_code == 302
    assert Identity.objects.get().user_id == first
    assert User.objects.filter(username__startswith="buerger-").count() == 1


def test_wrong_state_is_refused(client, provider):
    callback = provider.authorize(start_login(client), username="demo-buerger")
    forged = callback.replace("state=", "state=x")
    response = finish_login(client, forged)
    assert response.status_code == 400
    assert "state ungültig" in response.content.decode()
    assert_not_logged_in(client)


def test_missing_state_is_refused_in_english(client, provider):
    response = client.get("/konto/oidc/callback/?code=abc", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This login was not started here or has expired (invalid state)" in response.content.decode()
    assert_not_logged_in(client)


def test_wrong_nonce_is_refused(client, provider):
    authorize_url = start_login(client)
    state = parse_qs(urlsplit(authorize_url).query)["state"][0]
    session = client.session
    pending = session[SESSION_KEY]
    pending[state]["nonce"] = "not-the-nonce-the-provider-saw"
    session[SESSION_KEY] = pending
    session.save()
    response = finish_login(client, provider.authorize(authorize_url, username="demo-buerger"))
    assert response.status_code == 400
    assert "gehört nicht zu dieser Anmeldung (nonce)" in response.content.decode()
    assert_not_logged_in(client)


class ForgingValidator(DemoOIDCValidator):
    """Signs ID tokens with a key the provider does not publish, under the published key's id."""

    def kid(self, request, key):
        return request.client.jwk_key.thumbprint()

    def finalize_id_token(self, id_token, token, token_handler, request):
        claims, _expires = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        key = jwk.JWK.from_pem(other_key().encode())
        header = {"typ": "JWT", "alg": "RS256", "kid": self.kid(request, key)}
        forged = jwt.JWT(header=json.dumps(header), claims=json.dumps(id_token, default=str))
        forged.make_signed_token(key)
        return forged.serialize()


class UnknownKeyValidator(ForgingValidator):
    """Signs ID tokens with a key the provider does not publish, under that key's own id."""

    def kid(self, request, key):
        return key.thumbprint()


@pytest.mark.parametrize("validator", ["ForgingValidator", "UnknownKeyValidator"])
def test_wrong_signature_is_refused(client, provider, settings, validator):
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER,
                                "OAUTH2_VALIDATOR_CLASS": f"tests.accounts.test_oidc.{validator}"}
    response = oidc_login(client, provider)
    assert response.status_code == 400
    assert "keine gültige Signatur" in response.content.decode()
    assert_not_logged_in(client)


def test_provider_error_is_refused(client, provider):
    state = parse_qs(urlsplit(start_login(client)).query)["state"][0]
    response = client.get(f"/konto/oidc/callback/?state={state}&error=access_denied")
    assert response.status_code == 403
    assert "hat die Anmeldung abgebrochen" in response.content.decode()
    assert_not_logged_in(client)


def test_pkce_verifier_is_sent_and_enforced_by_the_provider(client, provider):
    authorize_url = start_login(client)
    state = parse_qs(urlsplit(authorize_url).query)["state"][0]
    session = client.session
    pending = session[SESSION_KEY]
    pending[state]["code_verifier"] = "x" * 64  # not the verifier of the challenge sent
    session[SESSION_KEY] = pending
    session.save()
    response = finish_login(client, provider.authorize(authorize_url, username="demo-buerger"))
    assert response.status_code == 400
    assert "hat die Anmeldung nicht bestätigt" in response.content.decode()
    assert_not_logged_in(client)


def test_step_up_from_basisregistrierung_to_substanziell(client, provider):
    oidc_login(client, provider)
    response = client.get("/test-substanziell/?x=1")
    assert response.status_code == 302
    assert response["Location"] == "/konto/anmelden/?stufe=substanziell&next=%2Ftest-substanziell%2F%3Fx%3D1"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Für diese Seite ist eine Anmeldung mit" in page.content.decode()

    authorize_url = start_login(client, stufe="substanziell", next_url="/test-substanziell/?x=1")
    assert parse_qs(urlsplit(authorize_url).query)["acr_values"] == ["STORK-QAA-Level-3 STORK-QAA-Level-4"]
    response = finish_login(client, provider.authorize(authorize_url, username="demo-buerger"))
    assert response.status_code == 302
    assert response["Location"] == "/test-substanziell/?x=1"
    assert client.session[SESSION_LEVEL] == "substanziell"
    assert Identity.objects.get().trust_level == "substanziell"
    assert client.get("/test-substanziell/?x=1").content == b"substanziell ok"


def test_a_login_below_the_required_level_is_refused(client, provider):
    response = oidc_login(client, provider, username="demo-basis", stufe="substanziell")
    assert response.status_code == 403
    assert "nicht das nötige Vertrauensniveau" in response.content.decode()
    assert_not_logged_in(client)


def test_acr_mapping_is_configurable(client, provider, settings):
    settings.ACCOUNTS = {**settings.ACCOUNTS, "ACR_TRUST_LEVELS": {
        "STORK-QAA-Level-1": "hoch", "STORK-QAA-Level-4": "substanziell"}}
    oidc_login(client, provider, username="demo-basis")
    assert client.session[SESSION_LEVEL] == "hoch"


def test_no_acr_values_when_no_acr_reaches_the_level(client, provider, settings):
    settings.ACCOUNTS = {**settings.ACCOUNTS, "ACR_TRUST_LEVELS": {"STORK-QAA-Level-1": "basisregistrierung"}}
    query = parse_qs(urlsplit(start_login(client, stufe="hoch")).query)
    assert "acr_values" not in query
    response = finish_login(client, provider.authorize(start_login(client, stufe="hoch"), username="demo-buerger"))
    assert response.status_code == 403


def test_an_unknown_acr_is_no_login(client, provider, settings):
    settings.ACCOUNTS = {**settings.ACCOUNTS, "ACR_TRUST_LEVELS": {"urn:other": "hoch"}}
    response = oidc_login(client, provider, username="demo-basis")
    assert response.status_code == 403
    assert_not_logged_in(client)


def test_a_staff_account_never_logs_in_as_citizen(client, provider):
    staff = User.objects.create_user("clerk", password="x", is_staff=True)
    op_user = User.objects.get(username="demo-buerger")
    Identity.objects.create(user=staff, issuer=provider.issuer, subject=str(op_user.pk),
                            trust_level="hoch", last_login_at="2026-01-01T00:00:00Z")
    response = oidc_login(client, provider)
    assert response.status_code == 403
    assert "Konto der Verwaltung" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert Identity.objects.get().trust_level == "hoch"  # unchanged


def test_unreachable_provider(client, settings, db):
    settings.ACCOUNTS = {**settings.ACCOUNTS, "OIDC_ISSUER": "http://127.0.0.1:9/none", "OIDC_CLIENT_ID": "x",
                         "HTTP_TIMEOUT": 2.0}
    response = client.get("/konto/anmelden/oidc/")
    assert response.status_code == 502
    assert "nicht erreichbar" in response.content.decode()


def test_no_provider_configured(client, settings, db):
    settings.ACCOUNTS = {**settings.ACCOUNTS, "OIDC_ISSUER": ""}
    assert client.get("/konto/anmelden/oidc/").status_code == 404
    page = client.get("/konto/anmelden/")
    assert page.status_code == 200
    assert "nicht eingerichtet" in page.content.decode()


def test_next_must_be_local(client, provider):
    response = oidc_login(client, provider, next_url="https://evil.example/")
    assert response["Location"] == "/konto/"


def test_a_provider_with_another_issuer_is_refused(client, provider, settings):
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": "https://elsewhere.example/oidc"}
    response = client.get("/konto/anmelden/oidc/")
    assert response.status_code == 502
    assert "falsch eingerichtet" in response.content.decode()
