"""CSV import: all or nothing, errors with line numbers in German and English, a clerk's import
scoped to their departments; the management command and the admin page."""
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from ozgmonitor.csv_import import CsvImportError, services_import_csv
from ozgmonitor.models import OzgService, OzgServiceChange

HEADER = "key,title,provider,url,leika_key,topic,department,status,go_live_date,target_date,delivery_route,maturity\n"
GOOD = (HEADER
        + "elterngeld,Elterngeld beantragen,Bund (EfA),https://elterngeld.example/,99107004000000,familie-kind,"
          "buergeramt,online,2026-03-01,,external-portal,leistungsbeschreibung=4; antragsprozess=3\n"
        + "bewohnerparken,Bewohnerparkausweis,,,,mobilitaet-reisen,tiefbau,planned,,31.12.2027,fit-connect,\n")


def test_a_good_file_creates_entries_with_history(org):
    result = services_import_csv(content=GOOD.encode())
    assert (result.created, result.updated) == (2, 0)
    eltern = OzgService.objects.get(key="elterngeld")
    assert (eltern.title, eltern.topic, eltern.department, eltern.status, eltern.go_live_date, eltern.maturity_level) \
        == ("Elterngeld beantragen", "familie-kind", org.citizens, "online", date(2026, 3, 1), 3)
    assert list(eltern.changes.values_list("changed_on", "status")) == [(date(2026, 3, 1), "online")]
    parken = OzgService.objects.get(key="bewohnerparken")
    assert (parken.target_date, parken.delivery_route, parken.maturity, parken.maturity_level) \
        == (date(2027, 12, 31), "fit-connect", {}, None)
    # again, with a changed status: updated, one more history row
    result = services_import_csv(content=GOOD.replace("tiefbau,planned", "tiefbau,in_progress").encode())
    assert (result.created, result.updated) == (0, 2)
    assert list(OzgService.objects.get(key="bewohnerparken").changes.values_list("status", flat=True)) \
        == ["planned", "in_progress"]


def test_semicolon_separated_with_bom(org):
    content = "\ufeffkey;title;status\nwohngeld;Wohngeld;online\n".encode()
    assert services_import_csv(content=content).created == 1


BAD = (HEADER
       + "Wohn Geld,Wohngeld,,,123,bauen,nirgendwo,offline,2026-02-30,,taube,nachweise=9; foo=1; kaputt\n"
       + "gut,Eine gute Zeile,,,,,,,,,,\n"
       + "gut,Doppelt,,,,,,,,,,\n"
       + ",,,,,,,,,,\n"
       + "kurz,zu kurz\n")


def test_bad_lines_are_named_and_nothing_is_stored(org):
    with pytest.raises(CsvImportError) as caught:
        services_import_csv(content=BAD.encode())
    assert caught.value.errors == [
        "Zeile 2: die Kennung „Wohn Geld“ darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten "
        "(höchstens 60 Zeichen).",
        "Zeile 2: der LeiKa-Schlüssel „123“ hat nicht genau 14 Ziffern.",
        "Zeile 2: „bauen“ ist kein gültiger Wert für topic (erlaubt: arbeit-ruhestand, bauen-wohnen, bildung, "
        "ein-auswanderung, engagement-hobby, familie-kind, forschung-foerderung, gesundheit, mobilitaet-reisen, "
        "querschnittsleistungen, recht-ordnung, steuern-zoll, umwelt, unternehmensfuehrung).",
        "Zeile 2: „offline“ ist kein gültiger Wert für status (erlaubt: planned, in_progress, online, retired).",
        "Zeile 2: „taube“ ist kein gültiger Wert für delivery_route (erlaubt: fit-connect, back-office, "
        "external-portal, email).",
        "Zeile 2: „2026-02-30“ in go_live_date ist kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ).",
        "Zeile 2: unbekannter Fachbereich „nirgendwo“.",
        "Zeile 2: „kaputt“ im Reifegrad ist nicht in der Form Kriterium=Stufe.",
        "Zeile 2: Der Reifegrad von „nachweise“ muss eine ganze Zahl von 0 bis 4 sein.",
        "Zeile 2: Unbekanntes Kriterium „foo“ im Reifegradmodell 1.1 (erlaubt: leistungsbeschreibung, "
        "antragsprozess, nutzerkonto, authentifizierung, bezahlung, nachweise, signatur, bescheid, status, "
        "once-only).",
        "Zeile 4: die Kennung „gut“ steht schon in Zeile 3.",
        "Zeile 6: 2 Felder statt 12.",
    ]
    assert OzgService.objects.count() == 0 and OzgServiceChange.objects.count() == 0


