"""The OGC API – Features black-box verifier `ogctests` (PyPI) against a live instance of
our app, for every conformance class we declare that it has tests for.

The suite runs in its own virtualenv (`.venv-ogctests`, scripts/ogctests_venv.sh: its
pins would move the project's pytest and httpx) as a child process against Django's live
server, which sees the committed rows of a transactional test. Each scope must exit 0 and
have run the number of tests expected of it, read from its JUnit report: a scope that
collects nothing, or an upgrade that adds tests, does not pass unnoticed.

Excluded are only tests that fail through a bug of ogctests 0.1.15 against the standard,
each with the reason (the README's "OGC conformance" repeats them); the abstract tests they
were meant to run are checked by tests/opendata/ogc where noted.
"""
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from opendata.ogc.openapi import CONFORMANCE_CLASSES

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv-ogctests" / "bin" / "python"
RUNNER = Path(__file__).with_name("run_scope.py")

# Every class we declare (opendata.ogc.openapi) → the ogctests scope that tests it, or None
# where ogctests 0.1.15 has no tests for it (said in the README).
_CORE, _FILTERING = "features/core", "features/filtering"
_P1, _P3, _CQL2 = ("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/",
                   "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/", "http://www.opengis.net/spec/cql2/1.0/conf/")
SCOPE_OF_CLASS = {
    _P1 + "core": _CORE, _P1 + "oas30": _CORE, _P1 + "geojson": _CORE, _P1 + "html": None,
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs": None,
    _P3 + "queryables": _FILTERING, _P3 + "queryables-query-parameters": _FILTERING, _P3 + "filter": _FILTERING,
    _P3 + "features-filter": None,
    **{_CQL2 + name: None for name in (
        "cql2-text", "cql2-json", "basic-cql2", "advanced-comparison-operators", "case-insensitive-comparison",
        "basic-spatial-functions", "basic-spatial-functions-plus", "spatial-functions")},
    # OGC API – Tiles and the tile matrix set: ogctests has no tiles scope (tests/opendata/ogc/test_tiles.py).
    **{"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/" + name: None for name in (
        "core", "tileset", "tilesets-list", "geodata-tilesets", "mvt", "oas30")},
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset": None,
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset": None,
}

# Tests of ogctests 0.1.15 that cannot pass against any server that follows the standard.
# Its parse_link_header stores a link's target under "iri" (with the angle brackets) and
# keeps the quotes of every parameter value; test_ct2 reads "href" and compares the quoted
# rel with the bare URI, so it finds no queryables link in any RFC 8288 Link header, and
# every later test reads what test_ct2/test_ct3 were to store (KeyError).
_NO_HREF = ("ogctests' Link header parser never yields an href and keeps the rel's quotes, which RFC 8288 §3.3 "
            "requires for a URI relation type; ours sends <…/queryables>; rel=\"http://www.opengis.net/def/rel/"
            "ogc/1.0/queryables\" (tests/opendata/ogc/test_views.py: test_items_link_header)")
_FROM_CT3 = "reads resource['queryable'|'additional_properties'|'spatial_queryable'], which only test_ct3 stores"
EXCLUDED = {
    "test_ct2": (_FILTERING, "/conf/queryables/get-queryables-uris: " + _NO_HREF),
    "test_ct3": (_FILTERING, "/conf/queryables/get-queryables: GETs the queryables URI that test_ct2 could not "
                             "store (" + _NO_HREF + "); ours: test_crs_filter.py test_*_queryables_*"),
    "test_ct5": (_FILTERING, "/conf/queryables-query-parameters/query-param: " + _FROM_CT3),
    "test_ct7": (_FILTERING, "/conf/filter/filter-param: " + _FROM_CT3 + "; it also sends the dict "
                             "{'name': 'cql2-text', 'default': True} as filter-lang and `q=valid`, where an "
                             "unquoted valid is a property, not a string (OGC 21-065 §7.2)"),
    "test_ct8": (_FILTERING, "/conf/filter/filter-lang-default: " + _FROM_CT3 + "; it also indexes that string "
                             "as a dict (queryable['key'])"),
    "test_ct9": (_FILTERING, "/conf/filter/expression-construction: " + _FROM_CT3),
    "test_ct10": (_FILTERING, "/conf/filter/filter-crs-wgs84: " + _FROM_CT3 + "; it also uses the undefined "
                              "name CQL2_FILTER_LANG (NameError) and asserts nothing"),
}

# How many tests each scope must run (after the exclusions): all 29 of core; test_ct1,
# test_ct4 and test_ct6 of filtering (they need the items' Link header, see views._link_header).
EXPECTED_RUN = {_CORE: 29, _FILTERING: 3}


def _venv() -> Path:
    """The suite's venv, created on first use when `make test`'s set-up did not already."""
    subprocess.run(["bash", str(ROOT / "scripts" / "ogctests_venv.sh")], check=True, timeout=900)
    return PYTHON


def _run_scope(python: Path, scope: str, url: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, ET.Element]:
    junit = tmp_path / f"{scope.replace('/', '-')}.xml"
    deselect = [name for name, (where, _reason) in EXCLUDED.items() if where == scope]
    flags = ["-k", " and ".join(f"not {name}" for name in deselect)] if deselect else []
    # `-c /dev/null`: the project's pytest settings (addopts --reuse-db) are not the suite's.
    done = subprocess.run([str(python), str(RUNNER), scope, url, str(junit), "-c", "/dev/null", "--rootdir",
                           str(tmp_path), "-q", "--tb=short", "-rfE", *flags],
                          capture_output=True, text=True, timeout=180, cwd=tmp_path, check=False)
    return done, ET.parse(junit).getroot()


def test_every_declared_class_is_mapped_to_a_scope_or_to_none():
    assert sorted(SCOPE_OF_CLASS) == sorted(CONFORMANCE_CLASSES)


def test_ogctests_passes_for_every_declared_class_it_tests(live_server, ogc_data, tmp_path):
    python = _venv()
    scopes = sorted({scope for scope in SCOPE_OF_CLASS.values() if scope})
    assert scopes == [_CORE, _FILTERING]
    for scope in scopes:
        done, report = _run_scope(python, scope, f"{live_server.url}/ogc", tmp_path)
        cases = report.findall(".//testcase")
        failed = [case.get("name") for case in cases if case.find("failure") is not None
                  or case.find("error") is not None]
        skipped = [case.get("name") for case in cases if case.find("skipped") is not None]
        assert (done.returncode, failed, skipped) == (0, [], []), done.stdout[-6000:]
        assert len(cases) == EXPECTED_RUN[scope], [case.get("name") for case in cases]
        assert not {case.get("name") for case in cases} & set(EXCLUDED)
