"""Storing submissions: the record names the form and its version, uploads go to private
storage, and a new version of the form leaves old submissions readable with their own."""
import copy
import json

import pytest
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.http import QueryDict
from django.utils import translation

from eforms.models import FormDefinition
from eforms.selectors import definition_current, submission_display
from eforms.services import SubmissionInvalid, form_definition_create, submission_store, submission_validate

from .conftest import DEFINITIONS, definition_json, jpeg_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def anliegen_data(**extra) -> QueryDict:
    data = QueryDict(mutable=True)
    data.update({"topic": "umwelt", "description": "Der Spielplatz ist seit Tagen verschmutzt.",
                 "contact_wanted": "ja", "contact_email": "erika@example.org", "declaration": "on", **extra})
    return data


def test_a_stored_submission_carries_slug_version_values_and_files(anliegen):
    record = submission_store(anliegen, anliegen_data(), {"attachments": [
        upload("foto.jpg", jpeg_bytes(), "image/jpeg"), upload("brief.pdf", pdf_bytes(), "application/pdf")]})
    assert record["form"] == "anliegen" and record["version"] == 1
    assert record["values"]["topic"] == "umwelt"
    assert record["values"]["contact_email"] == "erika@example.org"
    assert record["values"]["contact_phone"] is None
    assert record["values"]["declaration"] is True
    names = [(f["name"], f["content_type"]) for f in record["values"]["attachments"]]
    assert names == [("foto.jpg", "image/jpeg"), ("brief.pdf", "application/pdf")]
    assert record["files"] == record["values"]["attachments"]
    assert all(storages["private"].exists(f["path"]) for f in record["files"])
    assert record["files"][0]["path"].startswith("eforms/anliegen/1/")
    json.dumps(record)  # JSON-serialisable as a whole


def test_invalid_data_raises_with_german_and_english_messages(anliegen):
    with pytest.raises(SubmissionInvalid) as raised:
        submission_store(anliegen, anliegen_data(contact_email="kaputt"), {})
    assert raised.value.errors == [("id_contact_email", "Bitte geben Sie bei „E-Mail-Adresse“ eine E-Mail-Adresse "
                                                        "an, z. B. name@example.org.")]
    with translation.override("en"):
        result = submission_validate(anliegen, anliegen_data(declaration=""), {})
    assert result.errors == [("id_declaration", "Please confirm “I have read the privacy notice.”.")]


def test_a_new_version_leaves_old_submissions_readable_with_their_version(anliegen):
    old_record = submission_store(anliegen, anliegen_data(), {})
    changed = copy.deepcopy(definition_json("anliegen"))
    topic = changed["sections"][0]["fields"][0]
    topic["label"]["de"] = "Thema Ihres Anliegens"
    topic["options"] = [{"value": "bauen", "label": {"de": "Bauen und Wohnen"}}]
    second = form_definition_create(slug="anliegen", definition=changed)
    assert (second.version, definition_current(slug="anliegen")) == (2, second)
    anliegen.refresh_from_db()
    assert anliegen.definition == definition_json("anliegen")  # the old version is untouched
    rows = {row["key"]: row for row in submission_display(old_record)}
    assert (rows["topic"]["label"], rows["topic"]["value"]) == ("Worum geht es?", "Umwelt und Grünflächen")
    # The new version no longer knows "umwelt": new submissions are checked against it.
    assert not submission_validate(second, anliegen_data(), {}).is_valid


def test_a_group_submission_is_shown_item_by_item(haushalt):
    data = QueryDict(mutable=True)
    data.update({
        "given_name": "Erika", "family_name": "Mustermann", "birthdate": "1964-08-12", "nationality": "DE",
        "address__street": "Heidestraße", "address__house_number": "17", "address__postcode": "51147",
        "address__city": "Köln", "living_space": "72,5", "heating": "andere", "heating_other": "Ofen",
        "members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0", "members-0-name": "Max",
        "members-0-birthdate": "2010-05-01", "members-0-relation": "kind", "declaration": "on",
    })
    record = submission_store(haushalt, data, {})
    assert record["values"]["members"] == [{"name": "Max", "birthdate": "2010-05-01", "relation": "kind"}]
    assert record["values"]["address"] == {"street": "Heidestraße", "house_number": "17", "postcode": "51147",
                                           "city": "Köln"}
    rows = {row["key"]: row for row in submission_display(record)}
    assert rows["members"]["entries"][0][2] == {"key": "relation", "label": "Verhältnis zu Ihnen", "value": "Kind"}
    assert rows["nationality"]["value"] == "Deutschland"
    assert rows["address"]["value"] == "Heidestraße 17, 51147 Köln"
    assert rows["living_space"]["value"] == "72,5"
    with translation.override("en"):
        rows = {row["key"]: row for row in submission_display(record)}
    assert (rows["living_space"]["value"], rows["nationality"]["value"]) == ("72.5", "Germany")


def test_load_form_definition_creates_a_new_version_each_time(capsys):
    call_command("load_form_definition", str(DEFINITIONS / "anliegen.json"))
    call_command("load_form_definition", str(DEFINITIONS / "anliegen.json"))
    assert "anliegen: version 2 created" in capsys.readouterr().out
    assert list(FormDefinition.objects.values_list("slug", "version")) == [("anliegen", 2), ("anliegen", 1)]


def test_load_form_definition_refuses_an_invalid_file(tmp_path):
    bad = tmp_path / "kaputt.json"
    bad.write_text(json.dumps({"title": {"de": "X"}, "sections": []}), encoding="utf-8")
    with pytest.raises(CommandError, match=r"/sections: \[\] should be non-empty"):
        call_command("load_form_definition", str(bad))
    (tmp_path / "nojson.json").write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="is not JSON"):
        call_command("load_form_definition", str(tmp_path / "nojson.json"))
    assert not FormDefinition.objects.exists()


def test_files_already_written_are_removed_when_a_later_one_fails(anliegen, monkeypatch):
    storage = storages["private"]
    original_save, calls = storage.save, []

    def failing_save(name, content, **kwargs):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return original_save(name, content, **kwargs)

    monkeypatch.setattr(storage, "save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        submission_store(anliegen, anliegen_data(), {"attachments": [
            upload("a.jpg", jpeg_bytes(), "image/jpeg"), upload("b.jpg", jpeg_bytes(), "image/jpeg")]})
    assert len(calls) == 2
    assert not storage.exists(calls[0])
