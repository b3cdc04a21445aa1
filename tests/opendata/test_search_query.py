"""The Solr q/fq parser and its fields (opendata.search.query, .fields): each construct CKAN clients send, checked
against real rows, plus the errors it raises for what it cannot read."""
from datetime import UTC, datetime

import pytest
import time_machine

from opendata.errors import SearchQueryError
from opendata.models import Dataset
from opendata.search.fields import counts_annotate, datetime_parse
from opendata.search.query import query_parse
from tests.opendata.factories import DatasetFactory, OrganizationFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(org):
    """Four datasets in two organisations with tags, groups, formats and dates."""
    umwelt = OrganizationFactory(name="umweltamt", title="Umweltamt")
    with time_machine.travel(datetime(2023, 3, 1, 12, tzinfo=UTC), tick=False):
        DatasetFactory(name="baustellen", title="Baustellen", owner_org=org, tags=["verkehr", "baustellen"],
                       groups=["tran"], license_id="dl-by-de/2.0")
    with time_machine.travel(datetime(2024, 2, 1, 12, tzinfo=UTC), tick=False):
        radwege = DatasetFactory(name="radwege", title="Radwege im Stadtgebiet", owner_org=org,
                                 tags=["verkehr", "Rad Verkehr"], groups=["tran"], license_id="cc-by/4.0")
        ResourceFactory(package=radwege, format="GeoJSON")
    with time_machine.travel(datetime(2024, 6, 15, 12, tzinfo=UTC), tick=False):
        baeume = DatasetFactory(name="baumkataster", title="Baumkataster", owner_org=umwelt, tags=["umwelt"],
                                groups=["envi"], license_id="dl-zero-de/2.0", extras={"quelle": "gis"})
        ResourceFactory(package=baeume, format="CSV")
        ResourceFactory(package=baeume, format="GeoJSON")
    with time_machine.travel(datetime(2024, 9, 1, 12, tzinfo=UTC), tick=False):
        DatasetFactory(name="laerm", title="Lärmkarte", owner_org=umwelt, tags=["umwelt", "verkehr"],
                       license_id="cc-by/4.0")


def names(query: str) -> list[str]:
    queryset = counts_annotate(Dataset.objects.all()).filter(query_parse(query).q)
    return sorted(queryset.values_list("name", flat=True))


@pytest.mark.parametrize("query, expected", [
    ("", ["baumkataster", "baustellen", "laerm", "radwege"]),
    ("*:*", ["baumkataster", "baustellen", "laerm", "radwege"]),
    ("organization:umweltamt", ["baumkataster", "laerm"]),
    ("tags:verkehr", ["baustellen", "laerm", "radwege"]),
    ('tags:"Rad Verkehr"', ["radwege"]),
    ("tags:Rad\\ Verkehr", ["radwege"]),
    ("groups:tran", ["baustellen", "radwege"]),
    ("res_format:GeoJSON", ["baumkataster", "radwege"]),
    ("res_format:geojson", ["baumkataster", "radwege"]),
    ("license_id:cc-by/4.0", ["laerm", "radwege"]),
    ('license_id:"dl-zero-de/2.0"', ["baumkataster"]),
    ("name:radwege", ["radwege"]),
    ("name:ba*", ["baumkataster", "baustellen"]),
    ("title:stadtgebiet", ["radwege"]),
    ("extras_quelle:gis", ["baumkataster"]),
    ("extras_quelle:*", ["baumkataster"]),
    # implicit AND, explicit AND/&&, required +
    ("tags:verkehr organization:umweltamt", ["laerm"]),
    ("tags:verkehr AND organization:umweltamt", ["laerm"]),
    ("+tags:verkehr && +organization:umweltamt", ["laerm"]),
    # OR
    ("organization:umweltamt OR groups:tran", ["baumkataster", "baustellen", "laerm", "radwege"]),
    ("tags:umwelt OR name:radwege", ["baumkataster", "laerm", "radwege"]),
    ("tags:(umwelt OR baustellen)", ["baumkataster", "baustellen", "laerm"]),
    ("res_format:CSV || name:laerm", ["baumkataster", "laerm"]),
    # negation
    ("-tags:verkehr", ["baumkataster"]),
    ("NOT tags:verkehr", ["baumkataster"]),
    ("!organization:tiefbauamt", ["baumkataster", "laerm"]),
    ("tags:verkehr -organization:umweltamt", ["baustellen", "radwege"]),
    ("tags:verkehr AND NOT (groups:tran OR name:laerm)", []),
    ("(organization:tiefbauamt OR tags:umwelt) -res_format:CSV", ["baustellen", "laerm", "radwege"]),
    # ranges and dates
    ("metadata_modified:[2024-01-01T00:00:00Z TO *]", ["baumkataster", "laerm", "radwege"]),
    ("metadata_modified:[* TO 2024-01-01T00:00:00Z]", ["baustellen"]),
    ("metadata_modified:[2024-02-01T12:00:00Z TO 2024-06-15T12:00:00Z]", ["baumkataster", "radwege"]),
    ("metadata_modified:{2024-02-01T12:00:00Z TO 2024-06-15T12:00:00Z}", []),
    ("metadata_created:[2024-06-01 TO 2024-07-01]", ["baumkataster"]),
    ("metadata_modified:2024-06-15", ["baumkataster"]),
    ("num_resources:[2 TO *]", ["baumkataster"]),
    ("num_resources:0", ["baustellen", "laerm"]),
    ("num_tags:[2 TO 2]", ["baustellen", "laerm", "radwege"]),
    # constants CKAN clients add
    ("+dataset_type:dataset", ["baumkataster", "baustellen", "laerm", "radwege"]),
    ("type:harvest", []),
    ("capacity:public", ["baumkataster", "baustellen", "laerm", "radwege"]),
    ('site_id:"default"', ["baumkataster", "baustellen", "laerm", "radwege"]),
    # bare words are full-text terms
    ("baumkataster", ["baumkataster"]),
    ("radwege organization:tiefbauamt", ["radwege"]),
    # boosts weight the score and never change the matches
    ("title:Radwege^2", ["radwege"]),
    ("title:Radwege^2 OR tags:umwelt^0.5", ["baumkataster", "laerm", "radwege"]),
    ('(tags:umwelt OR name:radwege)^3 -name:laerm', ["baumkataster", "radwege"]),
    ("baumkataster^4", ["baumkataster"]),
    # phrases: the words in this order
    ('"Radwege im Stadtgebiet"', ["radwege"]),
    ('"Radwege Stadtgebiet"', []),
    ('title:"Radwege im"^2', ["radwege"]),
    # open ranges
    ("num_resources:>=2", ["baumkataster"]),
    ("num_resources:<1", ["baustellen", "laerm"]),
    ("metadata_modified:>2024-06-15T12:00:00Z", ["laerm"]),
    # escapes
    ("name:radweg\\e", ["radwege"]),
    ("license_id:cc\\-by\\/4.0", ["laerm", "radwege"]),
])
def test_query(catalogue, query, expected):
    assert names(query) == expected


