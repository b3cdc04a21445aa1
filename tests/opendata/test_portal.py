"""The portal pages (opendata.portal) through Django's test client: dataset search with q,
facets, sort and paging; dataset, organisation and group pages; visibility (private,
deleted); escaping; English; bounded query counts."""
import html as html_lib
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.gis.geos import Point
from django.urls import Resolver404, resolve

from opendata.models import Dataset, Resource, ResourceFeature
from tests.opendata.factories import (
    DatasetFactory,
    GroupFactory,
    OrganizationFactory,
    ResourceFactory,
    UserFactory,
    bbox_polygon,
    member_add,
)

pytestmark = pytest.mark.django_db

START = datetime(2024, 1, 1, 9, tzinfo=UTC)


def page(client, url, status=200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, response.content[:2000]
    return response.content.decode()


def names(html) -> list[str]:
    """Dataset names in the result list, in order."""
    return re.findall(r'<h3 class="dataset-title"><a href="/dataset/([^"]+)">', html)


def result_count(html) -> str:
    return re.search(r'<h2 id="result-count" class="result-count">([^<]*)</h2>', html).group(1)


def facet(html, field) -> dict[str, tuple[int, bool]]:
    """{value: (count, checked)} of one facet's checkboxes."""
    pattern = (r'<input type="checkbox" id="facet-' + field + r'-\d+" name="' + field
               + r'" value="([^"]*)" form="dataset-search-form"( checked)?>\s*<label for="[^"]+">'
               r'<span class="facet-name">[^<]*</span> <span class="facet-count">(\d+)')
    return {html_lib.unescape(v): (int(n), bool(c)) for v, c, n in re.findall(pattern, html)}


@pytest.fixture
def catalogue(org):
    """Four public datasets of two organisations, one private and one deleted dataset."""
    umwelt = OrganizationFactory(name="umweltamt", title="Umweltamt", description="Umwelt und Natur",
                                 email="umwelt@stadt.example", homepage="https://umwelt.stadt.example/")
    GroupFactory(name="tran", title="Verkehr", theme="TRAN")
    GroupFactory(name="envi", title="Umwelt", theme="ENVI")
    specs = [
        ("baustellen", "Baustellen im Stadtgebiet", org, ["verkehr", "baustellen"], ["tran"], "dl-by-de/2.0",
         ["CSV", "GeoJSON"]),
        ("radwege", "Radwege", org, ["verkehr", "radverkehr"], ["tran"], "cc-by/4.0", ["GeoJSON"]),
        ("baumkataster", "Baumkataster", umwelt, ["umwelt", "baeume"], ["envi"], "dl-zero-de/2.0", ["CSV"]),
        ("laermkarte", "Lärmkarte Straßenverkehr", umwelt, ["umwelt", "verkehr"], ["envi", "tran"], "cc-by/4.0",
         ["WMS"]),
    ]
    for days, (name, title, owner, tags, groups, license_id, formats) in enumerate(specs):
        with time_machine.travel(START + timedelta(days=days), tick=False):
            dataset = DatasetFactory(name=name, title=title, owner_org=owner, tags=tags, groups=groups,
                                     license_id=license_id, notes=f"Daten zu {title}")
            for fmt in formats:
                ResourceFactory(package=dataset, format=fmt)
    with time_machine.travel(START + timedelta(days=10), tick=False):
        DatasetFactory(name="intern-planung", title="Interne Planung", owner_org=org, private=True, tags=["verkehr"])
        DatasetFactory(name="alte-daten", title="Alte Daten", owner_org=org, state=Dataset.State.DELETED,
                       tags=["verkehr"])
    return umwelt


@pytest.fixture
def member_client(client, org):
    user = UserFactory(username="mitglied")
    member_add(org, user, "member")
    client.force_login(user)
    return client


# --- search -------------------------------------------------------------------------------

def test_search_lists_public_datasets_newest_first(client, catalogue):
    html = page(client, "/dataset/")
    assert result_count(html) == "4 Datensätze gefunden"
    assert names(html) == ["laermkarte", "baumkataster", "radwege", "baustellen"]
    assert "Treffer 1 bis 4 von 4" in html
    assert 'class="pagination"' not in html  # one page only
    assert facet(html, "organization") == {"tiefbauamt": (2, False), "umweltamt": (2, False)}
    assert facet(html, "groups") == {"tran": (3, False), "envi": (2, False)}
    assert facet(html, "tags") == {"verkehr": (3, False), "umwelt": (2, False), "baeume": (1, False),
                                   "baustellen": (1, False), "radverkehr": (1, False)}
    assert facet(html, "res_format") == {"CSV": (2, False), "GeoJSON": (2, False), "WMS": (1, False)}
    assert facet(html, "license_id") == {"cc-by/4.0": (2, False), "dl-by-de/2.0": (1, False),
                                         "dl-zero-de/2.0": (1, False)}
    # Facet labels are the titles; every checkbox has its label.
    assert '<span class="facet-name">Verkehr</span> <span class="facet-count">3' in html
    assert '<span class="facet-name">Creative Commons Namensnennung – 4.0 International (CC BY 4.0)</span>' in html
    assert html.count('type="checkbox"') == html.count('<label for="facet-')
    # Each result shows its organisation and formats.
    assert '<span class="format">CSV</span><span class="visually-hidden">, </span><span class="format">GeoJSON</span>' \
        in html


def test_search_with_free_text(client, catalogue):
    html = page(client, "/dataset/?q=verkehr")
    assert result_count(html) == "3 Datensätze gefunden"
    assert sorted(names(html)) == ["baustellen", "laermkarte", "radwege"]
    assert facet(html, "organization") == {"tiefbauamt": (2, False), "umweltamt": (1, False)}
    assert 'value="verkehr"' in html  # the search field keeps the text
    html = page(client, "/dataset/?q=Baustelle")
    assert names(html) == ["baustellen"]
    html = page(client, "/dataset/?q=unbekanntwort")
    assert result_count(html) == "0 Datensätze gefunden"
    assert names(html) == []
    assert "Keine Datensätze gefunden." in html


@pytest.mark.parametrize(("params", "expected"), [
    ("organization=umweltamt", ["baumkataster", "laermkarte"]),
    ("groups=tran", ["baustellen", "laermkarte", "radwege"]),
    ("tags=verkehr", ["baustellen", "laermkarte", "radwege"]),
    ("res_format=CSV", ["baumkataster", "baustellen"]),
    ("license_id=cc-by/4.0", ["laermkarte", "radwege"]),
])
def test_search_with_each_facet(client, catalogue, params, expected):
    html = page(client, f"/dataset/?{params}")
    assert sorted(names(html)) == expected
    assert result_count(html) == f"{len(expected)} Datensätze gefunden"
    field, value = params.split("=")
    assert facet(html, field)[value] == (len(expected), True)
    # The active filter is listed with a link that removes it.
    assert '<a class="filter-chip" href="/dataset/">' in html


def test_search_with_combined_facets(client, catalogue):
    html = page(client, "/dataset/?tags=verkehr&organization=umweltamt")
    assert names(html) == ["laermkarte"]
    assert result_count(html) == "1 Datensatz gefunden"
    assert facet(html, "tags")["verkehr"] == (1, True)
    assert facet(html, "organization") == {"umweltamt": (1, True)}
    # Removing one filter keeps the other.
    assert '<a class="filter-chip" href="/dataset/?organization=umweltamt">' in html
    assert '<a class="filter-chip" href="/dataset/?tags=verkehr">' in html
    assert '<a href="/dataset/">Alle Filter entfernen</a>' in html

    # Two values of one facet are both required (CKAN's AND).
    assert names(page(client, "/dataset/?tags=verkehr&tags=radverkehr")) == ["radwege"]
    assert sorted(names(page(client, "/dataset/?groups=tran&res_format=GeoJSON"))) == ["baustellen", "radwege"]
    # With q as well.
    assert names(page(client, "/dataset/?q=Radwege&groups=tran&license_id=cc-by/4.0")) == ["radwege"]
    # A ticked value that no result has any more stays shown (count 0), so it can be unticked.
    html = page(client, "/dataset/?tags=verkehr&q=Baumkataster")
    assert names(html) == []
    assert facet(html, "tags") == {"verkehr": (0, True)}


def test_search_sort(client, catalogue):
    html = page(client, "/dataset/?sort=title_string+asc")
    assert names(html) == ["baumkataster", "baustellen", "laermkarte", "radwege"]
    assert '<option value="title_string asc" selected>Name (A–Z)</option>' in html
    assert names(page(client, "/dataset/?sort=metadata_modified+desc")) == [
        "laermkarte", "baumkataster", "radwege", "baustellen"]
    # Relevance: the title match (weight A) before matches in tags (weight B).
    assert names(page(client, "/dataset/?q=baustellen"))[0] == "baustellen"
    # The sort is kept in facet links.
    html = page(client, "/dataset/?sort=title_string+asc&tags=umwelt")
    assert '<a class="filter-chip" href="/dataset/?sort=title_string+asc">' in html


def test_search_paging(client, org):
    for i in range(45):
        with time_machine.travel(START + timedelta(hours=i), tick=False):
            DatasetFactory(name=f"satz-{i:02d}", title=f"Satz {i:02d}", owner_org=org)
    first = page(client, "/dataset/?sort=title_string+asc")
    assert result_count(first) == "45 Datensätze gefunden"
    assert names(first) == [f"satz-{i:02d}" for i in range(20)]
    assert "Treffer 1 bis 20 von 45" in first
    assert '<a href="/dataset/?sort=title_string+asc" aria-current="page"><span class="visually-hidden">Seite ' \
           '</span>1</a>' in first
    assert '<a href="/dataset/?sort=title_string+asc&amp;page=2" rel="next">' in first

    second = page(client, "/dataset/?sort=title_string+asc&page=2")
    assert names(second) == [f"satz-{i:02d}" for i in range(20, 40)]
    assert 'aria-current="page"><span class="visually-hidden">Seite </span>2</a>' in second
    assert '<a href="/dataset/?sort=title_string+asc" rel="prev">' in second

    third = page(client, "/dataset/?sort=title_string+asc&page=3")
    assert names(third) == [f"satz-{i:02d}" for i in range(40, 45)]
    assert "Treffer 41 bis 45 von 45" in third
    assert 'rel="next"' not in third

    beyond = page(client, "/dataset/?page=9")
    assert names(beyond) == []
    assert "Auf dieser Seite gibt es keine Treffer mehr." in beyond


@pytest.mark.parametrize(("query", "message"), [
    ("sort=name+up", "Diese Sortierung gibt es nicht. Bitte wählen Sie eine aus der Liste."),
    ("page=0", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."),
    ("page=zwei", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."),
    ("q=tags:(verkehr", "Die Suchanfrage konnte nicht verarbeitet werden."),
    ("q=unbekannt:wert", "Die Suchanfrage konnte nicht verarbeitet werden."),
    ("q=" + "x" * 501, "Der Suchbegriff ist zu lang (höchstens 500 Zeichen)."),
])
def test_search_bad_input_is_a_400_with_a_message(client, catalogue, query, message):
    html = page(client, f"/dataset/?{query}", status=400)
    assert message in html
    assert names(html) == []
    assert '<div class="error-summary" role="alert"' in html


def test_search_shows_private_datasets_to_members_only(client, member_client, catalogue):
    anonymous = page(client.__class__(), "/dataset/?tags=verkehr")
    assert sorted(names(anonymous)) == ["baustellen", "laermkarte", "radwege"]
    member = page(member_client, "/dataset/?tags=verkehr")
    assert sorted(names(member)) == ["baustellen", "intern-planung", "laermkarte", "radwege"]
    assert '<span class="badge badge-private">Privat</span>' in member
    assert "alte-daten" not in member


def test_search_page_query_count_is_bounded(client, org, django_assert_max_num_queries):
    for i in range(30):
        dataset = DatasetFactory(name=f"satz-{i:02d}", owner_org=org, tags=[f"t{i}", "alle"], groups=["tran"])
        ResourceFactory(package=dataset, format="CSV")
        ResourceFactory(package=dataset, format="GeoJSON")
    # count, page ids, datasets + 3 prefetches, 5 facets; plus the request's savepoint and its release
    # (ATOMIC_REQUESTS inside the test transaction)
    with django_assert_max_num_queries(13):
        html = page(client, "/dataset/?tags=alle")
    assert len(names(html)) == 20


def test_search_in_english(client, catalogue):
    html = page(client, "/dataset/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in html
    assert names(html) == ["laermkarte", "baumkataster", "radwege", "baustellen"]


def test_search_escapes_what_it_echoes(client, org):
    DatasetFactory(name="boese", title="<script>alert('titel')</script>", owner_org=org,
                   notes="<img src=x onerror=alert(1)>")
    html = page(client, '/dataset/?q="><script>alert(1)</script>')
    assert "<script>alert(1)</script>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    html = page(client, "/dataset/")
    assert "<script>alert(" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;titel&#x27;)&lt;/script&gt;" in html


def test_nav_link_in_the_citizen_app(client, catalogue):
    html = page(client, "/dataset/")
    assert '<a href="/dataset/" aria-current="page">Offene Daten</a>' in html
    assert '<a href="/dataset/">Offene Daten</a>' in page(client, "/statistik/")


# --- dataset page -------------------------------------------------------------------------

@pytest.fixture
def geo_dataset(org):
    """A dataset with extent, temporal coverage, maintainer, a link, an upload and an
    ingested GeoJSON resource with three point features."""
    GroupFactory(name="tran", title="Verkehr", theme="TRAN")
    dataset = DatasetFactory(
        name="baustellen", title="Baustellen im Stadtgebiet", owner_org=org, tags=["verkehr", "baustellen"],
        groups=["tran"], license_id="dl-by-de/2.0", notes="Aktuelle Baustellen.\n\nStand: täglich",
        spatial=bbox_polygon(12.0, 50.85, 12.1, 50.9), temporal_start=date(2024, 1, 1),
        temporal_end=date(2024, 12, 31), frequency="DAILY", maintainer="Frau Beispiel",
        maintainer_email="baustellen@stadt.example", author="Herr Autor", author_email="autor@privat.example",
        version="2.1",
    )
    link = ResourceFactory(package=dataset, name="Baustellen als CSV", format="CSV", size=2048,
                           url="https://daten.stadt.example/baustellen.csv", position=0,
                           last_modified=datetime(2024, 3, 5, 10, tzinfo=UTC))
    geo = Resource.objects.create(
        package=dataset, name="Baustellen als GeoJSON", format="GeoJSON", url_type=Resource.UrlType.UPLOAD,
        upload="opendata/x/y/baustellen.geojson", size=1536, position=1,
        geo_ingest={"status": "ok", "feature_count": 3, "geometry_type": "Point",
                    "fields": [{"name": "name", "type": "str"}, {"name": "art", "type": "str"},
                               {"name": "gesperrt", "type": "bool"}]},
    )
    for fid, (lon, lat, name, art) in enumerate([(12.05, 50.87, "Gera-Mitte", "Vollsperrung"),
                                                 (12.06, 50.88, "<b>Ost</b>", "Halbseitig"),
                                                 (12.07, 50.86, "Süd", None)], start=1):
        ResourceFeature.objects.create(resource=geo, fid=fid, geometry=Point(lon, lat, srid=4326),
                                       properties={"name": name, "art": art, "gesperrt": fid == 1})
    return dataset, link, geo


def test_dataset_page_shows_the_metadata(client, geo_dataset):
    dataset, link, geo = geo_dataset
    html = page(client, "/dataset/baustellen")
    assert "<h1>Baustellen im Stadtgebiet</h1>" in html
    assert "<p>Aktuelle Baustellen.</p>\n\n<p>Stand: täglich</p>" in html
    assert '<a href="/organization/tiefbauamt">Tiefbauamt</a>' in html
    assert ('<a href="https://www.govdata.de/dl-de/by-2-0" rel="license noopener">'
            'Datenlizenz Deutschland Namensnennung 2.0</a>') in html
    assert '<a class="tag" href="/dataset/?tags=baustellen">baustellen</a>' in html
    assert '<a class="tag" href="/dataset/?tags=verkehr">verkehr</a>' in html
    assert '<a href="/group/tran">Verkehr</a>' in html
    assert "01.01.2024 bis 31.12.2024" in html
    assert "Länge 12,0000 bis 12,1000, Breite 50,8500 bis 50,9000 (WGS 84)" in html
    assert "<dd>täglich</dd>" in html
    assert 'Frau Beispiel<br><a href="mailto:baustellen@stadt.example">baustellen@stadt.example</a>' in html
    # Only the maintainer is a contact.
    assert "autor@privat.example" not in html and "Herr Autor" not in html
    # Resources: format, size, last modified, download links.
    assert '<h3 class="resource-title">Baustellen als CSV</h3>' in html
    assert "<dd>2,0\xa0KB</dd>" in html and "<dd>1,5\xa0KB</dd>" in html
    assert '<time datetime="2024-03-05T11:00:00+01:00">05.03.2024</time>' in html
    assert '<a class="button" href="https://daten.stadt.example/baustellen.csv" rel="noopener">' in html
    download = f"/dataset/{dataset.id}/resource/{geo.id}/download/baustellen.geojson"
    assert f'<a class="button" href="{download}" download>' in html
    # DCAT in three formats.
    for suffix in (".ttl", ".rdf", ".jsonld"):
        assert f'href="/dataset/baustellen{suffix}"' in html


def test_dataset_page_api_examples(client, geo_dataset, settings):
    dataset, link, geo = geo_dataset
    html = html_lib.unescape(page(client, "/dataset/baustellen"))
    site = settings.SITE_URL
    assert f"curl '{site}/api/3/action/package_show?id=baustellen'" in html
    assert f"curl -L -O -J {site}/dataset/{dataset.id}/resource/{geo.id}/download/baustellen.geojson" in html
    assert "curl -L -O -J https://daten.stadt.example/baustellen.csv" in html
    assert f"curl {site}/dataset/baustellen.ttl" in html
    assert (f"curl -H 'Accept: application/geo+json' "
            f"'{site}/ogc/collections/resource-{geo.id}/items?limit=10'") in html
    assert f"resource-{link.id}" not in html  # a plain link resource has no OGC collection


def test_dataset_page_map_preview_and_attribute_table(client, geo_dataset):
    dataset, link, geo = geo_dataset
    html = page(client, "/dataset/baustellen")
    data = json.loads(re.search(r'<script id="dataset-map-data" type="application/json">(.*?)</script>',
                                html, re.S).group(1))
    assert data["extent"]["type"] == "Polygon"
    assert data["extent"]["coordinates"][0][0] == [12.0, 50.85]
    assert data["features"]["type"] == "FeatureCollection"
    assert [(f["id"], f["geometry"]) for f in data["features"]["features"]] == [
        (1, {"type": "Point", "coordinates": [12.05, 50.87]}),
        (2, {"type": "Point", "coordinates": [12.06, 50.88]}),
        (3, {"type": "Point", "coordinates": [12.07, 50.86]}),
    ]
    assert '<script type="module" src="/static/opendata/js/dataset_map.mjs">' in html
    assert "/static/vendor/maplibre-gl/maplibre-gl.css" in html and "leaflet" not in html
    assert "Die ausgefüllten Symbole zeigen alle 3 Geoobjekte der Daten." in html
    # The attribute table: the fields in order, escaped cells, empty cells for null.
    flat = re.sub(r">\s+<", "><", html)
    assert "Baustellen als GeoJSON: die ersten 3 von 3 Zeilen</caption>" in flat
    assert '<th scope="col">name</th><th scope="col">art</th><th scope="col">gesperrt</th>' in flat
    assert '<tr><th scope="row" class="num">1</th><td>Gera-Mitte</td><td>Vollsperrung</td><td>ja</td></tr>' in flat
    assert '<td>&lt;b&gt;Ost&lt;/b&gt;</td>' in flat
    assert '<tr><th scope="row" class="num">3</th><td>Süd</td><td></td><td>nein</td></tr>' in flat


def test_dataset_page_preview_is_limited(client, org, monkeypatch):
    from opendata.portal import preview

    monkeypatch.setattr(preview, "PREVIEW_FEATURE_LIMIT", 4)
    monkeypatch.setattr(preview, "TABLE_ROWS", 2)
    dataset = DatasetFactory(name="viele-punkte", owner_org=org)
    geo = Resource.objects.create(package=dataset, name="Punkte", format="GeoJSON",
                                  geo_ingest={"status": "ok", "feature_count": 6, "fields": []})
    pending = Resource.objects.create(package=dataset, name="Noch nicht gelesen", format="GeoJSON",
                                      geo_ingest={"status": "pending"})
    for fid in range(1, 7):
        ResourceFeature.objects.create(resource=geo, fid=fid, geometry=Point(12 + fid / 100, 50.9, srid=4326),
                                       properties={"nr": fid})
        ResourceFeature.objects.create(resource=pending, fid=fid, geometry=Point(13, 51, srid=4326), properties={})
    html = page(client, "/dataset/viele-punkte")
    data = json.loads(re.search(r'<script id="dataset-map-data" type="application/json">(.*?)</script>',
                                html, re.S).group(1))
    assert data["extent"] is None
    assert [f["id"] for f in data["features"]["features"]] == [1, 2, 3, 4]
    assert "Die ausgefüllten Symbole sind die ersten 4 von 6 Geoobjekten" in html
    assert "Punkte: die ersten 2 von 6 Zeilen" in html
    assert f"resource-{pending.id}" not in html


def test_dataset_page_without_extent_or_features_has_no_map(client, org):
    DatasetFactory(name="ohne-karte", owner_org=org, notes="")
    html = page(client, "/dataset/ohne-karte")
    assert 'id="dataset-map"' not in html and "dataset_map.mjs" not in html and "maplibre" not in html
    assert "Keine Beschreibung vorhanden." in html
    assert "Zu diesem Datensatz gibt es noch keine Dateien." in html


def test_dataset_page_by_id(client, geo_dataset):
    dataset = geo_dataset[0]
    assert "<h1>Baustellen im Stadtgebiet</h1>" in page(client, f"/dataset/{dataset.id}")


def test_dataset_page_escapes_title_and_notes(client, org):
    DatasetFactory(name="boese", title='<script>alert("t")</script>', owner_org=org,
                   notes='<img src=x onerror="alert(1)">\nzweite Zeile https://stadt.example/info')
    ResourceFactory(package=Dataset.objects.get(name="boese"), name="<svg onload=alert(2)>",
                    description="<iframe src=//boese.example>")
    html = page(client, "/dataset/boese")
    assert "<script>alert(" not in html and "<img src=x" not in html
    assert "<svg onload" not in html and "<iframe" not in html
    assert "<h1>&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;</h1>" in html
    assert ('<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;<br>zweite Zeile '
            '<a href="https://stadt.example/info" rel="nofollow">https://stadt.example/info</a></p>') in html


def test_only_web_addresses_become_links(client, org):
    dataset = DatasetFactory(name="links", owner_org=org, url="javascript:alert(1)")
    ResourceFactory(package=dataset, name="Böser Link", url="javascript:alert(2)")
    ResourceFactory(package=dataset, name="Guter Link", url="https://daten.stadt.example/a.csv")
    org.homepage = "data:text/html,<script>alert(3)</script>"
    org.save()
    html = page(client, "/dataset/links")
    assert 'href="javascript' not in html
    assert "Adresse: <code>javascript:alert(2)</code>" in html
    assert "<dd>javascript:alert(1)</dd>" in html
    assert '<a class="button" href="https://daten.stadt.example/a.csv" rel="noopener">' in html
    assert "curl -L -O -J https://daten.stadt.example/a.csv" in html
    assert "alert(2)</code></pre>" not in html  # no curl line for it
    html = page(client, "/organization/tiefbauamt")
    assert 'href="data:' not in html
    assert "<dd>data:text/html,&lt;script&gt;alert(3)&lt;/script&gt;</dd>" in html


def test_sysadmin_sees_a_deleted_dataset_marked_as_such(client, catalogue):
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    html = page(client, "/dataset/alte-daten")
    assert '<span class="badge badge-deleted">Gelöscht</span> Nur für Administratoren sichtbar.' in html


def test_private_dataset_only_for_members(client, org, geo_dataset):
    Dataset.objects.filter(name="baustellen").update(private=True)
    assert "Datensatz nicht gefunden" in page(client, "/dataset/baustellen", status=404)
    outsider = UserFactory(username="aussen")
    member_add(OrganizationFactory(name="anderes-amt"), outsider, "admin")
    client.force_login(outsider)
    page(client, "/dataset/baustellen", status=404)

    member = UserFactory(username="mitglied")
    member_add(org, member, "member")
    client.force_login(member)
    html = page(client, "/dataset/baustellen")
    assert '<span class="badge badge-private">Privat</span>' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    # The API examples need a token.
    assert "-H &#x27;Authorization: &lt;API-TOKEN&gt;&#x27;" in html


def test_deleted_and_unknown_datasets_are_404(client, member_client, catalogue):
    assert "Datensatz nicht gefunden" in page(member_client, "/dataset/alte-daten", status=404)
    page(client.__class__(), "/dataset/alte-daten", status=404)
    page(client, "/dataset/gibt-es-nicht", status=404)


def test_dataset_page_query_count_is_bounded(client, geo_dataset, django_assert_max_num_queries):
    dataset = geo_dataset[0]
    for _ in range(5):
        ResourceFactory(package=dataset, format="CSV")
    # dataset + 3 prefetches, map features, attribute rows; savepoint and release
    with django_assert_max_num_queries(8):
        page(client, "/dataset/baustellen")


def test_dataset_page_for_a_member_query_count(client, org, geo_dataset, django_assert_max_num_queries):
    member = UserFactory(username="mitglied")
    member_add(org, member, "member")
    client.force_login(member)
    # + session, user, memberships
    with django_assert_max_num_queries(11):
        page(client, "/dataset/baustellen")


def test_dataset_page_in_english(client, geo_dataset):
    html = page(client, "/dataset/baustellen", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in html


def test_format_suffixes_are_not_dataset_pages():
    assert resolve("/dataset/baustellen").view_name == "portal:dataset"
    for suffix in (".ttl", ".rdf", ".jsonld"):
        try:
            match = resolve(f"/dataset/baustellen{suffix}")
        except Resolver404:
            continue
        assert match.view_name != "portal:dataset"


# --- organisations and groups --------------------------------------------------------------

def test_organization_list_and_page(client, member_client, catalogue):
    html = page(client.__class__(), "/organization/")
    flat = re.sub(r">\s+<", "><", html)
    assert '<a href="/organization/tiefbauamt">Tiefbauamt</a></h2><p class="entity-count">2 Datensätze</p>' in flat
    assert '<a href="/organization/umweltamt">Umweltamt</a></h2><p>Umwelt und Natur</p>' \
           '<p class="entity-count">2 Datensätze</p>' in flat

    html = page(client.__class__(), "/organization/umweltamt")
    assert "<h1>Umweltamt</h1>" in html and "<p>Umwelt und Natur</p>" in html
    assert '<a href="mailto:umwelt@stadt.example">umwelt@stadt.example</a>' in html
    assert '<a href="https://umwelt.stadt.example/" rel="noopener">' in html
    assert '<h2 id="datasets-title">2 Datensätze</h2>' in html
    assert names(html) == ["baumkataster", "laermkarte"]
    assert '<a href="/dataset/?organization=umweltamt">In der Datensatzsuche filtern</a>' in html

    # A member sees the organisation's private dataset too.
    html = page(member_client, "/organization/tiefbauamt")
    assert '<h2 id="datasets-title">3 Datensätze</h2>' in html
    assert names(html) == ["baustellen", "intern-planung", "radwege"]
    page(client, "/organization/gibt-es-nicht", status=404)


def test_organization_page_is_paged(client, org):
    for i in range(23):
        DatasetFactory(name=f"satz-{i:02d}", title=f"Satz {i:02d}", owner_org=org)
    html = page(client, "/organization/tiefbauamt")
    assert '<h2 id="datasets-title">23 Datensätze</h2>' in html
    assert names(html) == [f"satz-{i:02d}" for i in range(20)]
    html = page(client, "/organization/tiefbauamt?page=2")
    assert names(html) == ["satz-20", "satz-21", "satz-22"]
    assert 'aria-current="page"><span class="visually-hidden">Seite </span>2</a>' in html
    assert "Die Seitenzahl muss eine ganze Zahl ab 1 sein." in page(client, "/organization/tiefbauamt?page=x",
                                                                      status=400)


def test_group_list_and_page(client, catalogue):
    html = page(client, "/group/")
    flat = re.sub(r">\s+<", "><", html)
    assert '<a href="/group/tran">Verkehr</a></h2><p class="entity-count">3 Datensätze</p>' in flat
    assert '<a href="/group/envi">Umwelt</a></h2><p class="entity-count">2 Datensätze</p>' in flat

    html = page(client, "/group/tran")
    assert "<h1>Verkehr</h1>" in html
    assert '<h2 id="datasets-title">3 Datensätze</h2>' in html
    assert names(html) == ["baustellen", "laermkarte", "radwege"]
    assert '<a href="http://publications.europa.eu/resource/authority/data-theme/TRAN">Verkehr (TRAN)</a>' in html
    assert "Gruppe nicht gefunden" in page(client, "/group/gibt-es-nicht", status=404)


def test_organization_and_group_pages_in_english(client, catalogue):
    for url in ("/organization/", "/organization/umweltamt", "/group/", "/group/tran"):
        assert '<html lang="en">' in page(client, url, HTTP_ACCEPT_LANGUAGE="en")
