"""System checks of the account configuration and the pruning of expired login links."""
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.checks import accounts_configuration_check
from accounts.models import EmailLoginToken
from accounts.tasks import email_login_tokens_prune_task


def ids(settings, **accounts):
    settings.ACCOUNTS = {**settings.ACCOUNTS, **accounts}
    return [message.id for message in accounts_configuration_check()]


def test_default_configuration_is_clean(settings):
    assert ids(settings, OIDC_ISSUER="") == []


def test_unknown_trust_level_in_the_mapping(settings):
    assert ids(settings, ACR_TRUST_LEVELS={"urn:x": "mittel"}) == ["accounts.E001"]


def test_issuer_without_client(settings):
    assert ids(settings, OIDC_ISSUER="https://id.example", OIDC_CLIENT_ID="x", OIDC_CLIENT_SECRET="") == [
        "accounts.E002"]


def test_issuer_not_https(settings):
    settings.DEBUG = False
    assert ids(settings, OIDC_ISSUER="http://id.example", OIDC_CLIENT_ID="x", OIDC_CLIENT_SECRET="y") == [
        "accounts.W001"]
    assert ids(settings, OIDC_ISSUER="http://localhost:8000/demo-oidc", OIDC_CLIENT_ID="x",
               OIDC_CLIENT_SECRET="y") == []


@pytest.mark.django_db
def test_expired_login_links_are_pruned():
    now = timezone.now()
    fresh = EmailLoginToken.objects.create(email="a@example.org", token_hash="a" * 64, created_at=now)
    EmailLoginToken.objects.create(email="b@example.org", token_hash="b" * 64,
                                   created_at=now - timedelta(minutes=16))
    EmailLoginToken.objects.create(email="c@example.org", token_hash="c" * 64,
                                   created_at=now - timedelta(days=2), used_at=now - timedelta(days=2))
    assert email_login_tokens_prune_task.delay().get() == 2
    assert list(EmailLoginToken.objects.all()) == [fresh]


def test_malformed_email_login_rate(settings):
    assert ids(settings, EMAIL_LOGIN_RATE="5 per hour") == ["accounts.E003"]
    assert ids(settings, EMAIL_LOGIN_RATE="") == []
