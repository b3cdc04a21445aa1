"""Open311 client keys: `manage.py create_open311_key NAME` and the admin show a key once and
store only its SHA-256; the key works for POST until the client is deactivated."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from open311.models import Open311Client
from reporter.models import Report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REQUEST = {"service_code": "schlagloch", "lat": "50.86", "long": "12.01"}


def test_command_prints_a_working_key(client, city):
    out = StringIO()
    call_command("create_open311_key", "Bürger-App Gera", stdout=out)
    raw = out.getvalue().strip()
    stored = Open311Client.objects.get()
    assert (stored.name, stored.is_active, stored.key_prefix) == ("Bürger-App Gera", True, raw[:8])
    assert stored.key_hash == Open311Client.digest(raw) and len(raw) >= 40
    assert raw not in {stored.key_hash, stored.key_prefix, stored.name}
    response = client.post("/open311/v2/requests.json", {**REQUEST, "api_key": raw})
    assert response.status_code == 201
    stored.is_active = False
    stored.save()
    response = client.post("/open311/v2/requests.json", {**REQUEST, "api_key": raw})
    assert (response.status_code, json.loads(response.content)) == (
        403, [{"code": 403, "description": "api_key fehlt oder ist ungültig."}])
    assert Report.objects.count() == 1


def test_command_refuses_duplicate_and_empty_names():
    call_command("create_open311_key", "App", stdout=StringIO())
    with pytest.raises(CommandError, match="A client named 'App' exists already."):
        call_command("create_open311_key", "App", stdout=StringIO())
    with pytest.raises(CommandError, match="The name must not be empty."):
        call_command("create_open311_key", "  ", stdout=StringIO())
    assert Open311Client.objects.count() == 1


def test_admin_add_shows_the_key_once(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post("/admin/open311/open311client/add/", {"name": "Partnerportal"}, follow=True)
    assert response.status_code == 200
    stored = Open311Client.objects.get()
    [message] = [str(m) for m in response.context["messages"] if "<code>" in str(m)]
    raw = message.split("<code>")[1].split("</code>")[0]
    assert stored.key_hash == Open311Client.digest(raw) and stored.key_prefix == raw[:8]
    page = client.get(f"/admin/open311/open311client/{stored.pk}/change/").content.decode()
    assert raw not in page and stored.key_hash not in page
