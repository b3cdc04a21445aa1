"""The crew pages as served: German shells with their own manifest and service worker (scope /crew/)."""
import json
import re

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/crew/", "/crew/anmelden/", "/crew/aufgabe/?id=1"]


@pytest.mark.parametrize("url", PAGES)
def test_page_is_a_german_shell_with_the_crew_manifest(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<link rel="manifest" href="/crew/manifest.webmanifest">' in html
    assert 'data-sw-url="/crew/sw.js"' in html
    assert "frontend/js/crew.js" in html and "frontend/js/app.js" not in html  # not the citizen worker
    strings = json.loads(html.split('<script id="crew-strings" type="application/json">')[1].split("</script>")[0])
    assert strings["actions"]["done"] == "Erledigt"
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)  # nothing loaded from other hosts


def test_task_page_has_camera_inputs_and_labels(client):
    html = client.get("/crew/aufgabe/?id=1").content.decode()
    assert ('<input type="file" id="id_photos_after" name="photos_after" accept="image/*" capture="environment"'
            in html)
    assert '<label for="id_photos_after">Foto nachher (freiwillig)</label>' in html
    assert 'id="task-navigate"' in html
    # Photos are downscaled on the device by the report form's script, loaded before the page's own.
    assert html.index("frontend/js/photos.js") < html.index("frontend/js/crew-task.js")


def test_english_on_request(client):
    html = client.get("/crew/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html


def test_manifest_and_service_worker_are_scoped_to_crew(client):
    manifest = client.get("/crew/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert (data["scope"], data["start_url"], data["display"]) == ("/crew/", "/crew/", "standalone")
    assert data["name"] == "Stadtmelder Außendienst"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    sw = client.get("/crew/sw.js")
    assert (sw.status_code, sw["Service-Worker-Allowed"], sw["Content-Type"]) == (200, "/crew/", "text/javascript")
    script = b"".join(sw.streaming_content)
    assert b'"/crew/aufgabe/"' in script
    assert b'"/static/frontend/js/photos.js"' in script  # offline, the task page still downscales
