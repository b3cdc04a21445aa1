"""docker-compose.yml against the compose specification and against what the settings need.

No Docker daemon runs here: the file is checked as data. Each app container must get every
variable production needs (derived from config/settings.py, tests/deploy/settings_env.py),
nothing the settings do not read (a typo would be silently ignored), a health check, and
images pinned by digest.
"""
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from .settings_env import ROOT, image_env, known_variables, production_required

COMPOSE = ROOT / "docker-compose.yml"
SCHEMA = Path(__file__).parent / "schemas" / "compose-spec.json"
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
TODO_DIGEST = "TODO(digest)"


def _interpolated(text: str) -> str:
    """Compose's `${VAR}`, `${VAR:-default}`, `${VAR:?message}` with a sample value; `$$` is a `$`."""
    return re.sub(r"\$\{[A-Z0-9_]+(?::?[-?][^}]*)?\}", "sample", text).replace("$$", "$")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(_interpolated(COMPOSE.read_text()))


def _app_services(compose: dict) -> dict:
    return {name: service for name, service in compose["services"].items()
            if isinstance(service.get("build"), dict) and service["build"].get("target") == "app"}


def test_compose_file_follows_the_compose_specification(compose):
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text()))
    errors = [f"{'/'.join(map(str, error.path))}: {error.message}" for error in validator.iter_errors(compose)]
    assert errors == []


def test_the_app_services_are_migrate_web_worker_and_beat(compose):
    assert sorted(_app_services(compose)) == ["beat", "migrate", "web", "worker"]


@pytest.mark.parametrize("service", ["migrate", "web", "worker", "beat"])
def test_every_app_service_gets_every_variable_production_needs(compose, service):
    environment = set(_app_services(compose)[service]["environment"]) | set(image_env())
    missing = {name: why for name, why in production_required().items() if name not in environment}
    assert missing == {}


@pytest.mark.parametrize("service", ["migrate", "web", "worker", "beat"])
def test_app_services_set_only_variables_the_app_reads(compose, service):
    unknown = set(_app_services(compose)[service]["environment"]) - known_variables()
    assert unknown == set()


def test_secrets_and_addresses_are_required_not_defaulted():
    # `${VAR:?message}`: `docker compose up` stops with the message instead of starting with a
    # guessable key or a wrong address.
    text = COMPOSE.read_text()
    for name in ("SECRET_KEY", "SOZIALCARD_CARD_HASH_KEY", "DB_PASSWORD", "REDIS_PASSWORD", "ALLOWED_HOSTS",
                 "SITE_URL", "EMAIL_URL", "DEFAULT_FROM_EMAIL"):
        assert re.search(r"\$\{" + name + r":\?[^}]+\}", text), name


def test_cache_and_broker_point_at_the_redis_service(compose):
    environment = compose["services"]["web"]["environment"]
    assert environment["CACHE_URL"].startswith("redis://") and "@redis:6379/1" in environment["CACHE_URL"]
    assert "@redis:6379/0" in environment["CELERY_BROKER_URL"]


def test_every_long_running_service_has_a_health_check(compose):
    without = [name for name, service in compose["services"].items()
               if name != "migrate" and (not service.get("healthcheck") or service["healthcheck"].get("disable"))]
    assert without == []
    web_check = " ".join(compose["services"]["web"]["healthcheck"]["test"])
    assert "/readyz" in web_check


def test_migrations_run_once_before_web_worker_and_beat(compose):
    migrate = compose["services"]["migrate"]
    assert migrate["restart"] == "no"
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    for name in ("web", "worker", "beat"):
        assert compose["services"][name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_app_and_proxy_containers_run_without_root_rights(compose):
    for name, service in compose["services"].items():
        if "build" in service:
            assert service["read_only"] is True, name
            assert service["cap_drop"] == ["ALL"], name
            assert "no-new-privileges:true" in service["security_opt"], name


def test_the_proxy_serves_public_media_and_never_the_private_files(compose):
    proxy = compose["services"]["proxy"]
    assert proxy["volumes"] == ["media:/srv/media:ro"]
    assert all("private" not in volume for volume in proxy["volumes"])


def test_images_are_pinned_by_digest_or_marked():
    lines = COMPOSE.read_text().splitlines()
    for number, line in enumerate(lines):
        match = re.match(r"\s*image:\s*(\S+)", line)
        if not match:
            continue
        image = match.group(1)
        assert not image.endswith(":latest"), line
        built = any(re.match(r"\s*(build:|<<: \*app)", other) for other in lines[max(0, number - 3):number])
        if built:
            assert re.search(r":\$\{STADTMELDER_VERSION", image), line
            continue
        above = "\n".join(lines[max(0, number - 4):number])
        assert DIGEST.search(image) or TODO_DIGEST in above, line
