"""`config.csp`: the header of every response — the page frame's nonce new on each page, the
same policy string for nonce-less answers (kept, not rebuilt), the admin's and the docs'
exceptions by path, and a changed setting (a city's TILE_URL) reaching the header at once."""
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"


def _nonce(response) -> str | None:
    match = re.search(r"'nonce-([^']+)'", response[HEADER])
    return match[1] if match else None


def test_pages_get_a_new_nonce_json_answers_the_same_policy(settings):
    client = Client()
    first, second = client.get("/leistungen/"), client.get("/leistungen/")
    assert first.status_code == second.status_code == 200
    assert _nonce(first) and _nonce(second) and _nonce(first) != _nonce(second)
    assert f'nonce="{_nonce(first)}"' in first.content.decode()
    api = [client.get("/api/v1/services/") for _ in range(2)]
    assert api[0][HEADER] == api[1][HEADER]
    assert "default-src 'self'" in api[0][HEADER] and "object-src 'none'" in api[0][HEADER]
    assert "frame-ancestors 'self'" in api[0][HEADER] and "nonce-" not in api[0][HEADER]
    assert "'unsafe-inline'" not in api[0][HEADER].split("script-src")[1].split(";")[0]


def test_exceptions_by_path_and_settings_reach_the_header(settings):
    client = Client()
    docs = client.get("/api/docs/")
    assert "script-src 'self' 'unsafe-inline'" in docs[HEADER]
    before = client.get("/api/v1/services/")[HEADER]
    assert "tiles.example.org" not in before
    settings.FRONTEND = {**settings.FRONTEND, "TILE_URL": "https://{s}.tiles.example.org/{z}/{x}/{y}.png"}
    after = client.get("/api/v1/services/")[HEADER]
    assert "img-src 'self' data: blob: https://*.tiles.example.org" in after
    assert "connect-src 'self' https://*.tiles.example.org" in after
