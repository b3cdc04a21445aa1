"""The report flow /melden/ without JavaScript: a plain two-step HTML form.

Every bad input re-renders the page with an error summary linking to the fields and an
exact status code (400; 413/415 for photos), and stores nothing.
"""
import re

import pytest
from django.contrib.gis.geos import Point

from geodata.models import Place
from reporter.models import Report, ReportPhoto
from tests.factories import CategoryFactory, ReportFactory, city_build
from tests.reporter.images import jpeg_bytes, upload

pytestmark = pytest.mark.django_db

KEY = "a" * 32


@pytest.fixture
def city():
    city = city_build()
    for name, kind, lon, lat in [("Johannisplatz", "square", 12.08, 50.88),
                                 ("Theater Gera", "landmark", 12.075, 50.883),
                                 ("Theaterplatz", "square", 12.076, 50.882)]:
        Place.objects.create(name=name, kind=kind, point=Point(lon, lat, srid=4326))
    return city


def summary(response) -> list[tuple[str, str]]:
    html = response.content.decode()
    block = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0] if 'id="error-summary"' in html else ""
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', block)


def step1(client, **data):
    return client.post("/melden/", {"step": "ort", **data})


def step2(client, **data):
    base = {"step": "senden", "category": "schlagloch", "lon": "12.05", "lat": "50.875", "submission_key": KEY}
    return client.post("/melden/", {**base, **data})


