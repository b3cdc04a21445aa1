"""The DCAT-AP.de catalogue with 3,000 datasets: a `/catalog.ttl` page (100 datasets, two
distributions each) vs `package_search` returning the same 100 datasets as CKAN JSON.

Both go through Django's full request stack and read the same prefetched rows; the
difference is building and serialising the RDF graph (rdflib) instead of JSON. Also
timed: walking all 30 pages as a harvester does. Expect several times the JSON: most of
a page is rdflib (about 6,000 triples added, then the Turtle serialiser's prefix search).
"""
import time

from django.contrib.gis.geos import Polygon
from django.db import connection
from django.test import Client

from opendata.models import Dataset, Group, Organization, Resource, Tag

from .common import best_of

DATASETS = 3000
PER_PAGE = 100
REQUESTS = 5


def _setup():
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE opendata_dataset, opendata_organization, opendata_tag CASCADE")
    orgs = Organization.objects.bulk_create(
        [Organization(name=f"amt-{i}", title=f"Amt {i}", email=f"amt{i}@stadt.example") for i in range(20)])
    tags = Tag.objects.bulk_create([Tag(name=f"schlagwort-{i}") for i in range(50)])
    themes = list(Group.objects.exclude(theme=""))
    extent = Polygon.from_bbox((12.0, 50.85, 12.1, 50.9))
    extent.srid = 4326
    datasets = Dataset.objects.bulk_create([
        Dataset(name=f"datensatz-{i:05d}", title=f"Datensatz {i}", notes="Beschreibung " * 20,
                owner_org=orgs[i % len(orgs)], license_id="dl-by-de/2.0", maintainer="Sachgebiet",
                maintainer_email="daten@stadt.example", spatial=extent, frequency="MONTHLY",
                contributor_id="http://dcat-ap.de/def/contributors/stadtGera")
        for i in range(DATASETS)
    ])
    Dataset.tags.through.objects.bulk_create([Dataset.tags.through(dataset=d, tag=tags[(i + k) % len(tags)])
                                              for i, d in enumerate(datasets) for k in range(3)])
    if themes:
        Dataset.groups.through.objects.bulk_create([
            Dataset.groups.through(dataset=d, group=themes[i % len(themes)]) for i, d in enumerate(datasets)])
    Resource.objects.bulk_create([
        Resource(package=d, name=f"Datei {k}", url=f"https://daten.stadt.example/{d.name}.{ext}", format=fmt,
                 mimetype=mime, size=1234, position=k)
        for d in datasets
        for k, (ext, fmt, mime) in enumerate([("csv", "CSV", "text/csv"),
                                              ("geojson", "GeoJSON", "application/geo+json")])
    ])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE opendata_dataset; ANALYZE opendata_resource")


def run() -> None:
    _setup()
    client = Client()
    catalog = client.get("/catalog.ttl")
    assert catalog.status_code == 200, catalog.content[:200]
    search = client.get("/api/3/action/package_search", {"rows": PER_PAGE, "sort": "name asc"})
    assert search.status_code == 200 and len(search.json()["result"]["results"]) == PER_PAGE

    def ours():
        for _ in range(REQUESTS):
            assert client.get("/catalog.ttl?page=7").status_code == 200

    def baseline():
        for _ in range(REQUESTS):
            assert client.get("/api/3/action/package_search",
                              {"rows": PER_PAGE, "start": 6 * PER_PAGE, "sort": "name asc"}).status_code == 200

    t_json = best_of(baseline)
    t_ttl = best_of(ours)
    t0 = time.perf_counter()
    pages = 0
    for page in range(1, DATASETS // PER_PAGE + 1):
        assert client.get(f"/catalog.ttl?page={page}").status_code == 200
        pages += 1
    t_walk = time.perf_counter() - t0
    print(f"dcat: /catalog.ttl page of {PER_PAGE} datasets ({DATASETS} in catalogue) "
          f"{t_ttl / REQUESTS * 1000:.0f} ms, package_search rows={PER_PAGE} JSON {t_json / REQUESTS * 1000:.0f} ms; "
          f"ratio {t_ttl / t_json:.2f}x; all {pages} pages {t_walk:.1f} s")
