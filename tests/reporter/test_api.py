"""The citizen/staff REST API against real PostGIS: status codes, rows written, privacy."""
import json

import pytest
from django.contrib.gis.geos import Point

from notifications.models import Notification
from reporter.models import Report, ReportPhoto, StatusChange, Support
from tests.factories import (
    AreaFactory,
    CategoryFactory,
    DepartmentFactory,
    LayerFactory,
    ReportFactory,
    RuleFactory,
    square,
)
from tests.reporter.images import jpeg_bytes, upload

pytestmark = pytest.mark.django_db

INSIDE = {"lon": 12.05, "lat": 50.875}
PRIVATE = {"name": "Erika Mustermann", "email": "erika@example.org", "phone": "+49 365 123456"}


def create(client, capture, **data):
    payload = {"category": "schlagloch", **INSIDE, "description": "Tiefes Loch", **PRIVATE, **data}
    with capture(execute=True):
        return client.post("/api/v1/reports/", payload, format="json")


def assert_nothing_written():
    assert Report.objects.count() == 0
    assert ReportPhoto.objects.count() == 0
    assert StatusChange.objects.count() == 0
    assert Notification.objects.count() == 0


def assert_no_personal_data(text: str):
    for value in PRIVATE.values():
        assert value not in text


# --- create ----------------------------------------------------------------------

def test_create_json_routes_stores_and_notifies(city, api_client, django_capture_on_commit_callbacks, mailoutbox):
    response = create(api_client, django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.content
    body = response.json()
    report = Report.objects.get()
    assert body["id"] == report.pk
    assert body["tracking_token"] == report.tracking_token
    assert body["status"] == "submitted"
    assert body["department"] == "Tiefbauamt"
    assert body["routing"]["reason"] == "default"
    assert (report.location.x, report.location.y, report.location.srid) == (12.05, 50.875, 4326)
    assert report.reporter_email == "erika@example.org"
    assert report.channel == "api"
    assert_no_personal_data(response.content.decode())
    assert list(report.history.values_list("kind", "to_status")) == [("created", "submitted")]
    events = sorted(Notification.objects.values_list("event", "recipient", "state"))
    assert events == [("report.created", "tiefbau@stadt.example", "sent"),
                      ("report.created.reporter", "erika@example.org", "sent")]
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == [f"Ihre Meldung #{report.pk} ist eingegangen",
                        f"[Stadtmelder] Neue Meldung: #{report.pk} Schlagloch"]
    confirmation = next(m for m in mailoutbox if m.to == ["erika@example.org"])
    assert report.tracking_token in confirmation.body


def test_create_routed_by_rule(city, api_client, django_capture_on_commit_callbacks):
    layer = LayerFactory(slug="parks")
    AreaFactory(layer=layer, name="Stadtpark", geom=square(12.04, 50.87, 12.06, 50.88))
    RuleFactory(name="Parks", layer=layer, department=DepartmentFactory(slug="gruen", name="Grünflächenamt"))
    response = create(api_client, django_capture_on_commit_callbacks)
    assert response.status_code == 201
    assert response.json()["routing"] == {
        "reason": "rule", "department_name": "Grünflächenamt", "rule_name": "Parks", "layer_slug": "parks",
        "area_name": "Stadtpark", "district": "", "location_source": "given"}
    assert Report.objects.get().department.slug == "gruen"


def test_create_multipart_takes_location_from_photo_exif(city, api_client, django_capture_on_commit_callbacks):
    photo = upload(jpeg_bytes(lon=12.0612, lat=50.8801))
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/v1/reports/", {"category": "schlagloch", "photos": [photo],
                                                        "answers": "{}"}, format="multipart")
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert report.location.x == pytest.approx(12.0612, abs=1e-6)
    assert report.location.y == pytest.approx(50.8801, abs=1e-6)
    assert report.routing_explanation["location_source"] == "photo_exif"
    photo = report.photos.get()
    assert photo.processing == "done"
    assert photo.moderation == "pending"
    # Unmoderated photos are not public.
    assert response.json()["photos"] == []