def test_field_count_and_header_errors(org):
    with pytest.raises(CsvImportError) as caught:
        services_import_csv(content=(HEADER + "kurz,zu kurz\n").encode())
    assert caught.value.errors == ["Zeile 2: 2 Felder statt 12."]
    with pytest.raises(CsvImportError) as caught:
        services_import_csv(content=b"kennung,titel\nx,y\n")
    assert caught.value.errors == [
        "Zeile 1: unbekannte Spalten „kennung“, „titel“ (erlaubt: key, title, title_en, url, provider, leika_key, "
        "topic, department, status, go_live_date, target_date, delivery_route, maturity_model, maturity).",
        "Zeile 1: die Spalten „key“, „title“ fehlen."]
    for content, message in ((b"", "Die Datei ist leer."), (HEADER.encode(), "Die Datei enthält keine Leistung."),
                             ("key,title\nä,ö\n".encode("latin-1"), "Die Datei ist nicht in UTF-8 kodiert.")):
        with pytest.raises(CsvImportError) as caught:
            services_import_csv(content=content)
        assert caught.value.errors == [message]


def test_errors_in_english(org):
    with translation.override("en"), pytest.raises(CsvImportError) as caught:
        services_import_csv(content=(HEADER + "x,X,,,,,,offline,,,,\n").encode())
    assert caught.value.errors == [
        "Line 2: “offline” is not a valid value for status (allowed: planned, in_progress, online, retired)."]


def test_a_clerk_imports_only_for_their_departments(org, entries):
    with pytest.raises(CsvImportError) as caught:
        services_import_csv(content=GOOD.encode(), user=org.clara)
    assert caught.value.errors == ["Zeile 3: Sie dürfen keine Leistungen des Fachbereichs „Tiefbauamt“ bearbeiten."]
    with pytest.raises(CsvImportError) as caught:
        services_import_csv(content=b"key,title\nsondernutzung,Neuer Titel\n", user=org.clara)
    assert caught.value.errors == ["Zeile 2: die Leistung „sondernutzung“ gehört nicht zu Ihren Fachbereichen."]
    assert not OzgService.objects.filter(key="elterngeld").exists()
    assert OzgService.objects.get(key="sondernutzung").title == "Sondernutzung der Straße"


def test_management_command(org, tmp_path):
    path = tmp_path / "leistungen.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("ozgmonitor_import", str(path))
    assert OzgService.objects.count() == 2
    path.write_text(HEADER + "x,X,,,,,,offline,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("ozgmonitor_import", str(path))
    assert str(caught.value) == ("Zeile 2: „offline“ ist kein gültiger Wert für status (erlaubt: planned, "
                                 "in_progress, online, retired).")


def test_admin_import_page(org):
    client = Client()
    client.force_login(org.clara)
    from django.contrib.auth.models import Permission
    org.clara.user_permissions.add(*Permission.objects.filter(content_type__app_label="ozgmonitor"))
    url = "/admin/ozgmonitor/ozgservice/import/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": SimpleUploadedFile("l.csv", GOOD.encode(), content_type="text/csv")})
    assert response.status_code == 400
    assert "Zeile 3: Sie dürfen keine Leistungen des Fachbereichs „Tiefbauamt“ bearbeiten." in response.content.decode()
    assert OzgService.objects.count() == 0
    mine = GOOD.splitlines()[0:2]
    response = client.post(url, {"file": SimpleUploadedFile("l.csv", "\n".join(mine).encode())})
    assert response.status_code == 302
    assert list(OzgService.objects.values_list("key", flat=True)) == ["elterngeld"]
    # the list shows only the clerk's department's entries
    listing = client.get("/admin/ozgmonitor/ozgservice/").content.decode()
    assert "Elterngeld beantragen" in listing


def test_admin_without_permission_is_refused(org):
    client = Client()
    client.force_login(org.theo)
    assert client.get("/admin/ozgmonitor/ozgservice/import/").status_code == 403
