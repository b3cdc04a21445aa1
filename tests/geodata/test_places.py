"""The gazetteer: search (ranking, accents, abbreviations, typos), resolution, `import_places`."""
import io
import json

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from geodata.errors import PlaceImportError
from geodata.models import JurisdictionArea, Place
from geodata.selectors import place_resolve, place_search
from geodata.services import place_import
from tests.factories import city_build

pytestmark = pytest.mark.django_db


def place(name, kind="street", lon=12.05, lat=50.875, alt_names=""):
    return Place.objects.create(name=name, kind=kind, point=Point(lon, lat, srid=4326), alt_names=alt_names)


@pytest.fixture
def gazetteer():
    return {
        "johannisplatz": place("Johannisplatz", "square", 12.08, 50.88),
        "theater": place("Theater Gera", "landmark", 12.075, 50.883, alt_names="Bühnen der Stadt Gera"),
        "theaterplatz": place("Theaterplatz", "square", 12.076, 50.882),
        "schloss": place("Schloßstraße", "street", 12.081, 50.881, alt_names="Schlossstraße"),
        "friedens": place("Straße des Friedens", "street", 12.092, 50.87),
        "zwoetzen": place("Zwötzen", "district", 12.085, 50.86),
        "markt": place("Markt", "square", 12.0819, 50.8787, alt_names="Marktplatz"),
        "marktgasse": place("Marktgasse", "street", 12.082, 50.879),
    }


@pytest.mark.parametrize("query, expected", [
    ("Johannisplatz", "Johannisplatz"),
    ("johannisplatz", "Johannisplatz"),
    ("johanisplatz", "Johannisplatz"),  # typo: trigram similarity
    ("Johannispl.", "Johannisplatz"),
    ("Schlossstr. 5", "Schloßstraße"),  # ß = ss, abbreviation, house number
    ("schloßstraße", "Schloßstraße"),
    ("Str. des Friedens", "Straße des Friedens"),
    ("friedens", "Straße des Friedens"),  # a word of the name starts with it
    ("Zwotzen", "Zwötzen"),  # unaccented
    ("Bühnen", "Theater Gera"),  # another name
    ("Marktplatz", "Markt"),  # another name, exactly
])
def test_place_search_finds_the_place_first(gazetteer, query, expected):
    assert place_search(q=query)[0].name == expected


def test_place_search_ranks_exact_then_prefix_then_word_then_contained(gazetteer):
    assert [p.name for p in place_search(q="markt")] == ["Markt", "Marktgasse"]
    results = place_search(q="theater")
    assert [p.name for p in results] == ["Theater Gera", "Theaterplatz"]
    assert [p.tier for p in results] == [1, 1]


def test_place_search_ignores_too_short_and_escapes_like_wildcards(gazetteer):
    assert place_search(q="j") == []
    assert place_search(q="  ") == []
    assert place_search(q="%%") == []
    assert place_search(q="__") == []


def test_place_search_limit_is_capped(gazetteer):
    for n in range(30):
        place(f"Gartenweg {chr(65 + n % 26)}{n}")
    assert len(place_search(q="Gartenweg", limit=5)) == 5
    assert len(place_search(q="Gartenweg", limit=500)) == 20


def test_place_resolve_exact_single_ambiguous_and_unknown(gazetteer):
    assert place_resolve(q="Johannisplatz").place.name == "Johannisplatz"
    typo = place_resolve(q="johanisplatz")  # the only result, but not what was typed: the user must choose
    assert typo.place is None and typo.is_suggestion and [p.name for p in typo.candidates] == ["Johannisplatz"]
    ambiguous = place_resolve(q="theater")
    assert ambiguous.place is None
    assert [p.name for p in ambiguous.candidates] == ["Theater Gera", "Theaterplatz"]
    assert place_resolve(q="Markt").place.name == "Markt"  # exact beats "Marktgasse"
    nothing = place_resolve(q="Atlantis")
    assert nothing.place is None and nothing.candidates == []


# --- import_places ---------------------------------------------------------------------------