@time_machine.travel(datetime(2024, 9, 2, 8, tzinfo=UTC), tick=False)
def test_date_math(catalogue):
    assert names("metadata_modified:[NOW-7DAYS TO NOW]") == ["laerm"]
    assert names("metadata_modified:[NOW/YEAR TO *]") == ["baumkataster", "laerm", "radwege"]
    assert names("metadata_modified:[NOW-1YEAR/DAY TO NOW-1DAY]") == ["baumkataster", "radwege"]
    assert datetime_parse("NOW-1MONTH/DAY") == datetime(2024, 8, 2, tzinfo=UTC)
    with time_machine.travel(datetime(2024, 3, 31, 10, tzinfo=UTC), tick=False):
        assert datetime_parse("NOW-1MONTH") == datetime(2024, 2, 29, 10, tzinfo=UTC)
        assert datetime_parse("NOW+1YEAR/MONTH") == datetime(2025, 3, 1, tzinfo=UTC)
        assert datetime_parse("NOW-2HOURS") == datetime(2024, 3, 31, 8, tzinfo=UTC)


@pytest.mark.parametrize("query, message", [
    ("farbe:blau", "undefined field farbe"),
    ("tags:(a OR b", "unexpected end of expression (maybe due to unmatched parenthesis)"),
    ('tags:"offen', "Illegal character '\"offen' at position 5"),
    ("metadata_modified:[2024 TO]", "unexpected  ']' at position 26"),
    ("metadata_modified:[gestern TO *]", "Invalid Date String:'gestern'"),
    ("metadata_modified:[NOW-3WOCHEN TO *]", "Invalid Date Math String:'NOW-3WOCHEN'"),
    ("num_resources:[a TO 2]", "Invalid Number: a"),
    ("name:[a TO b]", "range queries are not supported on field name"),
    ("tags:", "Cannot parse 'tags:': Syntax error in input : unexpected end of expression"),
    ("name:*a*", "wildcards are only supported at the end of a value: *a*"),
    ("name:b?um", "wildcards are only supported at the end of a value: b?um"),
    (")", "unexpected  ')' at position 0"),
    # What PostgreSQL's full-text search cannot answer without changing the matches: a clear error.
    ("title:Baumkatastr~", "fuzzy searches are not supported: Baumkatastr~"),
    ("Baumkatastr~1", "fuzzy searches are not supported: Baumkatastr~1"),
    ('"Radwege Stadtgebiet"~3', 'proximity searches are not supported: "Radwege Stadtgebiet"~3'),
    ("name:/ba.*/", "regular expressions are not supported: /ba.*/"),
    ("tags:verkehr && ", "'&&' or '||' without a clause on both sides"),
    ("|| tags:verkehr", "'||' without a clause on both sides"),
    ("tags:(name:a)", "a field inside field tags"),
])
def test_query_errors(query, message):
    with pytest.raises(SearchQueryError) as excinfo:
        query_parse(query)
    assert message in excinfo.value.message
