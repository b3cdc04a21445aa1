"""English translation: the catalogue is complete and compiled, and pages, API errors, emails to
reporters and the operator commands come out in the right language.

German is the source language; `locale/en/LC_MESSAGES/django.po` holds the English texts. The
Django test client leaves the language of its last request active in the thread, so every test
here restores the language it found (see `_restore_language`).
"""
import ast
import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.utils import translation
from rest_framework.test import APIClient

from geodata.models import JurisdictionArea
from reporter.models import Report
from tests.factories import ReportFactory, UserFactory

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# Placeholders and markup that a translation must keep exactly: %(name)s, %(lat).6f, %s, %%,
# {value}, and HTML tags.
_TOKENS = re.compile(r"%\([A-Za-z_]+\)[-#0 +]*\d*(?:\.\d+)?[sdfi]|%%|%[sd]|\{[A-Za-z_]*\}|<[^>]+>")


@pytest.fixture(autouse=True)
def _restore_language():
    before = translation.get_language()
    yield
    if before:
        translation.activate(before)
    else:
        translation.deactivate()


# --- the catalogue ----------------------------------------------------------------

def po_entries(text: str) -> list[dict]:
    """The entries of a .po file: {"flags", "msgid", "msgid_plural", "msgstr": {index: text}}."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry = {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {},
                 "obsolete": False}
        key = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?) (".*")$', line):
                name, index, value = match.groups()
                key = int(index or 0) if name.startswith("msgstr") else name
                (entry["msgstr"] if isinstance(key, int) else entry)[key] = ast.literal_eval(value)
            else:  # a continuation line of the last keyword
                (entry["msgstr"] if isinstance(key, int) else entry)[key] += ast.literal_eval(line)
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    entries = [e for e in po_entries(PO_PATH.read_text(encoding="utf-8")) if not e["obsolete"]]
    assert entries[0]["msgid"] == "", "the .po file starts with its header"
    return entries


def test_header_is_english_and_not_fuzzy(catalogue):
    header = catalogue[0]
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"][0]
    assert "Content-Type: text/plain; charset=UTF-8\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header["msgstr"][0]


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    entries = catalogue[1:]
    assert len(entries) > 500
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in entries if not e["msgstr"] or not all(e["msgstr"].values())]
    assert (fuzzy, untranslated) == ([], [])
    plurals = [e for e in entries if e["msgid_plural"] is not None]
    assert plurals and all(sorted(e["msgstr"]) == [0, 1] for e in plurals)


def test_translations_keep_placeholders_and_markup(catalogue):
    broken = []
    for e in catalogue[1:]:
        sources = [e["msgid"], e["msgid_plural"] if e["msgid_plural"] is not None else e["msgid"]]
        for index, source in enumerate(sources[: len(e["msgstr"])]):
            if sorted(_TOKENS.findall(source)) != sorted(_TOKENS.findall(e["msgstr"][index])):
                broken.append((source, e["msgstr"][index]))
    assert broken == []


def test_translations_are_english_not_copies(catalogue):
    """Words that only German has must not survive in the English texts."""
    german = re.compile(r"\b(Meldung|Meldungen|Bitte|nicht|und|oder|Sie|Ihre|für|wird|ist)\b|[äöüß]")
    # Proper names, German examples and the placeholders of reply templates stay German.
    allowed = re.compile(r"Heinrichstraße|Landratsamt|Deutsche Bahn|Baustellen|tags:verkehr|Deutsch\b|"
                         r"\{(nummer|kategorie|adresse|datum|fachbereich|frist|heute)\}")
    leftovers = [text for e in catalogue[1:] for text in e["msgstr"].values()
                 if german.search(allowed.sub("", text))]
    assert leftovers == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is installed by scripts/setup.sh")
def test_msgfmt_compiles_with_all_translated(catalogue, tmp_path):
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(PO_PATH)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == f"{len(catalogue) - 1} translated messages."
    assert MO_PATH.exists(), "run `manage.py compilemessages` (scripts/setup.sh does it)"
    assert MO_PATH.read_bytes() == (tmp_path / "django.mo").read_bytes(), \
        "locale/en/LC_MESSAGES/django.mo is stale: run `manage.py compilemessages`"


def test_no_pseudo_plurals(catalogue):
    """Counted texts use ngettext/{% plural %}, not "Meldung(en)" or "Foto(s)"."""
    pseudo = re.compile(r"\w\((?:en|n|e|s)\)")
    assert [e["msgid"] for e in catalogue[1:] if pseudo.search(e["msgid"])] == []


def test_datensatz_is_translated_as_a_label_and_as_a_count():
    """The model label and the count in the search facets are two catalogue entries (msgctxt)."""
    from opendata.models import Dataset

    with translation.override("en"):
        assert str(Dataset._meta.verbose_name) == "Dataset"
        assert translation.npgettext("Anzahl der Treffer", "Datensatz", "Datensätze", 3) == "datasets"


APP_SOURCES = ["backoffice", "frontend", "geodata", "mobile_api", "notifications", "opendata", "reporter",
               "routing_rules"]
_GETTEXT_NAMES = {"_", "_lazy", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext",
                  "pgettext_lazy", "npgettext", "npgettext_lazy"}


def test_gettext_is_only_called_with_literal_texts():
    """An f-string, concatenation, % or .format() inside _() never matches the catalogue."""
    dynamic = []
    for app in APP_SOURCES:
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name not in _GETTEXT_NAMES:
                    continue
                texts = 3 if name.startswith("npgettext") else 2 if name.startswith(("ngettext", "pgettext")) else 1
                # A variable is fine (a text marked with gettext_noop elsewhere); a text built here is not.
                for arg in node.args[:texts]:
                    if isinstance(arg, (ast.JoinedStr, ast.BinOp, ast.Call)):
                        dynamic.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    assert dynamic == []


_JS_GERMAN = re.compile(r"[\"'`][^\"'`\n]*(?:[äöüÄÖÜß]|\b(?:Meldung|Meldungen|ausgewählt|Bitte|Fehler|Aufgabe|"
                        r"Trupp|Karte|nicht|und|oder|für|Sie)\b)[^\"'`\n]*[\"'`]")


@pytest.mark.parametrize("path", sorted(
    str(p.relative_to(settings.BASE_DIR)) for pattern in ("backoffice/static/backoffice/js/*.js",
                                                           "frontend/static/frontend/js/crew*.js",
                                                           "opendata/static/opendata/js/*.js")
    for p in Path(settings.BASE_DIR).glob(pattern)))
def test_scripts_have_no_german_texts(path):
    """User-facing texts come translated from the templates (data attributes, json_script)."""
    source = (Path(settings.BASE_DIR) / path).read_text(encoding="utf-8")
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    source = re.sub(r"(?m)^\s*//.*$", "", source)
    assert _JS_GERMAN.findall(source) == []


# --- pages ------------------------------------------------------------------------

@pytest.mark.django_db
def test_home_page_in_english(client, city):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    for text in ("Skip to content", "Main navigation", "Report a problem here", "Latest reports", "Legend",
                 "Apply filter", 'data-t-count="%(count)s reports in the map view"', "Pothole"):
        assert text in html, text
    for text in ("Zum Inhalt springen", "Hauptnavigation", "Hier ein Problem melden", "Neueste Meldungen",
                 "Filter anwenden", "Kartenausschnitt", "Schlagloch"):
        assert text not in html, text


@pytest.mark.django_db
def test_home_page_stays_german_by_default(client, city):
    html = client.get("/").content.decode()
    assert '<html lang="de">' in html
    assert "Hier ein Problem melden" in html and "Report a problem here" not in html


@pytest.mark.django_db
def test_language_switch_sets_english_for_later_pages(client, city):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/melden/"})
    assert (response.status_code, response["Location"]) == (302, "/melden/")
    html = client.get("/melden/").content.decode()
    assert '<html lang="en">' in html
    for text in ("Step 1 of 2: What and where?", "1. What would you like to report?", "2. Where is the problem?",
                 "Use my location", "Or enter coordinates", "Street, square or well-known place", "Continue"):
        assert text in html, text
    for text in ("Schritt 1 von 2", "Was möchten Sie melden?", "Wo ist das Problem?", "Meinen Standort verwenden",
                 "Weiter<"):
        assert text not in html, text


@pytest.mark.django_db
def test_report_form_errors_in_english(client, city):
    response = client.post("/melden/", {"step": "ort", "category": "schlagloch", "lon": "12,15", "lat": "50.87"},
                           HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 400
    assert "This location is outside the city boundary. The responsible authority is: Landratsamt Greiz." in html
    assert "außerhalb des Stadtgebiets" not in html


@pytest.mark.django_db
def test_report_detail_page_in_english(client, city):
    report = ReportFactory(category=city.category, department=city.department, status="in_progress",
                           moderation="approved", public_description="Loch")
    html = client.get(f"/meldungen/{report.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in ("Overview", "Responsible", "Target time", "working days", "History", "in progress", "Me too"):
        assert text in html, text
    for text in ("Überblick", "Zuständig", "Zielzeit", "Arbeitstage", "Verlauf", "in Bearbeitung", "Ich auch"):
        assert text not in html, text


@pytest.mark.django_db
def test_stats_page_in_english(client, city):
    ReportFactory(category=city.category, department=city.department)
    html = client.get("/statistik/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in ("Where problems are reported", "New reports per category and week", "Processing time per department",
                 "Resolved within the target time", "Data as a table", "Week "):
        assert text in html, text
    for text in ("Wo gemeldet wird", "Bearbeitungszeit je Fachbereich", "Innerhalb der Zielzeit", "Daten als Tabelle",
                 "KW "):
        assert text not in html, text


# German words that have an English translation in every page family; none may be left in the English pages.
GERMAN_WORDS = ["Meldung", "Meldungen", "Datensatz", "Datensätze", "Suche", "Suchen", "Fachbereich", "Fachbereiche",
                "Trupp", "Trupps", "zurück", "Bitte", "Karte", "Seite", "Gruppe", "Gruppen", "Lizenz", "Aufgabe",
                "Aufgaben", "Foto", "Fotos", "ausgewählt", "monatlich", "Verkehr", "Namensnennung", "Sammlung",
                "Sammlungen", "Übersicht", "Status ändern", "Zielzeit", "Anmelden", "Abmelden", "Schlagloch"]
_GERMAN_WORD = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, GERMAN_WORDS)) + r")(?![\w-])")


def _strings_of(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_of(item)


def page_texts(html: str) -> str:
    """What a person can read or hear: text, labels and titles, texts handed to scripts (data-t-*, json_script)."""
    import html as html_lib
    import json

    texts = [s for block in re.findall(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', html, flags=re.S)
             for s in _strings_of(json.loads(block))]
    html = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", html, flags=re.S)
    texts += re.findall(r'\s(?:aria-label|title|placeholder|alt|data-t-[\w-]+)="([^"]*)"', html)
    texts.append(re.sub(r"<[^>]+>", " ", html))
    return html_lib.unescape("\n".join(texts))


@pytest.fixture
def all_pages(city):
    """One of every page family, with data: a report with history, a dataset in a theme group, a crew."""
    from opendata.models import Group
    from reporter.models import Crew, StatusChange
    from tests.opendata.factories import DatasetFactory, OrganizationFactory, ResourceFactory

    # The theme group as migration 0002 loads it (a transactional test elsewhere may have flushed it).
    Group.objects.update_or_create(name="tran", defaults={"title": "Verkehr", "theme": "TRAN"})
    org = OrganizationFactory(name="tiefbauamt", title="Tiefbauamt")
    dataset = DatasetFactory(name="baustellen", title="Baustellen 2026", owner_org=org, groups=["tran"],
                             tags=["verkehr"], frequency="MONTHLY", notes="Baustellen in der Stadt")
    ResourceFactory(package=dataset, name="Liste")
    report = ReportFactory(category=city.category, department=city.department, status="in_progress",
                           moderation="approved", public_description="Loch", description="Loch")
    StatusChange.objects.create(report=report, from_status="open", to_status="in_progress", note_public="x")
    staff = UserFactory(username="anna", is_staff=True)
    city.department.members.add(staff)
    Crew.objects.create(department=city.department, name="Kolonne 1")
    return {"report": report, "staff": staff}


PAGE_FAMILIES = {
    "home": "/", "report-new": "/melden/", "my-reports": "/meine-meldungen/", "report": "/meldungen/{report}/",
    "tracking": "/verfolgen/{token}/", "report-done": "/melden/gesendet/{token}/", "stats": "/statistik/",
    "offline": "/offline/",
    "dataset-search": "/dataset/", "dataset-search-empty": "/dataset/?q=nichts", "dataset": "/dataset/baustellen",
    "dataset-missing": "/dataset/gibt-es-nicht", "organizations": "/organization/",
    "organization": "/organization/tiefbauamt", "groups": "/group/", "group": "/group/tran",
    "ogc-landing": "/ogc/?f=html", "ogc-collections": "/ogc/collections?f=html",
    "ogc-collection": "/ogc/collections/reports?f=html", "ogc-items": "/ogc/collections/reports/items?f=html",
    "ogc-conformance": "/ogc/conformance?f=html",
    "crew-tasks": "/crew/", "crew-login": "/crew/anmelden/", "crew-task": "/crew/aufgabe/?id=1",
    "api-docs": "/api/docs/", "office-login": "/sachbearbeitung/anmelden/",
    "office-inbox": "staff:/sachbearbeitung/", "office-queue": "staff:/sachbearbeitung/meldungen/",
    "office-report": "staff:/sachbearbeitung/meldungen/{report}/",
    "office-crews": "staff:/sachbearbeitung/trupps/",
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGE_FAMILIES.values(), ids=PAGE_FAMILIES.keys())
def test_english_pages_have_no_german_words_left(client, all_pages, url):
    if url.startswith("staff:"):
        client.force_login(all_pages["staff"])
        url = url.removeprefix("staff:")
    url = url.format(report=all_pages["report"].pk, token=all_pages["report"].tracking_token)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == (404 if "gibt-es-nicht" in url else 200)
    html = response.content.decode()
    if url != "/api/docs/":  # drf-spectacular's Swagger UI page; its texts come from the schema (see below)
        assert '<html lang="en"' in html
    assert sorted(set(_GERMAN_WORD.findall(page_texts(html)))) == []


@pytest.mark.django_db
def test_dataset_page_shows_vocabulary_labels_in_english_and_the_api_keeps_them(client, all_pages):
    html = client.get("/dataset/baustellen", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in (">monthly<", "Data licence Germany – Attribution – Version 2.0", ">Transport<"):
        assert text in html, text
    html = client.get("/dataset/baustellen").content.decode()
    for text in (">monatlich<", "Datenlizenz Deutschland Namensnennung 2.0", ">Verkehr<"):
        assert text in html, text
    result = APIClient().get("/api/3/action/package_show?id=baustellen", HTTP_ACCEPT_LANGUAGE="en").json()["result"]
    assert result["license_title"] == "Datenlizenz Deutschland Namensnennung 2.0"
    licences = APIClient().get("/api/3/action/license_list", HTTP_ACCEPT_LANGUAGE="en").json()["result"]
    assert {"id": "dl-by-de/2.0", "title": "Datenlizenz Deutschland Namensnennung 2.0"}.items() <= next(
        lic for lic in licences if lic["id"] == "dl-by-de/2.0").items()


@pytest.mark.django_db
def test_dataset_search_facets_in_english(client, all_pages):
    html = client.get("/dataset/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Data licence Germany – Attribution – Version 2.0" in html and ">Transport<" in html
    assert re.search(r'class="facet-count">1<span class="visually-hidden"> dataset</span>', html)


@pytest.mark.django_db
def test_crew_scripts_get_both_forms_of_counted_texts(client):
    import json

    html = client.get("/crew/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    strings = json.loads(html.split('<script id="crew-strings" type="application/json">')[1].split("</script>")[0])
    assert strings["loaded"] == {"one": "%(n)s task, as of %(time)s.", "other": "%(n)s tasks, as of %(time)s."}
    assert strings["pending_count"] == {"one": "%(n)s change waiting to be sent.",
                                        "other": "%(n)s changes waiting to be sent."}
    assert strings["photo_selected"] == {"one": "%(n)s photo selected.", "other": "%(n)s photos selected."}


@pytest.mark.django_db
def test_queue_script_texts_come_translated_from_the_template(client, all_pages):
    client.force_login(all_pages["staff"])
    html = client.get("/sachbearbeitung/meldungen/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in ('data-t-selected-one="1 report selected"', 'data-t-selected="%(n)s reports selected"',
                 'data-t-count-one="1 report on the map"', 'data-t-count="%(n)s reports on the map"'):
        assert text in html, text


# --- API errors -------------------------------------------------------------------

@pytest.mark.django_db
def test_api_unknown_category_in_english(city):
    client = APIClient()
    response = client.get("/api/v1/reports/?category=nope", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"detail": "Unknown category: nope", "errors": {"category": ["Unknown category: nope"]}}
    response = client.post("/api/v1/reports/", {"category": "nope", "lon": 12.05, "lat": 50.875}, format="json",
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"]["category"] == ["Unknown category “nope”."]
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_api_errors_stay_german_without_accept_language(city):
    response = APIClient().get("/api/v1/reports/?category=nope")
    assert response.json()["detail"] == "Unbekannte Kategorie: nope"


@pytest.mark.django_db
def test_api_outside_city_and_not_found_in_english(city):
    client = APIClient()
    response = client.get("/api/v1/route?lon=12.15&lat=50.87&category=schlagloch", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "This location is outside the city boundary. The responsible authority is: Landratsamt Greiz.")
    response = client.get("/api/v1/reports/999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.json()) == (404, {"detail": "Report not found."})


@pytest.mark.django_db
def test_api_staff_only_message_follows_the_request_language(city):
    """`IsStaff.message` is lazy: it was once fixed to German at import time."""
    report = ReportFactory(category=city.category, department=city.department)
    client = APIClient()
    client.force_authenticate(UserFactory(is_staff=False))
    english = client.get(f"/api/v1/staff/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    german = client.get(f"/api/v1/staff/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE="de")
    assert (english.status_code, english.json()) == (403, {"detail": "For city council staff only."})
    assert (german.status_code, german.json()) == (403, {"detail": "Nur für Mitarbeitende der Stadtverwaltung."})


@pytest.mark.django_db
def test_openapi_summaries_in_english():
    schema = APIClient().get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en").json()
    summaries = {op["summary"] for path in schema["paths"].values() for op in path.values() if "summary" in op}
    assert {"Create a report", "Reports as GeoJSON (public, paginated)",
            "Search the gazetteer (streets, squares, places, districts)"} <= summaries
    assert "Meldung erstellen" not in summaries
    assert {"Sign out: revoke the token", "Reports counted per grid cell (for the map view)"} <= summaries
    assert not [text for text in summaries if re.search(r"[äöüß]|\b(?:Meldung|Aufgabe|Trupp)", text)]


# --- messages to the reporter -----------------------------------------------------

@pytest.fixture
def staff_client(city):
    user = UserFactory(is_staff=True)
    city.department.members.add(user)
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_status_email_to_english_reporter_is_english(city, staff_client, django_capture_on_commit_callbacks,
                                                     mailoutbox):
    report = ReportFactory(category=city.category, department=city.department, language="en",
                           reporter_email="jane@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        # The member of staff works in German; the reporter wrote in English.
        response = staff_client.post(f"/api/v1/staff/reports/{report.pk}/status",
                                     {"status": "in_progress", "note_public": "Crew is on its way"}, format="json",
                                     HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200, response.content
    assert [m.to for m in mailoutbox] == [["jane@example.org"]]
    mail = mailoutbox[0]
    assert mail.subject == f"Your report #{report.pk}: in progress"
    assert mail.body == (f"New status of your report: in progress\n\nCrew is on its way\n\n"
                         f"Details: {settings.SITE_URL}/verfolgen/{report.tracking_token}/")


@pytest.mark.django_db
def test_status_email_to_german_reporter_is_german_even_from_english_staff(
        city, staff_client, django_capture_on_commit_callbacks, mailoutbox):
    report = ReportFactory(category=city.category, department=city.department, reporter_email="erika@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/api/v1/staff/reports/{report.pk}/status", {"status": "resolved"},
                                     format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    assert mailoutbox[0].subject == f"Ihre Meldung #{report.pk}: erledigt"
    assert mailoutbox[0].body.startswith("Neuer Status Ihrer Meldung: erledigt\n")


@pytest.mark.django_db
def test_report_filed_in_english_gets_english_confirmation(city, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post("/api/v1/reports/", {"category": "schlagloch", "lon": 12.05, "lat": 50.875,
                                                         "email": "jane@example.org"},
                                    format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert report.language == "en"
    confirmation = next(m for m in mailoutbox if m.to == ["jane@example.org"])
    assert confirmation.subject == f"We have received your report #{report.pk}"
    assert confirmation.body.splitlines()[:3] == ["Thank you for your report “Pothole”.",
                                                  "Responsible department: Tiefbauamt.",
                                                  "Our aim is to deal with it within 10 working days."]


@pytest.mark.django_db
def test_department_email_stays_german_when_report_is_filed_in_english(city, django_capture_on_commit_callbacks,
                                                                       mailoutbox):
    """Department, crew and escalation emails are in the site language; only the reporter's follow theirs."""
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post("/api/v1/reports/", {"category": "schlagloch", "lon": 12.05, "lat": 50.875,
                                                         "email": "jane@example.org"},
                                    format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    department_mail = next(m for m in mailoutbox if m.to == ["tiefbau@stadt.example"])
    assert department_mail.subject == f"[Stadtmelder] Neue Meldung: #{report.pk} Schlagloch"
    assert department_mail.body.splitlines()[:3] == ["Neue Meldung", "", "Kategorie: Schlagloch"]
    reporter_mail = next(m for m in mailoutbox if m.to == ["jane@example.org"])
    assert reporter_mail.subject == f"We have received your report #{report.pk}"


@pytest.mark.django_db
def test_rerouted_and_crew_emails_are_german_whatever_language_is_active(city):
    from notifications.models import Notification
    from reporter import notify
    from reporter.models import Crew

    report = ReportFactory(category=city.category, department=city.department, language="en",
                           due_date=datetime.date(2026, 3, 2))
    crew = Crew.objects.create(department=city.department, name="Kolonne 1")
    crew.members.add(UserFactory(email="k1@stadt.example"))
    with translation.override("en"):
        notify.notify_rerouted(report, previous_department="Grünflächenamt")
        notify.notify_crew_assigned(crew=crew, reports=[report])
        notify.notify_escalated(report, recipient="leitung@stadt.example", overdue_working_days=2)
    rerouted = Notification.objects.get(event="report.rerouted")
    assert rerouted.subject == f"[Stadtmelder] Meldung weitergeleitet von Grünflächenamt: #{report.pk} Schlagloch"
    assert rerouted.body.startswith("Meldung weitergeleitet von Grünflächenamt\n\nKategorie: Schlagloch\n")
    assert Notification.objects.get(event="report.assigned").subject == "[Stadtmelder] 1 neue Aufgabe für Kolonne 1"
    assert "Überfällig seit: 2 Arbeitstagen\n" in Notification.objects.get(event="report.escalated").body


@pytest.mark.django_db
def test_internal_note_of_a_reopened_report_is_in_the_site_language(city):
    from reporter.services import report_reopen_by_reporter

    report = ReportFactory(category=city.category, department=city.department, status="resolved", language="en")
    with translation.override("en"):  # the reporter uses the English page
        change = report_reopen_by_reporter(report=report, note="Still broken")
    assert change.note_internal == "Vom Meldenden wieder geöffnet: Still broken"


@pytest.mark.django_db
def test_answer_template_fill_ins_are_in_the_site_language(city):
    from backoffice.answers import answer_render

    report = ReportFactory(category=city.category, department=city.department, address="", location_text="")
    with translation.override("en"):  # the member of staff uses the English back office
        text = answer_render(body="Der Mangel an {adresse} ({kategorie}).", report=report)
    assert text == "Der Mangel an der angegebenen Stelle (Schlagloch)."


# --- operator commands ------------------------------------------------------------

@pytest.mark.django_db
def test_import_layer_output_is_in_the_site_language_whatever_is_active(tmp_path):
    path = tmp_path / "gebiete.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Mitte"},'
                    ' "geometry": {"type": "Polygon", "coordinates": [[[12.0, 50.85], [12.1, 50.85], [12.1, 50.9],'
                    ' [12.0, 50.85]]]}}]}', encoding="utf-8")
    from io import StringIO

    out = StringIO()
    with translation.override("en"):
        call_command("import_layer", str(path), "--layer", "teile", "--role", "district", stdout=out)
    assert out.getvalue().splitlines() == [
        "  1/1 Objekte geprüft",
        "Ebene „teile“ (Stadtteile): 1 Gebiete importiert, 0 repariert, Quelle gebiete.geojson (EPSG:4326).",
    ]
    area = JurisdictionArea.objects.get()
    assert area.geom.contains(Point(12.07, 50.86, srid=4326))