def test_form_is_a_plain_multipart_form_with_csrf_and_labelled_categories(client, city):
    response = client.get("/melden/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form id="report-form" class="report-form" method="post" action="/melden/"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "<legend><span class=\"legend-heading\">1. Was möchten Sie melden?</span></legend>" in html
    assert re.search(r'<input type="radio" name="category" value="schlagloch" id="id_category_0"', html)
    assert re.search(r'<label for="id_category_0"><svg class="icon"[^>]*aria-hidden="true"', html)
    assert 'name="place_query"' in html and 'name="lon"' in html and 'name="lat"' in html
    assert 'type="file" name="photos" id="id_photos" accept="image/*" capture="environment" multiple' in html
    assert "Sie wird nie veröffentlicht" in html
    assert re.search(r'name="submission_key" value="[0-9a-f]{32}"', html)
    assert "Schritt 1 von 2: Was und wo?" in html


def test_form_is_prefilled_from_the_query_string(client, city):
    html = client.get("/melden/?kategorie=schlagloch&lon=12.05&lat=50.875").content.decode()
    assert re.search(r'value="schlagloch" id="id_category_0"[^>]*checked', html)
    assert 'name="lon" value="12.05"' in html


@pytest.mark.parametrize("data, expected", [
    ({}, [("id_category_0", "Bitte wählen Sie aus, was Sie melden möchten."),
          ("id_place_query", "Bitte geben Sie an, wo das Problem ist: einen Ort suchen oder Koordinaten eingeben.")]),
    ({"category": "gibtsnicht", "lon": "12.05", "lat": "50.875"},
     [("id_category_0", "Bitte wählen Sie eine der angebotenen Kategorien.")]),
    ({"category": "schlagloch", "lon": "12.05"}, [("id_lat", "Bitte Längen- und Breitengrad zusammen angeben.")]),
    ({"category": "schlagloch", "lon": "zwölf", "lat": "50.875"},
     [("id_lon", "Bitte eine Zahl in Dezimalgrad angeben, z. B. 12.0819.")]),
    ({"category": "schlagloch", "lon": "12.05", "lat": "91"},
     [("id_lat", "Dieser Wert muss kleiner oder gleich 90 sein.")]),
    ({"category": "schlagloch", "place_query": "Atlantis"},
     [("id_place_query", "Zu „Atlantis“ haben wir keinen Ort gefunden. Bitte anders schreiben oder Koordinaten "
                         "angeben.")]),
    ({"category": "schlagloch", "lon": "12.15", "lat": "50.87"},
     [("id_lon", "Dieser Ort liegt außerhalb des Stadtgebiets. Zuständig ist: Landratsamt Greiz.")]),
    ({"category": "schlagloch", "place_query": "theater", "place": "999999"},
     [("place-candidates", "Bitte wählen Sie einen der vorgeschlagenen Orte.")]),
])
def test_step1_errors_show_a_summary_with_400_and_store_nothing(client, city, data, expected):
    response = step1(client, **data)
    assert response.status_code == 400
    assert summary(response) == expected
    html = response.content.decode()
    assert "<title>Fehler: Problem melden" in html
    assert 'aria-invalid="true"' in html
    assert not Report.objects.exists()


def test_ambiguous_place_offers_the_candidates_then_step2(client, city):
    response = step1(client, category="schlagloch", place_query="theater")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mehrere Orte passen zu „theater“. Welchen meinen Sie?" in html
    ids = re.findall(r'<input type="radio" name="place" value="(\d+)"', html)
    assert ids == [str(Place.objects.get(name=n).pk) for n in ("Theater Gera", "Theaterplatz")]
    response = step1(client, category="schlagloch", place_query="theater", place=ids[1])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Schritt 2 von 2" in html
    assert '<input type="hidden" name="lon" value="12.076000">' in html
    assert '<input type="hidden" name="address" value="Theaterplatz">' in html
    assert "Tiefbauamt (Zielzeit 10 Arbeitstage)" in html


def test_unambiguous_place_and_decimal_comma_coordinates_go_to_step2(client, city):
    html = step1(client, category="schlagloch", place_query="Johannisplatz").content.decode()
    assert '<input type="hidden" name="lat" value="50.880000">' in html
    assert '<input type="hidden" name="address" value="Johannisplatz">' in html
    html = step1(client, category="schlagloch", lon="12,05", lat="50,875").content.decode()
    assert '<input type="hidden" name="lon" value="12.050000">' in html


def test_step2_shows_nearby_open_reports_of_the_same_category_with_support_instead(client, city):
    near = ReportFactory(category=city.category, department=city.department, location=Point(12.0501, 50.875, srid=4326))
    ReportFactory(category=city.category, department=city.department, location=Point(12.0502, 50.875, srid=4326),
                  status=Report.Status.RESOLVED)
    ReportFactory(location=Point(12.0501, 50.875, srid=4326))  # another category
    ReportFactory(category=city.category, department=city.department, location=Point(12.06, 50.875, srid=4326))
    html = step1(client, category="schlagloch", lon="12.05", lat="50.875").content.decode()
    nearby = html.split('id="nearby"', 1)[1].split("</section>", 1)[0]
    assert "Schon gemeldet?" in nearby
    assert re.findall(r'formaction="/meldungen/(\d+)/unterstuetzen/"', nearby) == [str(near.pk)]
    assert "ca. 7 m entfernt" in nearby
    assert ">Trotzdem eigene Meldung senden</button>" in html


def test_step2_shows_only_the_chosen_categorys_questions(client, city):
    CategoryFactory(slug="laterne", name="Laterne", default_department=city.department,
                    questions=[{"key": "mast", "label": "Mastnummer", "type": "text"}])
    city.category.questions = [{"key": "groesse", "label": "Größe", "type": "choice", "choices": ["klein", "groß"],
                                "required": True}]
    city.category.save()
    html = step1(client, category="schlagloch", lon="12.05", lat="50.875").content.decode()
    assert '<fieldset class="question-group" data-category="schlagloch">' in html
    assert '<fieldset class="question-group" data-category="laterne" hidden disabled>' in html
    response = step2(client)
    assert response.status_code == 400
    assert summary(response) == [("id_q-schlagloch-groesse_0", "Diese Angabe ist erforderlich.")]
    assert step2(client, **{"q-schlagloch-groesse": "riesig"}).status_code == 400
    response = step2(client, **{"q-schlagloch-groesse": "groß", "q-laterne-mast": "17"})
    assert response.status_code == 302
    assert Report.objects.get().answers == {"groesse": "groß"}


def test_send_files_the_report_and_shows_the_confirmation(client, city):
    response = step2(client, address="Johannisplatz", location_text="vor Nr. 12", description="Tiefes Loch",
                     email="buerger@example.org", photos=[upload(jpeg_bytes(lon=12.06, lat=50.88))])
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/melden/gesendet/{report.tracking_token}/"
    assert (report.location.srid, report.location.x, report.location.y) == (4326, 12.05, 50.875)
    assert (report.address, report.location_text, report.description) == ("Johannisplatz", "vor Nr. 12", "Tiefes Loch")
    assert (report.reporter_email, report.channel, report.language) == ("buerger@example.org", "web", "de")
    assert report.submission_key == KEY and report.department == city.department
    assert ReportPhoto.objects.filter(report=report).count() == 1
    html = client.get(response["Location"]).content.decode()
    assert f'<a href="http://testserver/verfolgen/{report.tracking_token}/" id="tracking-link">' in html
    assert "<dt>Zuständig</dt><dd>Tiefbauamt</dd>" in html
    assert "<dt>Zielzeit</dt><dd>10 Arbeitstage</dd>" in html
    assert "buerger@example.org" not in html and "Tiefes Loch" not in html


def test_resent_form_files_once(client, city):
    first = step2(client, description="doppelt geklickt")
    second = step2(client, description="doppelt geklickt")
    assert Report.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize("data, status, expected", [
    ({"email": "kein-at-zeichen"}, 400,
     [("id_email", "Bitte eine gültige E-Mail-Adresse angeben, z. B. name@example.org.")]),
    ({"description": "x" * 5001}, 400,
     [("id_description", "Bitte sicherstellen, dass der Wert aus höchstens 5000 Zeichen besteht. "
                         "(Er besteht aus 5001 Zeichen.)")]),
    ({"photos": [upload(jpeg_bytes()) for _ in range(4)]}, 400, [("id_photos", "Bitte höchstens 3 Fotos auswählen.")]),
    ({"photos": [upload(b"%PDF-1.4 kein Foto", name="foto.jpg")]}, 415,
     [("id_photos", "Die Datei ist kein Foto in einem unterstützten Format (JPEG, PNG, WebP oder HEIC).")]),
    ({"lon": "12.15", "lat": "50.87"}, 400,
     [("id_lon", "Dieser Ort liegt außerhalb des Stadtgebiets. Zuständig ist: Landratsamt Greiz.")]),
])
def test_send_errors_show_a_summary_and_store_nothing(client, city, data, status, expected):
    response = step2(client, **data)
    assert response.status_code == status
    assert summary(response) == expected
    assert "Bitte wählen Sie die Fotos noch einmal aus." in response.content.decode() or "photos" not in data
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()


def test_photo_too_large_is_413_and_photo_required_is_400(client, city, settings):
    settings.STADTMELDER = {**settings.STADTMELDER, "PHOTO_MAX_BYTES": 100}
    response = step2(client, photos=[upload(jpeg_bytes())])
    assert response.status_code == 413
    assert summary(response)[0][0] == "id_photos" and "Das Foto ist zu groß" in summary(response)[0][1]
    city.category.photo_required = True
    city.category.save()
    response = step2(client)
    assert response.status_code == 400
    assert summary(response) == [("id_photos", "Für diese Kategorie ist ein Foto erforderlich.")]
    assert not Report.objects.exists()


def test_edit_goes_back_to_step1_with_the_values(client, city):
    response = step2(client, action="edit", location_text="an der Ecke")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Schritt 1 von 2" in html
    assert re.search(r'value="schlagloch" id="id_category_0"[^>]*checked', html)
    assert "an der Ecke</textarea>" in html
    assert 'name="lon" value="12.05"' in html
    # A point found by the place search is searched again, so a changed name is not overruled.
    html = step2(client, action="edit", address="Johannisplatz", place_query="Johannisplatz").content.decode()
    assert 'value="Johannisplatz"' in html and 'name="lon" value="12.05"' not in html
    assert not Report.objects.exists()
