"""The public list's total: exact up to STADTMELDER["LIST_COUNT_MAX"], a marked lower bound
beyond it (numberMatchedAtLeast instead of numberMatched), in the API, the OpenAPI document
and the map home's list."""
import pytest
from django.template import Context, Template
from django.utils import translation

from reporter.api.views import OFFSET_MAX
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def five(city):
    """Five public reports (and one hidden that never counts), newest last."""
    ReportFactory(category=city.category, moderation="hidden")
    return [ReportFactory(category=city.category) for _ in range(5)]


@pytest.fixture
def cap(settings):
    def set_cap(n):
        settings.STADTMELDER = {**getattr(settings, "STADTMELDER", {}), "LIST_COUNT_MAX": n}
    return set_cap


def _page(api_client, query):
    response = api_client.get(f"/api/v1/reports/?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def _rels(body):
    return [link["rel"] for link in body["links"]]


@pytest.mark.parametrize("limit_cap", [5, 10_000])
def test_totals_up_to_the_cap_are_exact_on_every_page(api_client, five, cap, limit_cap,
                                                      django_assert_max_num_queries):
    cap(limit_cap)
    pages = []
    for offset in (0, 2, 4, 10):
        with django_assert_max_num_queries(3):  # one statement for page and count
            pages.append(_page(api_client, f"limit=2&offset={offset}"))
    assert [p["numberMatched"] for p in pages] == [5, 5, 5, 5]
    assert all("numberMatchedAtLeast" not in p for p in pages)
    assert [p["numberReturned"] for p in pages] == [2, 2, 1, 0]
    assert [_rels(p) for p in pages] == [["next"], ["next", "prev"], ["prev"], ["prev"]]
    ids = [f["id"] for p in pages for f in p["features"]]
    assert ids == [r.pk for r in reversed(five)]


def test_over_the_cap_the_total_is_a_marked_lower_bound(api_client, five, cap):
    cap(3)
    first = _page(api_client, "limit=2")
    assert "numberMatched" not in first
    assert (first["numberMatchedAtLeast"], first["numberReturned"], _rels(first)) == (4, 2, ["next"])
    # A full page ending beyond the cap is not counted: at least the reports up to one after it.
    second = _page(api_client, "limit=2&offset=2")
    assert "numberMatched" not in second
    assert (second["numberMatchedAtLeast"], second["numberReturned"], _rels(second)) == (5, 2, ["next", "prev"])
    # The last page ends the list: its total is known exactly.
    last = _page(api_client, "limit=2&offset=4")
    assert (last["numberMatched"], last["numberReturned"], _rels(last)) == (5, 1, ["prev"])
    assert "numberMatchedAtLeast" not in last
    # Past the end: counted up to the cap, still more than it.
    beyond = _page(api_client, "limit=2&offset=10")
    assert "numberMatched" not in beyond
    assert (beyond["numberMatchedAtLeast"], beyond["features"], _rels(beyond)) == (4, [], ["prev"])


def test_a_page_at_the_cap_is_exact(api_client, five, cap):
    cap(5)  # exactly as many as match: counted in full
    body = _page(api_client, "limit=1")
    assert (body["numberMatched"], "numberMatchedAtLeast" in body) == (5, False)
    cap(4)
    body = _page(api_client, "limit=1")
    assert (body["numberMatchedAtLeast"], "numberMatched" in body) == (5, False)


@pytest.mark.parametrize("query", [
    f"offset={OFFSET_MAX}", f"offset={OFFSET_MAX}&limit=1000", "limit=100000", "bbox=-180,-90,180,90&limit=1",
    "bbox=12.0,50.0,12.0,50.0", "status=open&category=schlagloch&limit=1&offset=3",
])
def test_no_server_error_whatever_the_page(api_client, five, cap, query):
    cap(3)
    assert api_client.get(f"/api/v1/reports/?{query}").status_code == 200


def test_the_openapi_document_describes_the_lower_bound(api_client):
    response = api_client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    listed = schema["paths"]["/api/v1/reports/"]["get"]["responses"]["200"]["content"]["application/geo+json"]
    name = listed["schema"]["$ref"].rsplit("/", 1)[1]
    properties = schema["components"]["schemas"][name]["properties"]
    assert {"numberMatched", "numberMatchedAtLeast", "numberReturned", "links", "features"} <= set(properties)
    assert "lower bound" in properties["numberMatchedAtLeast"]["description"]
    assert "numberMatched" not in schema["components"]["schemas"][name].get("required", [])


def test_home_list_says_more_than_the_cap(client, five, cap, monkeypatch):
    monkeypatch.setattr("frontend.views.map.LIST_PAGE_SIZE", 2)
    cap(3)
    html = client.get("/").content.decode()
    assert "Mehr als 3 Meldungen passen zum Filter." in html
    assert 'href="?seite=2" rel="next"' in html
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "More than 3 reports match the filter." in html
    cap(5)
    html = client.get("/").content.decode()
    assert "5 Meldungen passen zum Filter." in html and "Mehr als 4 Meldungen passen" not in html


def test_home_writes_the_cap_with_thousands_separators():
    template = Template('{% load i18n %}{% blocktranslate with count=n|floatformat:"0g" %}'
                        'Mehr als {{ count }} Meldungen passen zum Filter.{% endblocktranslate %}')
    for language, text in [("de", "Mehr als 10.000 Meldungen passen zum Filter."),
                           ("en", "More than 10,000 reports match the filter.")]:
        with translation.override(language):
            assert template.render(Context({"n": 10_000})) == text


@pytest.mark.parametrize("bad", [-1, "10", True])
def test_a_malformed_cap_is_a_configuration_error(five, cap, bad):
    from django.core.exceptions import ImproperlyConfigured

    from reporter.selectors import ReportListFilter, report_list_geojson

    cap(bad)
    with pytest.raises(ImproperlyConfigured, match="LIST_COUNT_MAX"):
        report_list_geojson(filters=ReportListFilter(limit=2))
