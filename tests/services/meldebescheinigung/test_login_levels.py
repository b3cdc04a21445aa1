"""Login levels with the real OpenID provider (tests/accounts): Max (Basisregistrierung only) is
sent to log in at substanziell and cannot reach the form; Erika logs in at hoch through the
provider and sees her name, date of birth and address from the identity, read only; the
deregistration abroad needs hoch (a substanziell login is asked to step up)."""
import pytest
import requests

from tests.accounts.conftest import oidc_login, provider  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_levels_and_prefill_through_the_provider(client, provider, office):  # noqa: F811
    response = oidc_login(client, provider, username="demo-basis", next_url="/meldebescheinigung/")
    assert response.status_code == 302
    step_up = client.get("/meldebescheinigung/")
    assert step_up.status_code == 302 and step_up["Location"].startswith("/konto/anmelden/?stufe=substanziell")

    client.logout()
    provider.browser = requests.Session()  # another person at the provider
    response = oidc_login(client, provider, username="demo-buerger", stufe="substanziell",
                          next_url="/meldebescheinigung/")
    assert response.status_code == 302 and response["Location"] == "/meldebescheinigung/"
    html = client.get("/meldebescheinigung/").content.decode()
    assert '<dd id="person-name">Erika Mustermann</dd>' in html
    assert '<dd id="person-birthdate">1964-08-12</dd>' in html and "Markt 1, 07545 Gera" in html
    assert client.get("/abmeldung-ausland/")["Location"].startswith("/konto/anmelden/?stufe=hoch")

    client.logout()
    oidc_login(client, provider, username="demo-buerger", stufe="hoch", next_url="/abmeldung-ausland/")
    assert '<dd id="person-name">Erika Mustermann</dd>' in client.get("/abmeldung-ausland/").content.decode()
