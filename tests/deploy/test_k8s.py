"""The Kubernetes manifests (deploy/k8s), validated offline: no cluster runs here.

Every object of the base (and of each overlay, rendered by `kubectl kustomize`; scripts/setup.sh
puts a pinned kubectl into var/tools) is checked against the API schema of KUBERNETES_VERSION by kubernetes-validate;
CloudNativePG's `Cluster` and `Pooler` against the operator's CRD schemas (tests/deploy/schemas).
Then what the platform relies on: probes, one beat, autoscalers, budgets, non-root read-only
containers, and every variable production needs.
"""
import json
import subprocess
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from .settings_env import ROOT, image_env, known_variables, production_required

K8S = ROOT / "deploy" / "k8s"
BASE = K8S / "base"
OVERLAYS = sorted(path.parent.name for path in (K8S / "overlays").glob("*/kustomization.yaml"))
#: The oldest Kubernetes release the manifests promise to work on (kubernetes-validate ships its schema).
KUBERNETES_VERSION = "1.33.0"
SCHEMAS = Path(__file__).parent / "schemas"
CRD_SCHEMAS = {("postgresql.cnpg.io/v1", "Cluster"): SCHEMAS / "postgresql.cnpg.io_v1_cluster.json",
               ("postgresql.cnpg.io/v1", "Pooler"): SCHEMAS / "postgresql.cnpg.io_v1_pooler.json"}
#: The pinned kubectl of scripts/k8s_tools.sh (its built-in kustomize renders the overlays).
KUBECTL = ROOT / "var" / "tools" / "kubectl"
APP_COMPONENTS = {"web", "worker", "beat", "migrate"}


def _base_objects() -> list[dict]:
    kustomization = yaml.safe_load((BASE / "kustomization.yaml").read_text())
    return [doc for name in kustomization["resources"] for doc in yaml.safe_load_all((BASE / name).read_text()) if doc]


def _rendered(overlay: str) -> list[dict]:
    assert KUBECTL.exists(), "kubectl is missing: scripts/setup.sh (scripts/k8s_tools.sh) installs it into var/tools"
    out = subprocess.run([str(KUBECTL), "kustomize", str(K8S / "overlays" / overlay)],
                         check=True, capture_output=True, text=True, timeout=60).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