@pytest.mark.parametrize("data, field, message", [
    ({"category": "gibtsnicht"}, "category", "Unbekannte Kategorie „gibtsnicht“."),
    ({"category": ""}, "category", None),
    ({"lon": 200}, "lon", None),
    ({"lat": -91}, "lat", None),
    ({"lon": "abc"}, "lon", None),
    ({"lon": 12.15}, "location", "Dieser Ort liegt außerhalb des Stadtgebiets. Zuständig ist: Landratsamt Greiz."),
    ({"lon": 30.0, "lat": 10.0}, "location", "Dieser Ort liegt außerhalb des Stadtgebiets."),
    ({"email": "keine-mail"}, "email", None),
    ({"answers": [1]}, "answers", "Ein JSON-Objekt wird erwartet."),
    ({"channel": "phone"}, None, "Nur Mitarbeitende dürfen Meldungen für diesen Kanal erfassen."),
])
def test_create_bad_input_is_rejected_and_writes_nothing(city, api_client, django_capture_on_commit_callbacks,
                                                        data, field, message):
    response = create(api_client, django_capture_on_commit_callbacks, **data)
    body = response.json()
    if field:
        assert response.status_code == 400, body
        assert field in body["errors"]
    else:
        assert response.status_code == 403
    if message:
        assert body["detail"] == message
    assert_nothing_written()