def import_places(path, *args):
    out = io.StringIO()
    call_command("import_places", str(path), *args, stdout=out)
    return out.getvalue()


def test_import_csv_creates_updates_and_is_idempotent(tmp_path):
    city_build()
    path = tmp_path / "orte.csv"
    path.write_text("name,kind,lon,lat,alt_names\n"
                    "Johannisplatz,square,12.08,50.88,\n"
                    "Heinrichstraße,street,12.0837,50.8781,Heinrichstr;Heinrich-Straße\n"
                    "\n"
                    "Bieblach,Stadtteil,12.078,50.899,\n", encoding="utf-8")
    assert "3 neu, 0 aktualisiert" in import_places(path)
    street = Place.objects.get(name="Heinrichstraße")
    assert (street.kind, street.point.srid, street.point.x, street.point.y) == ("street", 4326, 12.0837, 50.8781)
    assert street.alt_name_list == ["Heinrichstr", "Heinrich-Straße"]
    assert Place.objects.get(name="Bieblach").kind == "district"
    assert "0 neu, 0 aktualisiert" in import_places(path)
    path.write_text("name,kind,lon,lat\nJohannisplatz,square,12.081,50.88\n", encoding="utf-8")
    assert "0 neu, 1 aktualisiert" in import_places(path)
    assert Place.objects.get(name="Johannisplatz").point.x == 12.081
    assert Place.objects.count() == 3
    assert "0 neu, 0 aktualisiert, 2 entfernt" in import_places(path, "--replace")
    assert list(Place.objects.values_list("name", flat=True)) == ["Johannisplatz"]


def test_import_semicolon_csv_with_decimal_comma_and_bom(tmp_path):
    path = tmp_path / "orte.csv"
    path.write_bytes("\ufeffname;kind;lon;lat\nMarkt;Platz;12,0819;50,8787\n".encode())
    import_places(path)
    markt = Place.objects.get()
    assert (markt.name, markt.kind, markt.point.x, markt.point.y) == ("Markt", "square", 12.0819, 50.8787)


def test_import_geojson(tmp_path):
    path = tmp_path / "orte.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [12.0753, 50.8826]},
         "properties": {"name": "Theater Gera", "kind": "landmark", "alt_names": ["Bühnen der Stadt Gera"]}},
    ]}), encoding="utf-8")
    assert "1 neu" in import_places(path)
    theater = Place.objects.get()
    assert (theater.point.x, theater.point.y, theater.alt_names) == (12.0753, 50.8826, "Bühnen der Stadt Gera")


@pytest.mark.parametrize("name, content, message", [
    ("orte.csv", "name,lon,lat\nMarkt,12.08,50.88\n", "fehlen die Spalten: kind"),
    ("orte.csv", "name,kind,lon,lat\nMarkt,brunnen,12.08,50.88\n", "Zeile 2: unbekannte Art „brunnen“"),
    ("orte.csv", "name,kind,lon,lat\n,street,12.08,50.88\n", "Zeile 2: Name fehlt"),
    ("orte.csv", "name,kind,lon,lat\nMarkt,square,abc,50.88\n", "Zeile 2: lon „abc“ ist keine Länge"),
    ("orte.csv", "name,kind,lon,lat\nMarkt,square,12.08,91\n", "Zeile 2: lat „91“ ist keine Breite"),
    ("orte.csv", "name,kind,lon,lat\nMarkt,square,12.08,50.88\nMarkt,square,12.09,50.88\n",
     "Zeile 3: „Markt“ (square) kommt schon in Zeile 2 vor"),
    ("orte.csv", "name,kind,lon,lat\n", "enthält keine Orte"),
    ("orte.txt", "name,kind,lon,lat\n", "Dateiformat „.txt“ wird nicht unterstützt"),
    ("orte.geojson", "{not json", "kein gültiges JSON"),
    ("orte.geojson", json.dumps({"type": "Feature"}), "GeoJSON-FeatureCollection"),
    ("orte.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[12, 50], [12.1, 50]]},
         "properties": {"name": "Weg", "kind": "street"}}]}), "Objekt 1: Geometrie muss ein Point sein"),
    ("orte.geojson", json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {
        "name": "urn:ogc:def:crs:EPSG::25833"}}, "features": []}), "EPSG::25833“ wird nicht unterstützt"),
])
def test_import_refuses_bad_files_and_writes_nothing(tmp_path, name, content, message):
    place("Bestand")
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        import_places(path)
    assert str(error.value).startswith("Import abgebrochen, nichts geschrieben:")
    assert message in str(error.value)
    assert list(Place.objects.values_list("name", flat=True)) == ["Bestand"]


