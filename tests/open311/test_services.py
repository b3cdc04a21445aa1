"""GET /open311/v2/services.json|.xml and services/{code}.json|.xml — the categories as
services and their questions as attributes."""
import json
import xml.etree.ElementTree as ET

import pytest

from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_services_json_lists_active_categories(client, pothole, other_category, django_assert_max_num_queries):
    CategoryFactory(slug="alt", is_active=False)
    pothole.photo_required = True
    pothole.save()
    with django_assert_max_num_queries(1):
        response = client.get("/open311/v2/services.json")
    assert response.status_code == 200
    assert json.loads(response.content) == [
        {"service_code": "laterne", "service_name": "Straßenlaterne defekt",
         "description": "Straßenlaterne defekt. Zielzeit: 5 Arbeitstage.", "metadata": False, "type": "realtime",
         "keywords": "Straßenlaterne defekt, Street light out, licht", "group": "licht"},
        {"service_code": "schlagloch", "service_name": "Schlagloch",
         "description": "Schlagloch. Zielzeit: 10 Arbeitstage. Ein Foto ist erforderlich (Feld media).",
         "metadata": True, "type": "realtime", "keywords": "Schlagloch, Pothole, strasse", "group": "strasse"},
    ]


def test_services_xml(client, pothole, other_category):
    other_category.sla_days = 1
    other_category.save()
    response = client.get("/open311/v2/services.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.decode() == (
        '<?xml version="1.0" encoding="UTF-8"?>\n<services>'
        "<service><service_code>laterne</service_code><service_name>Straßenlaterne defekt</service_name>"
        "<description>Straßenlaterne defekt. Zielzeit: 1 Arbeitstag.</description><metadata>false</metadata>"
        "<type>realtime</type><keywords>Straßenlaterne defekt, Street light out, licht</keywords>"
        "<group>licht</group></service>"
        "<service><service_code>schlagloch</service_code><service_name>Schlagloch</service_name>"
        "<description>Schlagloch. Zielzeit: 10 Arbeitstage.</description><metadata>true</metadata>"
        "<type>realtime</type><keywords>Schlagloch, Pothole, strasse</keywords><group>strasse</group></service>"
        "</services>"
    )
    root = ET.fromstring(response.content)
    assert [s.findtext("service_code") for s in root.findall("service")] == ["laterne", "schlagloch"]


def test_services_in_english(client, pothole):
    response = client.get("/open311/v2/services.json", headers={"accept-language": "en"})
    assert json.loads(response.content)[0]["service_name"] == "Pothole"


DEFINITION = {
    "service_code": "schlagloch",
    "attributes": [
        {"variable": True, "code": "groesse", "datatype": "singlevaluelist", "required": True,
         "datatype_description": None, "order": 1, "description": "Größe",
         "values": [{"key": "klein", "name": "klein"}, {"key": "mittel", "name": "mittel"},
                    {"key": "groß", "name": "groß"}]},
        {"variable": True, "code": "anzahl", "datatype": "number", "required": False,
         "datatype_description": "Ganze Zahl", "order": 2, "description": "Anzahl"},
        {"variable": True, "code": "gefahr", "datatype": "singlevaluelist", "required": False,
         "datatype_description": None, "order": 3, "description": "Gefahr für Radfahrer?",
         "values": [{"key": "true", "name": "Ja"}, {"key": "false", "name": "Nein"}]},
        {"variable": True, "code": "hinweis", "datatype": "string", "required": False,
         "datatype_description": "Text, höchstens 1000 Zeichen", "order": 4, "description": "Hinweis"},
    ],
}


def test_service_definition_json(client, pothole):
    response = client.get("/open311/v2/services/schlagloch.json")
    assert response.status_code == 200
    assert json.loads(response.content) == DEFINITION


def test_service_definition_xml(client, pothole):
    response = client.get("/open311/v2/services/schlagloch.xml")
    assert response.status_code == 200
    assert response.content.decode() == (
        '<?xml version="1.0" encoding="UTF-8"?>\n<service_definition><service_code>schlagloch</service_code>'
        "<attributes>"
        "<attribute><variable>true</variable><code>groesse</code><datatype>singlevaluelist</datatype>"
        "<required>true</required><datatype_description /><order>1</order><description>Größe</description>"
        "<values><value><key>klein</key><name>klein</name></value><value><key>mittel</key><name>mittel</name>"
        "</value><value><key>groß</key><name>groß</name></value></values></attribute>"
        "<attribute><variable>true</variable><code>anzahl</code><datatype>number</datatype>"
        "<required>false</required><datatype_description>Ganze Zahl</datatype_description><order>2</order>"
        "<description>Anzahl</description></attribute>"
        "<attribute><variable>true</variable><code>gefahr</code><datatype>singlevaluelist</datatype>"
        "<required>false</required><datatype_description /><order>3</order>"
        "<description>Gefahr für Radfahrer?</description><values><value><key>true</key><name>Ja</name></value>"
        "<value><key>false</key><name>Nein</name></value></values></attribute>"
        "<attribute><variable>true</variable><code>hinweis</code><datatype>string</datatype>"
        "<required>false</required><datatype_description>Text, höchstens 1000 Zeichen</datatype_description>"
        "<order>4</order><description>Hinweis</description></attribute>"
        "</attributes></service_definition>"
    )
    root = ET.fromstring(response.content)
    assert [a.findtext("code") for a in root.findall("attributes/attribute")] == [
        "groesse", "anzahl", "gefahr", "hinweis"]
    assert [v.findtext("key") for v in root.findall("attributes/attribute/values/value")] == [
        "klein", "mittel", "groß", "true", "false"]


def test_service_definition_english_labels(client, pothole):
    body = json.loads(client.get("/open311/v2/services/schlagloch.json", headers={"accept-language": "en"}).content)
    # A question without label_en keeps its German label.
    assert [a["description"] for a in body["attributes"]] == ["Size", "Count", "Danger for cyclists?", "Hinweis"]


def test_service_definition_without_questions(client, other_category):
    assert json.loads(client.get("/open311/v2/services/laterne.json").content) == {
        "service_code": "laterne", "attributes": []}


@pytest.mark.parametrize("code", ["gibtsnicht", "alt"])
def test_service_definition_unknown_or_inactive_is_404(client, city, code):
    CategoryFactory(slug="alt", is_active=False)
    response = client.get(f"/open311/v2/services/{code}.json")
    assert response.status_code == 404
    assert json.loads(response.content) == [{"code": 404, "description": f"service_code „{code}“ ist unbekannt."}]
    response = client.get(f"/open311/v2/services/{code}.xml")
    assert response.status_code == 404
    assert response.content.decode() == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<errors><error><code>404</code><description>service_code „{code}“ ist unbekannt.</description></error>"
        "</errors>")
    assert ET.fromstring(response.content).findtext("error/code") == "404"
