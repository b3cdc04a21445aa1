"""`manage.py create_api_token`: prints a working token once, stores only its hash."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from opendata.models import ApiToken
from tests.opendata.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_api_token_prints_a_working_token(ckan, org, editor):
    out = StringIO()
    call_command("create_api_token", "redakteurin", "--name", "Harvester", stdout=out)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.name == "Harvester" and token.user == editor
    assert token.token_hash == ApiToken.digest(raw) and token.prefix == raw[:8]
    assert raw not in {token.token_hash, token.prefix, token.name}
    response = ckan("package_create", {"name": "per-cli-token", "owner_org": org.name}, token=raw)
    assert response.status_code == 200


def test_create_api_token_default_name_and_unknown_user():
    UserFactory(username="anna")
    call_command("create_api_token", "anna", stdout=StringIO())
    assert ApiToken.objects.get().name == "cli"
    with pytest.raises(CommandError, match="User 'bob' does not exist."):
        call_command("create_api_token", "bob", stdout=StringIO())