def test_import_refuses_non_utf8_and_missing_file(tmp_path):
    path = tmp_path / "orte.csv"
    path.write_bytes("name,kind,lon,lat\nStraße,street,12.08,50.88\n".encode("latin-1"))
    with pytest.raises(CommandError, match="nicht UTF-8-kodiert"):
        import_places(path)
    with pytest.raises(CommandError, match="gibt es nicht"):
        import_places(tmp_path / "fehlt.csv")
    assert not Place.objects.exists()


def test_import_refuses_places_far_outside_the_city_swapped_axes(tmp_path):
    city_build()  # boundary 12.00–12.10 / 50.85–50.90
    path = tmp_path / "orte.csv"
    path.write_text("name,kind,lon,lat\nMarkt,square,12.08,50.88\nJohannisplatz,square,50.88,12.08\n"
                    "Am Rand,street,12.101,50.88\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        import_places(path)
    assert "nichts geschrieben: 1 Ort liegt außerhalb der Stadt:\n  Zeile 3:" in str(error.value)
    assert "Zeile 3: „Johannisplatz“ (lon 50.88, lat 12.08) liegt" in str(error.value)
    assert "lon und lat vertauscht?" in str(error.value)
    assert not Place.objects.exists()


def test_import_error_headings_have_real_plurals(tmp_path):
    """German "1 Ort liegt …" / "2 Orte liegen …"; English "1 error" / "2 errors" (ngettext)."""
    city_build()
    path = tmp_path / "orte.csv"

    def heading(content: str, language: str) -> str:
        path.write_text("name,kind,lon,lat\n" + content, encoding="utf-8")
        with translation.override(language), pytest.raises(PlaceImportError) as error:
            place_import(path=path, replace=False)
        return str(error.value).split("\n")[0]

    swapped_one, swapped_two = "Johannisplatz,square,50.88,12.08\n", "Markt,square,50.881,12.081\n"
    assert heading(swapped_one, "de") == "1 Ort liegt außerhalb der Stadt:"
    assert heading(swapped_one + swapped_two, "de") == "2 Orte liegen außerhalb der Stadt:"
    assert heading(swapped_one, "en") == "1 place is outside the city:"
    assert heading(swapped_one + swapped_two, "en") == "2 places are outside the city:"
    nameless_one, nameless_two = ",street,12.08,50.88\n", ",street,12.09,50.88\n"
    assert heading(nameless_one, "de") == "1 Fehler in orte.csv:"
    assert heading(nameless_one + nameless_two, "de") == "2 Fehler in orte.csv:"
    assert heading(nameless_one, "en") == "1 error in orte.csv:"
    assert heading(nameless_one + nameless_two, "en") == "2 errors in orte.csv:"
    assert not Place.objects.exists()


def test_load_demo_gazetteer_is_inside_the_demo_city_and_idempotent():
    from reporter.management.commands.load_demo import PLACES

    call_command("load_demo", "--reports", "0", stdout=io.StringIO())
    call_command("load_demo", "--reports", "0", stdout=io.StringIO())
    assert Place.objects.filter(is_demo=True).count() == len(PLACES) >= 25
    assert {"street", "square", "landmark", "district"} <= set(Place.objects.values_list("kind", flat=True))
    boundary = JurisdictionArea.objects.get(layer__slug="stadtgrenze").geom
    assert all(boundary.covers(p.point) for p in Place.objects.all())
    assert place_search(q="Johannisplatz")[0].name == "Johannisplatz"
