"""Real CKAN clients against a live test server: the `ckanapi` library (RemoteCKAN) and
the `ckanapi` command line (dump datasets --all), unchanged, as third parties use them."""
import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import ckanapi
import pytest
import requests
import time_machine

from tests.opendata.factories import (
    DatasetFactory,
    OrganizationFactory,
    ResourceFactory,
    UserFactory,
    member_add,
    token_for,
)

pytestmark = pytest.mark.django_db(transaction=True)

VENV_BIN = Path(sys.executable).parent
START = datetime(2024, 3, 1, 8, tzinfo=UTC)


@pytest.fixture
def catalogue(db):
    """25 public datasets, one modified per day, plus a private and a deleted one."""
    org = OrganizationFactory(name="tiefbauamt", title="Tiefbauamt")
    for i in range(25):
        with time_machine.travel(START + timedelta(days=i), tick=False):
            dataset = DatasetFactory(name=f"datensatz-{i:02d}", title=f"Datensatz {i}", owner_org=org,
                                     tags=["verkehr"] if i % 2 else ["umwelt"])
            ResourceFactory(package=dataset, url=f"https://daten.example.org/{i}.csv")
    DatasetFactory(name="intern", owner_org=org, private=True)
    DatasetFactory(name="geloescht", owner_org=org, state="deleted")
    editor = UserFactory(username="redakteurin")
    member_add(org, editor, "editor")
    return {"org": org, "token": token_for(editor)}


def test_ckanapi_library_reads_and_pages(site, catalogue):
    expected = [f"datensatz-{i:02d}" for i in range(25)]
    with ckanapi.RemoteCKAN(site) as remote:
        assert remote.action.package_list() == expected
        shown = remote.action.package_show(id="datensatz-07")
        assert shown["name"] == "datensatz-07"
        assert shown["organization"]["name"] == "tiefbauamt"
        assert shown["resources"][0]["url"] == "https://daten.example.org/7.csv"
        assert shown["metadata_modified"] == "2024-03-08T08:00:00"

        collected, start = [], 0
        while True:
            page = remote.action.package_search(rows=10, start=start, sort="metadata_modified desc")
            assert page["count"] == 25
            if not page["results"]:
                break
            collected += [d["name"] for d in page["results"]]
            start += 10
        assert collected == list(reversed(expected))

        facets = remote.action.package_search(rows=0, **{"facet.field": '["tags"]'})
        assert facets["facets"]["tags"] == {"umwelt": 13, "verkehr": 12}
        assert remote.action.package_search(fq="tags:verkehr -name:datensatz-01", rows=1000)["count"] == 11

        with pytest.raises(ckanapi.NotFound):
            remote.action.package_show(id="geloescht")
        with pytest.raises(ckanapi.NotAuthorized):
            remote.action.package_show(id="intern")
        with pytest.raises(ckanapi.SearchQueryError):
            remote.action.package_search(fq="farbe:blau")
        with pytest.raises(ckanapi.NotAuthorized):
            remote.action.package_create(name="anonym", owner_org="tiefbauamt")

    with ckanapi.RemoteCKAN(site, get_only=True) as remote_get:
        page = remote_get.action.package_search(q="Datensatz", rows=5, start=20, sort="name asc")
        assert [d["name"] for d in page["results"]] == expected[20:]
        assert remote_get.action.status_show()["ckan_version"].startswith("2.10")


def test_ckanapi_library_creates_and_uploads(site, catalogue, tmp_path):
    content = b"lon,lat,art\n12.08,50.88,Baustelle\n"
    path = tmp_path / "baustellen.csv"
    path.write_bytes(content)
    with ckanapi.RemoteCKAN(site, apikey=catalogue["token"]) as remote:
        created = remote.action.package_create(
            name="baustellen-live", title="Baustellen (live)", owner_org="tiefbauamt", license_id="dl-by-de/2.0",
            tags=[{"name": "baustellen"}], extras=[{"key": "spatial", "value":
                                                     '{"type": "Point", "coordinates": [12.08, 50.88]}'}])
        assert created["license_title"] == "Datenlizenz Deutschland Namensnennung 2.0"
        with path.open("rb") as handle:
            resource = remote.action.resource_create(package_id=created["id"], name="Liste", upload=handle)
        assert resource["url_type"] == "upload"
        assert resource["size"] == len(content)
        assert resource["hash"] == hashlib.sha256(content).hexdigest()
        assert resource["url"].startswith(site + f"/dataset/{created['id']}/resource/{resource['id']}/download/")
        download = requests.get(resource["url"], timeout=10)
        assert download.status_code == 200 and download.content == content

        with pytest.raises(ckanapi.ValidationError) as excinfo:
            remote.action.package_create(name="baustellen-live", owner_org="tiefbauamt")
        assert excinfo.value.error_dict["name"] == ["That URL is already in use."]

        patched = remote.action.package_patch(id="baustellen-live", notes="Aktualisiert")
        assert patched["notes"] == "Aktualisiert" and patched["num_resources"] == 1
        found = remote.action.package_search(q="baustellen", ext_bbox="12.0,50.8,12.2,51.0")
        assert [d["name"] for d in found["results"]] == ["baustellen-live"]
        remote.action.package_delete(id="baustellen-live")
        assert "baustellen-live" not in remote.action.package_list()


def test_ckanapi_cli_dump_datasets(site, catalogue, tmp_path):
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    completed = subprocess.run(
        [str(VENV_BIN / "ckanapi"), "dump", "datasets", "--all", "-q", "-r", site],
        capture_output=True, env=env, timeout=180, check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    lines = completed.stdout.decode().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["name"] for r in records] == [f"datensatz-{i:02d}" for i in range(25)]
    first = records[0]
    assert first["type"] == "dataset" and first["state"] == "active" and first["private"] is False
    assert first["resources"][0]["url"] == "https://daten.example.org/0.csv"
    assert first["tags"][0]["name"] == "umwelt"
    assert list(first) == sorted(first)  # ckanapi writes sorted keys
