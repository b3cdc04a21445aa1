"""A report's public page, its tracking page, "Ich auch", reopening, 404s — never personal data."""
import re

import pytest
from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile

from reporter import services
from reporter.models import Report, ReportPhoto
from tests.factories import city_build
from tests.reporter.images import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    city = city_build()
    report = services.report_create(category=city.category, point=Point(12.0512345, 50.8754321, srid=4326),
                                    address="Johannisplatz", description="Privater Originaltext",
                                    reporter_email="geheim@example.org", reporter_name="Erika Muster")
    services.report_status_change(report=report, to_status=Report.Status.OPEN, note_public="Wir kümmern uns.",
                                  note_internal="Kolonne 3, intern")
    return Report.objects.get(pk=report.pk)


def photo(report, *, moderation, processing=ReportPhoto.Processing.DONE):
    p = ReportPhoto(report=report, content_type="image/jpeg", original_bytes=10, moderation=moderation,
                    processing=processing)
    p.original.save("original", ContentFile(jpeg_bytes(lon=12.0, lat=50.0)), save=False)
    p.image.save("image.jpg", ContentFile(jpeg_bytes()), save=False)
    p.thumbnail.save("thumb.jpg", ContentFile(jpeg_bytes()), save=False)
    p.save()
    return p


def test_public_page_shows_status_timeline_department_location_and_no_personal_data(client, report):
    approved = photo(report, moderation=ReportPhoto.Moderation.APPROVED)
    pending = photo(report, moderation=ReportPhoto.Moderation.PENDING)
    response = client.get(f"/meldungen/{report.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Schlagloch</h1>" in html
    assert '<span class="status status-open">offen</span>' in html
    assert "<dt>Zuständig</dt><dd>Tiefbauamt</dd>" in html
    assert "<dt>Zielzeit</dt><dd>10 Arbeitstage</dd>" in html
    assert "Johannisplatz<br>" in html and "lon 12.05" not in html  # the address instead of coordinates
    # Public coordinates: 4 decimals (reporter.public), never the exact point.
    assert 'data-lon="12.0512" data-lat="50.8754"' in html
    assert "12.05123" not in html and "50.87543" not in html
    timeline = html.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    assert [s for s in re.findall(r'class="status status-(\w+)"', timeline)] == ["submitted", "open"]
    assert '<p class="timeline-note">Wir kümmern uns.</p>' in timeline
    assert len(re.findall(r"<time datetime=", timeline)) == 2
    assert approved.thumbnail.url in html and pending.thumbnail.url not in html
    assert 'alt="Foto 1 von 1 zur Meldung „Schlagloch“"' in html
    for private in ("geheim@example.org", "Erika Muster", "Privater Originaltext", "Kolonne 3", "original",
                    report.tracking_token):
        assert private not in html
    assert "Die Beschreibung wird nach einer Prüfung veröffentlicht." in html
    assert f'action="/meldungen/{report.pk}/unterstuetzen/"' in html


def test_tracking_page_is_personal_but_shows_no_personal_data(client, report):
    response = client.get(f"/verfolgen/{report.tracking_token}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert f'<p class="report-kicker">Ihre Meldung #{report.pk}</p>' in html
    assert "geheim@example.org" not in html and "Privater Originaltext" not in html
    assert "unterstuetzen" not in html  # no "me too" for one's own report
    assert "Nicht behoben?" not in html  # only when resolved


def test_hidden_report_is_404_publicly_but_trackable(client, report):
    services.report_moderate(report=report, moderation=Report.Moderation.HIDDEN)
    response = client.get(f"/meldungen/{report.pk}/")
    assert response.status_code == 404
    assert "<h1>Meldung nicht gefunden</h1>" in response.content.decode()
    html = client.get(f"/verfolgen/{report.tracking_token}/").content.decode()
    assert "Diese Meldung wird nicht öffentlich angezeigt." in html


@pytest.mark.parametrize("url", ["/meldungen/999999/", "/verfolgen/unbekannt/", "/melden/gesendet/unbekannt/",
                                 "/verfolgen/unbekannt/wieder-oeffnen/", "/meldungen/999999/unterstuetzen/"])
def test_unknown_ids_and_tokens_are_404(client, db, url):
    response = client.post(url, {"note": "x"}) if url.endswith(("oeffnen/", "unterstuetzen/")) else client.get(url)
    assert response.status_code == 404


def test_me_too_counts_once_per_browser_and_never_on_closed_reports(client, report):
    response = client.post(f"/meldungen/{report.pk}/unterstuetzen/", HTTP_USER_AGENT="Browser A")
    assert response.status_code == 302 and response["Location"] == f"/meldungen/{report.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "Danke! Ihre Unterstützung wurde gezählt." in html
    assert "<dt>Unterstützungen</dt><dd>1</dd>" in html
    client.post(f"/meldungen/{report.pk}/unterstuetzen/", HTTP_USER_AGENT="Browser A")
    assert "Sie haben diese Meldung bereits unterstützt." in client.get(f"/meldungen/{report.pk}/").content.decode()
    assert Report.objects.get(pk=report.pk).supporter_count == 1
    assert client.get(f"/meldungen/{report.pk}/unterstuetzen/").status_code == 405
    services.report_status_change(report=report, to_status=Report.Status.RESOLVED)
    client.post(f"/meldungen/{report.pk}/unterstuetzen/", HTTP_USER_AGENT="Browser B")
    html = client.get(f"/meldungen/{report.pk}/").content.decode()
    assert "Diese Meldung ist bereits abgeschlossen" in html
    assert "Ich auch" not in html
    assert Report.objects.get(pk=report.pk).supporter_count == 1


def test_reporter_reopens_a_resolved_report_with_a_note(client, report):
    services.report_status_change(report=report, to_status=Report.Status.RESOLVED, note_public="Repariert.")
    url = f"/verfolgen/{report.tracking_token}/"
    html = client.get(url).content.decode()
    assert "Nicht behoben? Wieder öffnen" in html
    assert f'action="/verfolgen/{report.tracking_token}/wieder-oeffnen/"' in html

    response = client.post(f"{url}wieder-oeffnen/", {"note": "  "})
    assert response.status_code == 400
    assert '<li><a href="#id_note">Bitte beschreiben Sie kurz, was noch nicht behoben ist.</a></li>' in \
        response.content.decode()
    assert Report.objects.get(pk=report.pk).status == Report.Status.RESOLVED

    response = client.post(f"{url}wieder-oeffnen/", {"note": "Das Loch ist wieder da."})
    assert response.status_code == 302 and response["Location"] == url
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED  # back under "neu" in the department's queue
    assert report.history.last().note_internal == "Vom Meldenden wieder geöffnet: Das Loch ist wieder da."
    html = client.get(url).content.decode()
    assert "Danke! Die Meldung ist wieder offen" in html
    assert "Das Loch ist wieder da." not in html and "Nicht behoben?" not in html


def test_reopen_of_an_open_report_is_409(client, report):
    response = client.post(f"/verfolgen/{report.tracking_token}/wieder-oeffnen/", {"note": "?"})
    assert response.status_code == 409
    assert ('<li><a href="#history-title">Diese Meldung ist nicht abgeschlossen und kann daher nicht wieder '
            'geöffnet werden.</a></li>') in response.content.decode()
    assert Report.objects.get(pk=report.pk).status == Report.Status.OPEN


def test_my_reports_is_a_shell_with_a_noscript_explanation(client, db):
    html = client.get("/meine-meldungen/").content.decode()
    assert "<noscript>" in html and "Diese Liste braucht JavaScript" in html
    assert 'data-api-track="/api/v1/reports/track/TOKEN/"' in html