def test_create_lon_without_lat(city, api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/v1/reports/", {"category": "schlagloch", "lon": 12.05}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"lat": ["lon und lat gehören zusammen."]}
    assert_nothing_written()


def test_create_without_any_location(city, api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/v1/reports/", {"category": "schlagloch"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "location": ["Bitte einen Ort angeben (Karte, Koordinaten oder Foto mit GPS)."]}
    assert_nothing_written()


def test_required_answers_are_validated(city, api_client, django_capture_on_commit_callbacks):
    city.category.questions = [{"key": "tiefe", "label": "Tiefe (cm)", "type": "integer", "required": True}]
    city.category.save()
    response = create(api_client, django_capture_on_commit_callbacks, answers={"tiefe": "tief"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"answers.tiefe": ["Bitte eine ganze Zahl angeben."]}
    response = create(api_client, django_capture_on_commit_callbacks, answers={"tiefe": "12"})
    assert response.status_code == 201
    assert Report.objects.get().answers == {"tiefe": 12}


def _post_photos(client, capture, photos):
    with capture(execute=True):
        return client.post("/api/v1/reports/", {"category": "schlagloch", **INSIDE, "photos": photos},
                           format="multipart")


def test_photo_not_an_image_is_415(city, api_client, django_capture_on_commit_callbacks):
    response = _post_photos(api_client, django_capture_on_commit_callbacks,
                            [upload(b"%PDF-1.4 not an image", name="x.jpg")])
    assert response.status_code == 415
    assert "photos" in response.json()["errors"]
    assert_nothing_written()


def test_photo_too_large_is_413(city, api_client, django_capture_on_commit_callbacks, settings):
    settings.STADTMELDER = {**settings.STADTMELDER, "PHOTO_MAX_BYTES": 500}
    response = _post_photos(api_client, django_capture_on_commit_callbacks, [upload(jpeg_bytes(size=(400, 400)))])
    assert response.status_code == 413
    assert_nothing_written()


def test_too_many_photos(city, api_client, django_capture_on_commit_callbacks):
    response = _post_photos(api_client, django_capture_on_commit_callbacks,
                            [upload(jpeg_bytes(), name=f"{i}.jpg") for i in range(4)])
    assert response.status_code == 400
    assert response.json()["errors"] == {"photos": ["Höchstens 3 Fotos pro Meldung."]}
    assert_nothing_written()


def test_photo_required(city, api_client, django_capture_on_commit_callbacks):
    city.category.photo_required = True
    city.category.save()
    response = create(api_client, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert response.json()["errors"] == {"photos": ["Für diese Kategorie ist ein Foto erforderlich."]}
    assert_nothing_written()


# --- read ----------------------------------------------------------------------------

def _feature_ids(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return [f["id"] for f in response.json()["features"]]


def test_list_is_geojson_with_filters_and_no_personal_data(city, api_client, django_assert_max_num_queries):
    a = ReportFactory(category=city.category, status="open", reporter_email="a@example.org",
                      reporter_name="Anna Privat", location=Point(12.01, 50.86, srid=4326))
    b = ReportFactory(category=city.category, status="resolved", location=Point(12.09, 50.89, srid=4326))
    hidden = ReportFactory(category=city.category, moderation="hidden")
    other = ReportFactory(category=CategoryFactory(slug="graffiti"), status="open")
    # One message for the whole page, the session time zone set and reset in it
    # (config.sql_time.local_time_rows); ATOMIC_REQUESTS adds a savepoint and its release.
    with django_assert_max_num_queries(3):
        response = api_client.get("/api/v1/reports/")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["numberMatched"] == 3
    assert hidden.pk not in _feature_ids(response)
    feature = next(f for f in body["features"] if f["id"] == a.pk)
    assert feature["geometry"] == {"type": "Point", "coordinates": [12.01, 50.86]}
    assert feature["properties"]["status"] == "open"
    assert feature["properties"]["description"] == ""  # not moderated yet
    assert "a@example.org" not in response.content.decode() and "Anna Privat" not in response.content.decode()
    assert _feature_ids(api_client.get("/api/v1/reports/?bbox=12.0,50.85,12.05,50.87")) == [a.pk]
    assert set(_feature_ids(api_client.get("/api/v1/reports/?status=open"))) == {a.pk, other.pk}
    assert _feature_ids(api_client.get("/api/v1/reports/?category=schlagloch&status=resolved")) == [b.pk]


def test_list_pagination_links(city, api_client):
    reports = [ReportFactory(category=city.category) for _ in range(5)]
    body = api_client.get("/api/v1/reports/?limit=2").json()
    assert body["numberMatched"] == 5 and body["numberReturned"] == 2
    assert [f["id"] for f in body["features"]] == [r.pk for r in reversed(reports)][:2]
    next_link = next(link["href"] for link in body["links"] if link["rel"] == "next")
    assert "offset=2" in next_link
    last = api_client.get("/api/v1/reports/?limit=2&offset=4").json()
    assert last["numberReturned"] == 1 and [link["rel"] for link in last["links"]] == ["prev"]
    beyond = api_client.get("/api/v1/reports/?limit=2&offset=10").json()
    assert beyond["numberMatched"] == 5 and beyond["features"] == []


@pytest.mark.parametrize("query, field", [
    ("bbox=1,2,3", "bbox"), ("bbox=a,b,c,d", "bbox"), ("bbox=12.1,50.8,12.0,50.9", "bbox"),
    ("bbox=12,50,200,51", "bbox"), ("status=kaputt", "status"), ("category=nix", "category"),
    ("created_after=gestern", "created_after"), ("limit=0", "limit"), ("offset=-1", "offset"),
])
def test_list_bad_query_is_400(city, api_client, query, field):
    response = api_client.get(f"/api/v1/reports/?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_list_date_filters(city, api_client):
    import datetime as dt

    old = ReportFactory(category=city.category)
    Report.objects.filter(pk=old.pk).update(created_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    new = ReportFactory(category=city.category)
    assert _feature_ids(api_client.get("/api/v1/reports/?created_before=2025-01-01")) == [old.pk]
    assert _feature_ids(api_client.get("/api/v1/reports/?created_after=2025-01-01")) == [new.pk]


def test_detail_and_tracking(city, api_client):
    report = ReportFactory(category=city.category, reporter_email="x@example.org", description="Original mit Name",
                           public_description="Loch in der Fahrbahn", moderation="approved")
    StatusChange.objects.create(report=report, to_status="submitted", kind="created")
    StatusChange.objects.create(report=report, from_status="submitted", to_status="open", note_public="Danke",
                                note_internal="geheim")
    body = api_client.get(f"/api/v1/reports/{report.pk}/").json()
    assert body["description"] == "Loch in der Fahrbahn"
    assert [h["to_status"] for h in body["history"]] == ["submitted", "open"]
    assert body["history"][1]["note_public"] == "Danke"
    text = json.dumps(body)
    assert "geheim" not in text and "x@example.org" not in text and "Original mit Name" not in text
    assert "tracking_token" not in body
    assert api_client.get(f"/api/v1/reports/track/{report.tracking_token}/").json()["id"] == report.pk
    assert api_client.get("/api/v1/reports/track/falsch/").status_code == 404
    assert api_client.get("/api/v1/reports/999999/").status_code == 404
    report.moderation = "hidden"
    report.save()
    assert api_client.get(f"/api/v1/reports/{report.pk}/").status_code == 404


def test_read_endpoints_have_constant_query_counts(city, api_client, django_assert_max_num_queries):
    for i in range(5):
        ReportFactory(category=city.category, location=Point(12.05, 50.875 + i / 1_000_000, srid=4326),
                      moderation="approved")
    CategoryFactory.create_batch(3)
    report = Report.objects.first()
    # Each budget includes the savepoint + release of ATOMIC_REQUESTS.
    for url, budget in [("/api/v1/reports/nearby?lon=12.05&lat=50.875&category=schlagloch", 4),
                        ("/api/v1/categories/", 3), ("/api/v1/departments/", 3),
                        (f"/api/v1/reports/{report.pk}/", 5)]:
        with django_assert_max_num_queries(budget):
            assert api_client.get(url).status_code == 200


def test_nearby_uses_metres(city, api_client):
    # 1 m of latitude ≈ 1/111_200 degree here; points on the public grid (4 decimals), so the
    # distance from the public (rounded) location is the true one: 0.0004° ≈ 44.5 m, 0.0006° ≈ 66.7 m.
    base = Point(12.05, 50.875, srid=4326)
    near = ReportFactory(category=city.category, location=Point(12.05, 50.8754, srid=4326))
    ReportFactory(category=city.category, location=Point(12.05, 50.8756, srid=4326))
    ReportFactory(category=city.category, location=base, status="resolved")
    ReportFactory(category=CategoryFactory(slug="graffiti"), location=base)
    body = api_client.get("/api/v1/reports/nearby?lon=12.05&lat=50.875&category=schlagloch").json()
    assert body["radius_m"] == 50
    assert [r["id"] for r in body["results"]] == [near.pk]
    assert body["results"][0]["distance_m"] == pytest.approx(44.5, abs=0.5)
    assert api_client.get("/api/v1/reports/nearby?lon=12.05&lat=95&category=schlagloch").status_code == 400


def test_support_once_per_supporter(city, api_client):
    report = ReportFactory(category=city.category, status="open")
    url = f"/api/v1/reports/{report.pk}/support"
    first = api_client.post(url, {"supporter_token": "abc"}, format="json")
    assert (first.status_code, first.json()["supporter_count"]) == (201, 1)
    again = api_client.post(url, {"supporter_token": "abc"}, format="json")
    assert (again.status_code, again.json()["supporter_count"]) == (200, 1)
    other = api_client.post(url, {"supporter_token": "def"}, format="json")
    assert (other.status_code, other.json()["supporter_count"]) == (201, 2)
    assert Support.objects.filter(report=report).count() == 2
    closed = ReportFactory(category=city.category, status="resolved")
    response = api_client.post(f"/api/v1/reports/{closed.pk}/support", {}, format="json")
    assert response.status_code == 409
    assert Support.objects.filter(report=closed).count() == 0


def test_route_endpoint_explains_without_saving(city, api_client):
    response = api_client.get("/api/v1/route?lon=12.05&lat=50.875&category=schlagloch")
    assert response.status_code == 200
    assert response.json()["department_slug"] == "tiefbau" and response.json()["reason"] == "default"
    outside = api_client.get("/api/v1/route?lon=12.15&lat=50.875&category=schlagloch")
    assert outside.status_code == 400
    assert outside.json()["authority"] == "Landratsamt Greiz"
    assert api_client.get("/api/v1/route?lon=12.05&lat=50.875&category=x").status_code == 400
    assert Report.objects.count() == 0


def test_categories_and_departments(city, api_client):
    city.category.questions = [{"key": "tiefe", "label": "Tiefe", "type": "integer"}]
    city.category.save()
    body = api_client.get("/api/v1/categories/").json()
    assert body[0]["slug"] == "schlagloch" and body[0]["name"] == "Schlagloch"
    assert body[0]["questions"][0]["key"] == "tiefe"
    assert api_client.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="en").json()[0]["name"] == "Pothole"
    deps = api_client.get("/api/v1/departments/").json()
    assert deps == [{"slug": "tiefbau", "name": "Tiefbauamt", "email": "tiefbau@stadt.example"}]


def test_openapi_schema_and_docs(db, api_client):
    schema = api_client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/v1/reports/" in schema.json()["paths"]
    docs = api_client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_report_creation_is_rate_limited_per_client(city, api_client, django_capture_on_commit_callbacks, settings):
    settings.STADTMELDER = {**settings.STADTMELDER, "REPORT_CREATE_RATE": "2/hour"}
    assert create(api_client, django_capture_on_commit_callbacks).status_code == 201
    assert create(api_client, django_capture_on_commit_callbacks).status_code == 201
    third = create(api_client, django_capture_on_commit_callbacks)
    assert third.status_code == 429
    assert Report.objects.count() == 2
    assert api_client.get("/api/v1/reports/").status_code == 200  # reading is not limited


def test_resent_submission_key_stores_once(city, api_client, django_capture_on_commit_callbacks):
    first = create(api_client, django_capture_on_commit_callbacks, submission_key="draft-1234abcd-5678")
    again = create(api_client, django_capture_on_commit_callbacks, submission_key="draft-1234abcd-5678")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["tracking_token"] == first.json()["tracking_token"]
    assert Report.objects.count() == 1
    assert Notification.objects.count() == 2  # department + reporter, once
    bad = create(api_client, django_capture_on_commit_callbacks, submission_key="x y")
    assert bad.status_code == 400 and "submission_key" in bad.json()["errors"]
