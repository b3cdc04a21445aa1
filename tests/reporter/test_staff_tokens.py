"""Staff API tokens are stored only as a hash (reporter.api.tokens): the command shows a new
token once, the token works in `Authorization: Token`, the stored key is not the token, and
migration 0007 hashed the tokens that existed before."""
import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reporter.api.tokens import token_digest
from reporter.models import Report
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(city):
    user = UserFactory(is_staff=True, username="sachbearbeiter")
    city.department.members.add(user)
    ReportFactory(category=city.category, department=city.department)
    return user


def staff_get(raw: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client.get(f"/api/v1/staff/reports/{Report.objects.get().pk}/")


def test_command_prints_a_token_once_and_stores_its_hash(clerk):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_staff_token", "sachbearbeiter", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert len(raw) == 40
    assert "Only a hash is stored" in err.getvalue()
    token = Token.objects.get()
    assert token.user == clerk and token.key == token_digest(raw) and token.key != raw
    assert staff_get(raw).status_code == 200
    assert staff_get(token.key).status_code == 401  # the stored value is not a token
    call_command("create_staff_token", "sachbearbeiter", stdout=io.StringIO(), stderr=io.StringIO())
    assert Token.objects.count() == 1
    assert staff_get(raw).status_code == 401  # replaced


def test_command_refuses_unknown_users(db):
    with pytest.raises(CommandError, match="User 'niemand' does not exist or is inactive."):
        call_command("create_staff_token", "niemand")


def test_migration_hashes_existing_plain_tokens(clerk):
    plain = Token.objects.create(user=clerk, key="a" * 40)
    created = plain.created
    migration = importlib.import_module("reporter.migrations.0008_hash_staff_api_tokens")
    migration.hash_tokens(django_apps, None)
    token = Token.objects.get()
    assert (token.key, token.user, token.created) == (token_digest("a" * 40), clerk, created)
    assert staff_get("a" * 40).status_code == 200
