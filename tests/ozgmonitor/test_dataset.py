"""The open dataset `ozg-monitor`: built by the daily task (and `ozgmonitor_publish`), in the
CKAN API (package_show, package_search) and the DCAT catalogue, with CSV and JSON files of
the entries and the key figures; unchanged files are not rewritten. Privacy canary: nothing
of a case's contents (names, contact data, texts, form data) is in the page or the dataset."""
import csv
import io
import json
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.test import Client

from ozgmonitor.tasks import ozgmonitor_daily_task

from .conftest import at, case_filed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eu_theme_groups")]

NAME, EMAIL, PHONE = "Kanarienvogel Ozgmon", "kanarie-0z9@example.org", "0365 5550199"
TEXT, DATA, TITLE = "KANARIE-OZG-TEXT", "KANARIE-OZG-FORMULAR", "KANARIE-OZG-BETREFF"
CANARIES = (NAME, EMAIL, "kanarie-0z9", "5550199", TEXT, DATA, TITLE)


def _get(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_dataset_in_ckan_and_dcat_without_personal_data(entries, org, time_machine):
    time_machine.move_to(at(2026, 12, 7, 12), tick=False)
    case_filed(service="anliegen", department=org.citizens, created=at(2026, 11, 3, 10), closed=at(2026, 11, 5, 10),
               contact_name=NAME, contact_email=EMAIL, contact_phone=PHONE, description=TEXT, title=TITLE,
               data={"feld": DATA})
    assert ozgmonitor_daily_task.delay().get() == "ozg-monitor: 5 Leistungen; neu geschrieben: CSV, JSON"
    client = Client()
    show = client.get("/api/3/action/package_show?id=ozg-monitor").json()
    assert show["success"] is True
    package = show["result"]
    assert (package["name"], package["license_id"], package["organization"]["name"]) == (
        "ozg-monitor", "dl-by-de/2.0", "stadt")
    assert [r["format"] for r in package["resources"]] == ["CSV", "JSON"]
    search = client.get("/api/3/action/package_search?q=OZG").json()["result"]
    assert "ozg-monitor" in [p["name"] for p in search["results"]]
    catalogue = _get(client, "/catalog.ttl").decode()
    assert "OZG-Monitor: Online-Leistungen der Stadt" in catalogue

    files = {r["format"]: _get(client, urlparse(r["url"]).path) for r in package["resources"]}
    rows = list(csv.DictReader(io.StringIO(files["CSV"].decode("utf-8"))))
    by_key = {row["key"]: row for row in rows}
    assert set(by_key) == {"wohngeld", "hundesteuer", "sondernutzung", "anliegen", "maengelmelder"}
    assert (by_key["wohngeld"]["status"], by_key["wohngeld"]["maturity_level"], by_key["wohngeld"]["go_live_date"],
            by_key["wohngeld"]["maturity"]) == (
        "online", "3", "2026-09-15", "leistungsbeschreibung=4; antragsprozess=3; nachweise=3")
    document = json.loads(files["JSON"])
    assert document["online_applications_per_month"]["months"][-1] == "2026-12"
    assert document["online_applications_per_month"]["services"] == [
        {"service": "anliegen", "counts": [0] * 10 + [1, 0]}]
    assert document["processing_time_median_days"] == [{"service": "anliegen", "closed": 1, "median_days": 2.0}]

    outputs = {"/ozg-monitor/": _get(client, "/ozg-monitor/"), "package_show": json.dumps(show).encode(), **files}
    for where, body in outputs.items():
        text = body.decode("utf-8", "replace").lower()
        for canary in CANARIES:
            assert canary.lower() not in text, (where, canary)


def test_a_second_build_rewrites_nothing(entries):
    call_command("ozgmonitor_publish", verbosity=0)
    assert ozgmonitor_daily_task.delay().get() == "ozg-monitor: 5 Leistungen; neu geschrieben: –"
