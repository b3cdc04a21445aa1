"""Supporters follow a report: "Ich auch" with an address, news on every status change, an
unsubscribe link in each mail (also RFC 8058 one-click); a duplicate's reporter counts on the
original and hears about it like supporters."""
import re

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from notifications.models import Notification, Subscription
from reporter import dispatch, services
from reporter.models import Report
from tests.factories import UserFactory, city_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return city_build()


@pytest.fixture
def report(city):
    report = services.report_create(category=city.category, point=Point(12.05, 50.875, srid=4326),
                                    address="Johannisplatz", reporter_email="erika@example.org")
    services.report_status_change(report=report, to_status=Report.Status.OPEN)
    return Report.objects.get(pk=report.pk)


def unsubscribe_path(body: str) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/benachrichtigungen/abbestellen/[\w-]+/)", body).group(1)


def test_supporter_leaves_an_address_and_hears_of_status_changes(client, report, django_capture_on_commit_callbacks,
                                                                  mailoutbox):
    html = client.get(f"/meldungen/{report.pk}/").content.decode()
    assert '<label for="id_email">E-Mail-Adresse für Neuigkeiten zu dieser Meldung (freiwillig)</label>' in html
    response = client.post(f"/meldungen/{report.pk}/unterstuetzen/", {"email": "max@example.org"},
                           HTTP_USER_AGENT="Browser A")
    assert (response.status_code, response["Location"]) == (302, f"/meldungen/{report.pk}/")
    html = client.get(response["Location"]).content.decode()
    assert "Wir schreiben Ihnen an max@example.org, wenn sich der Stand ändert." in html
    assert "max@example.org" not in client.get(f"/meldungen/{report.pk}/").content.decode()  # never public
    assert Report.objects.get(pk=report.pk).supporter_count == 1
    # The same browser again, another address: counted once, both follow.
    client.post(f"/meldungen/{report.pk}/unterstuetzen/", {"email": "MAX@example.org"}, HTTP_USER_AGENT="Browser A")
    assert list(Subscription.objects.values_list("email", flat=True)) == ["max@example.org"]

    with django_capture_on_commit_callbacks(execute=True):
        services.report_status_change(report=report, to_status=Report.Status.IN_PROGRESS,
                                      note_public="Die Kolonne ist unterwegs.")
    follower_mail = next(m for m in mailoutbox if m.to == ["max@example.org"])
    assert follower_mail.subject == f"Meldung #{report.pk}: in Bearbeitung"
    assert "Neuer Status der Meldung „Schlagloch“, der Sie folgen: in Bearbeitung" in follower_mail.body
    assert "Die Kolonne ist unterwegs." in follower_mail.body
    assert f"Details: http://127.0.0.1:8000/meldungen/{report.pk}/" in follower_mail.body
    assert report.tracking_token not in follower_mail.body  # the reporter's link is theirs alone
    path = unsubscribe_path(follower_mail.body)
    assert follower_mail.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{path}>"
    assert follower_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [m.to for m in mailoutbox].count(["erika@example.org"]) == 1  # the reporter as before

    # Unsubscribe: GET asks, POST ends it and deletes the address; the link then is 404.
    html = client.get(path).content.decode()
    assert f"Sie bekommen E-Mails, wenn sich der Stand der Meldung #{report.pk} ändert." in html
    assert f'<form method="post" action="{path}">' in html
    response = client.post(path)
    assert response.status_code == 200
    assert "Ihre E-Mail-Adresse ist gelöscht." in response.content.decode()
    assert not Subscription.objects.exists()
    assert client.post(path).status_code == 404 and client.get(path).status_code == 404
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_status_change(report=report, to_status=Report.Status.RESOLVED)
    assert [m.to for m in mailoutbox] == [["erika@example.org"]]


def test_one_click_unsubscribe_from_the_mail_program_needs_no_csrf_token(report):
    services.report_follow(report=report, email="max@example.org")
    token = Subscription.objects.get().token
    response = Client(enforce_csrf_checks=True).post(f"/benachrichtigungen/abbestellen/{token}/",
                                                     {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and not Subscription.objects.exists()


def test_invalid_address_is_400_and_counts_nothing(client, report):
    response = client.post(f"/meldungen/{report.pk}/unterstuetzen/", {"email": "kein-at"})
    assert response.status_code == 400
    assert ('<li><a href="#id_email">Bitte eine gültige E-Mail-Adresse angeben, z. B. name@example.org.</a></li>'
            in response.content.decode())
    assert Report.objects.get(pk=report.pk).supporter_count == 0 and not Subscription.objects.exists()


def test_closed_report_cannot_be_followed(client, report):
    services.report_status_change(report=report, to_status=Report.Status.RESOLVED)
    client.post(f"/meldungen/{report.pk}/unterstuetzen/", {"email": "max@example.org"})
    assert not Subscription.objects.exists()


def test_duplicate_reporter_counts_on_the_original_and_is_notified(city, report, django_capture_on_commit_callbacks,
                                                                   mailoutbox):
    duplicate = services.report_create(category=city.category, point=Point(12.0501, 50.8751, srid=4326),
                                       reporter_email="gerd@example.org", language="en")
    services.report_follow(report=duplicate, email="fan@example.org")
    clerk = UserFactory(is_staff=True)
    dispatch.report_mark_duplicate(report=duplicate, original=report, actor=clerk)
    report.refresh_from_db()
    assert report.supporter_count == 1
    assert sorted(Subscription.objects.filter(object_id=str(report.pk)).values_list("email", "language")) == [
        ("fan@example.org", "de"), ("gerd@example.org", "en")]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_status_change(report=report, to_status=Report.Status.RESOLVED)
    gerd = next(m for m in mailoutbox if m.to == ["gerd@example.org"])
    assert gerd.subject == f"Report #{report.pk}: resolved"
    assert {tuple(m.to) for m in mailoutbox} == {("erika@example.org",), ("gerd@example.org",),
                                                  ("fan@example.org",)}
    assert Notification.objects.filter(event="report.status.follower", object_id=str(report.pk)).count() == 2
    # The duplicate's own follower heard that it was closed as a duplicate of the original.
    assert Notification.objects.filter(event="report.status.follower", object_id=str(duplicate.pk)).count() == 1
