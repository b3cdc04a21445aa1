"""Every citizen page renders in German by default and in English on request."""
import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/melden/", "/meine-meldungen/", "/statistik/", "/offline/"]


@pytest.mark.parametrize("url", PAGES)
def test_page_renders_german_with_skip_link_and_language_switch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert 'class="skip-link" href="#main"' in html
    assert 'action="/i18n/setlang/"' in html


def test_english_on_request(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html


def test_manifest_and_service_worker(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200
    assert manifest["Content-Type"] == "application/manifest+json"
    assert {icon["sizes"] for icon in manifest.json()["icons"]} == {"192x192", "512x512"}
    sw = client.get("/sw.js")
    assert sw.status_code == 200 and sw["Service-Worker-Allowed"] == "/"
    assert sw["Content-Type"] == "text/javascript"
