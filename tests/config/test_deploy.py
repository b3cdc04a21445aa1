"""Deployment switches: with HTTPS=true, `check --deploy` has nothing to say about HSTS, the
https redirect or insecure cookies; the Content-Security-Policy allows our own origin only."""
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db

HTTPS_WARNINGS = ("security.W004", "security.W008", "security.W012", "security.W016")


def check_deploy(**env) -> str:
    environment = {**os.environ, "SECRET_KEY": "x" * 60 + "-deploy-check-not-a-default-key", "DEBUG": "false", **env}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=django_settings.BASE_DIR,
                            env=environment, capture_output=True, text=True, timeout=120)
    return result.stdout + result.stderr


def test_https_switch_silences_the_deploy_warnings():
    without = check_deploy()
    assert all(code in without for code in HTTPS_WARNINGS), without
    with_https = check_deploy(HTTPS="true")
    assert not [code for code in HTTPS_WARNINGS if code in with_https], with_https


def test_separate_variables_work_too():
    output = check_deploy(SECURE_HSTS_SECONDS="3600", SECURE_SSL_REDIRECT="true",
                          SESSION_COOKIE_SECURE="true", CSRF_COOKIE_SECURE="true")
    assert not [code for code in HTTPS_WARNINGS if code in output], output


def policy(response) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in response["Content-Security-Policy"].split("; ")}


def test_pages_allow_only_our_origin_and_the_tiles(client, city, settings):
    settings.FRONTEND = {**settings.FRONTEND, "TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png"}
    response = client.get("/")
    assert response.status_code == 200
    csp = policy(response)
    nonce = re.search(r'<script nonce="([^"]+)">document\.documentElement', response.content.decode()).group(1)
    assert csp["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["img-src"] == ["'self'", "data:", "blob:", "https://tile.openstreetmap.org"]
    assert csp["connect-src"] == ["'self'", "https://tile.openstreetmap.org"]
    assert "Content-Security-Policy-Report-Only" not in response
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("style-src")[0]


def test_only_swagger_gets_inline_scripts(client, city):
    # The statistics page's heat map is a MapLibre module now, no inline folium document.
    assert policy(client.get("/statistik/"))["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy(client.get("/statistik/"))["script-src"]
    # The admin's maps are OpenLayers from our origin, started by a script file (config.admin_widgets).
    admin = client.get("/admin/login/")
    assert policy(admin)["script-src"] == ["'self'"]
    assert policy(admin)["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "jsdelivr" not in admin["Content-Security-Policy"]
    assert policy(client.get("/api/docs/"))["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy(client.get("/melden/"))["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy(client.get("/melden/"))["script-src"]