def _problems(objects: list[dict]) -> list[str]:
    problems = []
    for obj in objects:
        where = f"{obj['kind']}/{obj['metadata']['name']}"
        crd = CRD_SCHEMAS.get((obj["apiVersion"], obj["kind"]))
        if crd:
            validator = jsonschema.Draft7Validator(json.loads(crd.read_text()))
            problems += [f"{where}: {'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(obj)]
            continue
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            problems.append(f"{where}: {'/'.join(map(str, error.path))}: {error.message}")
    return problems


def _by_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {obj["metadata"]["name"]: obj for obj in objects if obj["kind"] == kind}


def _pod_specs(objects: list[dict]) -> dict[str, dict]:
    return {obj["metadata"]["name"]: obj["spec"]["template"]["spec"]
            for obj in objects if obj["kind"] in ("Deployment", "Job")}


def test_base_objects_follow_the_kubernetes_and_cloudnative_pg_schemas():
    objects = _base_objects()
    assert {obj["kind"] for obj in objects} >= {"Deployment", "Job", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                                                "NetworkPolicy", "Ingress", "Service", "ConfigMap", "Cluster", "Pooler"}
    assert _problems(objects) == []


def test_the_validator_refuses_a_broken_object():
    # The check above would be worthless if nothing failed it.
    web = _by_kind(_base_objects(), "Deployment")["stadtmelder-web"]
    broken = json.loads(json.dumps(web))
    broken["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["port"] = {"no": "port"}
    cluster = json.loads(json.dumps(_by_kind(_base_objects(), "Cluster")["stadtmelder-db"]))
    cluster["spec"]["instances"] = "two"
    assert len(_problems([broken, cluster])) == 2


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlays_render_and_follow_the_schemas(overlay):
    objects = _rendered(overlay)
    assert _problems(objects) == []
    assert all(obj["metadata"].get("namespace") for obj in objects)


def test_web_probes_liveness_without_and_readiness_with_dependencies():
    web = _pod_specs(_base_objects())["stadtmelder-web"]["containers"][0]
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    worker = _pod_specs(_base_objects())["stadtmelder-worker"]["containers"][0]
    assert "livenessProbe" in worker and "readinessProbe" in worker


def test_exactly_one_beat_replaced_not_rolled():
    beat = _by_kind(_base_objects(), "Deployment")["stadtmelder-beat"]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert "stadtmelder-beat" not in {hpa["spec"]["scaleTargetRef"]["name"]
                                      for hpa in _by_kind(_base_objects(), "HorizontalPodAutoscaler").values()}


def test_web_and_worker_autoscale_and_have_disruption_budgets():
    objects = _base_objects()
    targets = {hpa["spec"]["scaleTargetRef"]["name"] for hpa in _by_kind(objects, "HorizontalPodAutoscaler").values()}
    assert targets == {"stadtmelder-web", "stadtmelder-worker"}
    assert set(_by_kind(objects, "PodDisruptionBudget")) == {"stadtmelder-web", "stadtmelder-worker"}


def test_migrations_are_a_job_on_the_primary():
    job = _by_kind(_base_objects(), "Job")["stadtmelder-migrate"]
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == ["python", "manage.py", "migrate", "--noinput"]
    url = next(item["value"] for item in container["env"] if item["name"] == "DATABASE_URL")
    assert "@stadtmelder-db-rw:" in url


def test_postgresql_has_a_replica_and_transaction_poolers():
    objects = _base_objects()
    assert _by_kind(objects, "Cluster")["stadtmelder-db"]["spec"]["instances"] >= 2
    poolers = _by_kind(objects, "Pooler")
    assert {p["spec"]["type"] for p in poolers.values()} == {"rw", "ro"}
    assert {p["spec"]["pgbouncer"]["poolMode"] for p in poolers.values()} == {"transaction"}


def test_pods_run_as_non_root_with_a_read_only_root():
    for name, spec in _pod_specs(_base_objects()).items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["automountServiceAccountToken"] is False, name
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"] == {"drop": ["ALL"]}, name


def test_ingress_is_closed_by_default():
    policies = _by_kind(_base_objects(), "NetworkPolicy")
    assert policies["default-deny-ingress"]["spec"] == {"podSelector": {}, "policyTypes": ["Ingress"]}


def test_every_app_container_gets_every_variable_production_needs():
    objects = _base_objects()
    config = set(_by_kind(objects, "ConfigMap")["stadtmelder-config"]["data"])
    secret = set(yaml.safe_load((K8S / "secret.example.yaml").read_text())["stringData"])
    for name, spec in _pod_specs(objects).items():
        for container in spec["containers"]:
            sources = {ref.get("configMapRef", ref.get("secretRef"))["name"] for ref in container["envFrom"]}
            assert sources == {"stadtmelder-config", "stadtmelder-secrets"}, name
            own = {item["name"] for item in container.get("env", [])}
            available = config | secret | own | set(image_env())
            assert {v: why for v, why in production_required().items() if v not in available} == {}, name
            # DB_USER/DB_PASSWORD only feed $(…) in DATABASE_URL; everything else the app reads.
            assert (config | secret | own) - known_variables() - {"DB_USER", "DB_PASSWORD"} == set(), name


def test_images_are_pinned_by_digest_or_marked():
    for path in K8S.rglob("*.yaml"):
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            stripped = line.strip()
            if not stripped.startswith(("image:", "imageName:", "newTag:")):
                continue
            value = stripped.split(":", 1)[1].strip()
            assert not value.endswith(":latest") and value != "latest", f"{path}: {line}"
            if value == "stadtmelder":
                continue  # the base's placeholder, which every overlay replaces (images:)
            above = "\n".join(lines[max(0, number - 3):number])
            assert "@sha256:" in value or "TODO(digest)" in above, f"{path}: {line}"
