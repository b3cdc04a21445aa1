"""Pushing datasets to an upstream CKAN, end to end over HTTP with the real ckanapi client.

The "upstream" is our own live server: it speaks the CKAN Action API. Datasets of our
organisation `tiefbauamt` are pushed, with the name prefix `gera-`, into the organisation
`landesportal` of the same database, with a token of that organisation's editor. Only
`tiefbauamt` is pushed (UPSTREAM_ORGANIZATIONS), so the upstream's own writes do not
push again. Celery runs eagerly (tests/conftest.py), retries included.
"""
import hashlib
import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from kombu.exceptions import OperationalError

from config.celery import app as celery_app
from config.celery import beat_schedule
from opendata.auth import Actor
from opendata.models import Dataset, UpstreamPush
from opendata.services import dataset_create, dataset_update
from opendata.tasks import upstream_push_task, upstream_pushes_requeue_stale_task
from opendata.upstream import PUSH_STALE_AFTER, upstream_push_ids_stale
from tests.opendata.factories import (
    DatasetFactory,
    GroupFactory,
    OrganizationFactory,
    ResourceFactory,
    UserFactory,
    bbox_polygon,
    member_add,
    token_for,
)

pytestmark = pytest.mark.django_db(transaction=True)

SPATIAL = ('{"type": "Polygon", "coordinates": '
           '[[[12.0, 50.85], [12.1, 50.85], [12.1, 50.9], [12.0, 50.9], [12.0, 50.85]]]}')
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


@pytest.fixture
def upstream(site, settings, org, editor):
    """Our live server configured as the upstream; returns its URL and the upstream org."""
    GroupFactory(name="tran", title="Verkehr", theme="TRAN")  # flushed after transactional tests
    portal = OrganizationFactory(name="landesportal", title="Landesportal")
    bot = UserFactory(username="landesportal-bot")
    member_add(portal, bot, "editor")
    settings.OPENDATA = {
        **settings.OPENDATA, "UPSTREAM_URL": site, "UPSTREAM_API_KEY": token_for(bot),
        "UPSTREAM_OWNER_ORG": "landesportal", "UPSTREAM_NAME_PREFIX": "gera-",
        "UPSTREAM_ORGANIZATIONS": ["tiefbauamt"], "UPSTREAM_TIMEOUT": 20.0,
    }
    return {"url": site, "portal": portal}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dead_upstream(settings, org):
    """An upstream URL on a closed local port. Eager Celery re-runs a retried task at once
    (no countdown) unless it propagates errors, which tests/conftest.py turns on."""
    celery_app.conf.task_eager_propagates = False
    GroupFactory(name="tran", title="Verkehr", theme="TRAN")
    settings.OPENDATA = {
        **settings.OPENDATA, "UPSTREAM_URL": f"http://127.0.0.1:{closed_port()}", "UPSTREAM_API_KEY": "x",
        "UPSTREAM_OWNER_ORG": "landesportal", "UPSTREAM_NAME_PREFIX": "gera-", "UPSTREAM_TIMEOUT": 2.0,
    }
    yield
    celery_app.conf.task_eager_propagates = True


def result(response):
    assert response.status_code == 200, response.content
    return response.json()["result"]


def pushes(name: str) -> list[tuple]:
    return list(UpstreamPush.objects.filter(dataset_name=name).order_by("created", "id")
                .values_list("action", "status", "attempts", "error"))


BAUSTELLEN = {
    "name": "baustellen", "title": "Baustellen", "notes": "Aktuelle Baustellen", "owner_org": "tiefbauamt",
    "license_id": "dl-by-de/2.0", "tags": [{"name": "verkehr"}], "groups": [{"name": "tran"}],
    "maintainer": "Tiefbauamt", "maintainer_email": "tiefbau@stadt.example",
    "extras": [{"key": "spatial", "value": SPATIAL}, {"key": "frequency", "value": "WEEKLY"},
               {"key": "contributorID", "value": '["http://dcat-ap.de/def/contributors/stadtGera"]'}],
    "resources": [{"name": "Karte", "url": "https://geo.stadt.example/baustellen.geojson", "format": "GeoJSON"}],
}


# --- end to end -----------------------------------------------------------------------------

def test_create_update_delete_are_pushed(ckan, editor_token, upload, upstream):
    created = result(ckan("package_create", BAUSTELLEN, token=editor_token))
    pushed = Dataset.objects.get(name="gera-baustellen")
    assert pushes("baustellen") == [("create", "ok", 1, "")]
    assert UpstreamPush.objects.get().upstream_id == str(pushed.pk)

    shown = result(ckan("package_show", {"id": "gera-baustellen"}, method="GET"))
    assert shown["organization"]["name"] == "landesportal"
    assert shown["title"] == "Baustellen" and shown["notes"] == "Aktuelle Baustellen"
    assert shown["license_id"] == "dl-by-de/2.0"
    assert [t["name"] for t in shown["tags"]] == ["verkehr"]
    assert [g["name"] for g in shown["groups"]] == ["tran"]
    assert shown["maintainer_email"] == "tiefbau@stadt.example"
    extras = {e["key"]: e["value"] for e in shown["extras"]}
    assert extras["frequency"] == "http://publications.europa.eu/resource/authority/frequency/WEEKLY"
    assert extras["contributorID"] == '["http://dcat-ap.de/def/contributors/stadtGera"]'
    assert extras["metadata_original_html"] == f"{upstream['url']}/dataset/baustellen"
    assert pushed.spatial.equals(bbox_polygon(12.0, 50.85, 12.1, 50.9))
    assert [(r["name"], r["url"], r["url_type"]) for r in shown["resources"]] == [
        ("Karte", "https://geo.stadt.example/baustellen.geojson", None)]
    link_id = shown["resources"][0]["id"]

    # An upload here becomes a link to our download URL there; the link keeps its id.
    content = b"lon,lat,art\n12.08,50.88,Baustelle\n"
    uploaded = upload("resource_create", {"package_id": created["id"], "name": "Liste"}, editor_token,
                      content=content).json()["result"]
    shown = result(ckan("package_show", {"id": "gera-baustellen"}, method="GET"))
    assert [(r["name"], r["url"], r["url_type"], r["size"], r["hash"]) for r in shown["resources"]] == [
        ("Karte", "https://geo.stadt.example/baustellen.geojson", None, None, ""),
        ("Liste", uploaded["url"], None, len(content), hashlib.sha256(content).hexdigest()),
    ]
    assert uploaded["url"].startswith(f"{upstream['url']}/dataset/{created['id']}/resource/")
    assert shown["resources"][0]["id"] == link_id
    assert pushes("baustellen")[1:] == [("update", "ok", 1, "")]

    result(ckan("package_patch", {"id": "baustellen", "title": "Baustellen 2024"}, token=editor_token))
    assert result(ckan("package_show", {"id": "gera-baustellen"}, method="GET"))["title"] == "Baustellen 2024"
    assert Dataset.objects.filter(name__startswith="gera-").count() == 1

    result(ckan("package_delete", {"id": "baustellen"}, token=editor_token))
    assert pushes("baustellen")[-1] == ("delete", "ok", 1, "")
    assert Dataset.objects.get(name="gera-baustellen").state == "deleted"
    assert [p[0] for p in pushes("baustellen")] == ["create", "update", "update", "delete"]


def test_made_private_is_deleted_upstream(ckan, editor_token, upstream):
    result(ckan("package_create", BAUSTELLEN, token=editor_token))
    result(ckan("package_patch", {"id": "baustellen", "private": True}, token=editor_token))
    assert pushes("baustellen")[-1] == ("delete", "ok", 1, "")
    assert Dataset.objects.get(name="gera-baustellen").state == "deleted"
    # Further changes of the private dataset: nothing left to delete upstream.
    result(ckan("package_patch", {"id": "baustellen", "notes": "intern"}, token=editor_token))
    assert pushes("baustellen")[-1] == ("skip", "ok", 1, "")


def test_private_datasets_are_never_pushed(ckan, editor_token, upstream):
    result(ckan("package_create", {**BAUSTELLEN, "name": "intern", "private": True}, token=editor_token))
    result(ckan("package_patch", {"id": "intern", "title": "Noch intern"}, token=editor_token))
    result(ckan("resource_create", {"package_id": "intern", "url": "https://x.example/a.csv"}, token=editor_token))
    result(ckan("package_delete", {"id": "intern"}, token=editor_token))
    assert UpstreamPush.objects.count() == 0
    assert not Dataset.objects.filter(name="gera-intern").exists()
    out = run_command("--all")
    assert out == "created: 0, updated: 0, deleted: 0, skipped: 0, failed: 0\n"


def test_other_organisations_and_disabled_upstream_push_nothing(ckan, editor_token, settings, upstream, org):
    settings.OPENDATA = {**settings.OPENDATA, "UPSTREAM_ORGANIZATIONS": ["gruenflaechenamt"]}
    result(ckan("package_create", BAUSTELLEN, token=editor_token))
    settings.OPENDATA = {**settings.OPENDATA, "UPSTREAM_ORGANIZATIONS": [], "UPSTREAM_URL": ""}
    result(ckan("package_patch", {"id": "baustellen", "title": "Neu"}, token=editor_token))
    assert UpstreamPush.objects.count() == 0
    assert not Dataset.objects.filter(name="gera-baustellen").exists()
    with pytest.raises(CommandError, match=r"No upstream CKAN configured: set CKAN_UPSTREAM_URL"):
        call_command("ckan_push", "--all")


# --- the command ----------------------------------------------------------------------------

def run_command(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("ckan_push", *args, stdout=out)
    return out.getvalue()


def test_command_all_and_dry_run(upstream, org):
    # Factories write without the services: nothing is pushed until the command runs.
    for name in ("altglas", "baeume"):
        ResourceFactory(package=DatasetFactory(name=name, owner_org=org), url=f"https://x.example/{name}.csv")
    DatasetFactory(name="entwurf", owner_org=org, private=True)
    DatasetFactory(name="fremd", owner_org=OrganizationFactory(name="gruenflaechenamt"))
    assert UpstreamPush.objects.count() == 0

    assert run_command("--all", "--dry-run") == (
        "gera-altglas: would be created\ngera-baeume: would be created\n"
        "dry run, would be created: 2, updated: 0, deleted: 0, skipped: 0, failed: 0\n")
    assert UpstreamPush.objects.count() == 0
    assert not Dataset.objects.filter(name__startswith="gera-").exists()

    assert run_command("--all") == (
        "gera-altglas: created\ngera-baeume: created\ncreated: 2, updated: 0, deleted: 0, skipped: 0, failed: 0\n")
    assert sorted(Dataset.objects.filter(owner_org=upstream["portal"]).values_list("name", flat=True)) == [
        "gera-altglas", "gera-baeume"]

    Dataset.objects.filter(name="baeume").update(private=True)
    assert run_command("--all", "--dry-run").endswith(
        "dry run, would be created: 0, updated: 1, deleted: 1, skipped: 0, failed: 0\n")
    assert run_command("--all") == (
        "gera-altglas: updated\ngera-baeume: deleted\ncreated: 0, updated: 1, deleted: 1, skipped: 0, failed: 0\n")
    # Withdrawn once, it is not asked about again.
    assert run_command("--all") == "gera-altglas: updated\ncreated: 0, updated: 1, deleted: 0, skipped: 0, failed: 0\n"
    assert run_command("--dataset", "entwurf") == (
        "gera-entwurf: skipped (never public, not pushed)\n"
        "created: 0, updated: 0, deleted: 0, skipped: 1, failed: 0\n")
    assert run_command() == "No failed pushes.\n"
    with pytest.raises(CommandError, match=r"^Dataset 'gibtsnicht' does not exist\.$"):
        run_command("--dataset", "gibtsnicht")


def test_refusal_fails_at_once(upstream, settings, org, editor):
    settings.OPENDATA = {**settings.OPENDATA, "UPSTREAM_API_KEY": "falsches-token"}
    dataset_create(actor=Actor(user=editor), data={**BAUSTELLEN, "resources": []})
    [(action, status, attempts, error)] = pushes("baustellen")
    assert (action, status, attempts) == ("create", "failed", 1)
    assert error.startswith("NotAuthorized: ")
    assert not Dataset.objects.filter(name="gera-baustellen").exists()


# --- failures -------------------------------------------------------------------------------

def test_unreachable_upstream_is_retried_then_failed(dead_upstream, editor):
    dataset = dataset_create(actor=Actor(user=editor), data={**BAUSTELLEN, "resources": []})
    attempts = upstream_push_task.max_retries + 1
    [(action, status, count, error)] = pushes("baustellen")
    assert (action, status, count) == ("create", "failed", attempts)
    assert error.startswith("ConnectionError: ")
    push = UpstreamPush.objects.get()
    assert push.dataset == dataset and push.upstream_name == "gera-baustellen"
    assert push.finished_at is not None and push.last_attempt_at is not None

    # A second change gets its own push; the command lists the latest failure per dataset.
    dataset_update(actor=Actor(user=editor), data={**BAUSTELLEN, "title": "Neu"})
    assert UpstreamPush.objects.filter(status="failed").count() == 2
    with pytest.raises(CommandError) as excinfo:
        run_command()
    assert excinfo.value.returncode == 1
    assert str(excinfo.value) == "1 failed pushes; retry with --dataset NAME or --all."

    from io import StringIO
    out = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("ckan_push", "--all", stdout=out)
    assert str(excinfo.value) == "1 of 1 pushes failed."
    lines = out.getvalue().splitlines()
    assert lines[0] == "created: 0, updated: 0, deleted: 0, skipped: 0, failed: 1"
    assert lines[1].startswith("failed: gera-baustellen (create): ConnectionError: ")
    assert UpstreamPush.objects.order_by("-id").first().attempts == 1  # the command does not retry


def test_command_exit_code(dead_upstream, org, settings):
    """`manage.py ckan_push --all` in a subprocess: the exit code and the summary text."""
    DatasetFactory(name="altglas", owner_org=org)
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                        f"/{db['NAME']}",
        "CKAN_UPSTREAM_URL": settings.OPENDATA["UPSTREAM_URL"], "CKAN_UPSTREAM_API_KEY": "x",
        "CKAN_UPSTREAM_OWNER_ORG": "landesportal", "CKAN_UPSTREAM_NAME_PREFIX": "gera-",
    }
    completed = subprocess.run([sys.executable, str(MANAGE), "ckan_push", "--all"], capture_output=True, text=True,
                               env=env, timeout=120, check=False)
    assert completed.returncode == 1, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == "created: 0, updated: 0, deleted: 0, skipped: 0, failed: 1"
    assert lines[1].startswith("failed: gera-altglas (create): ConnectionError: ")
    assert completed.stderr.strip().endswith("CommandError: 1 of 1 pushes failed.")
    assert UpstreamPush.objects.get().status == "failed"


# --- pushes whose task was lost ------------------------------------------------------------

def test_pending_push_of_a_broker_outage_is_requeued_by_beat(ckan, upstream, editor, monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(upstream_push_task, "apply_async", broker_down)
        dataset_create(actor=Actor(user=editor), data={**BAUSTELLEN, "resources": []})
        dataset_create(actor=Actor(user=editor), data={**BAUSTELLEN, "name": "altglas", "title": "Altglas",
                                                       "resources": []})
    assert pushes("baustellen") == [("create", "pending", 0, "")]
    assert pushes("altglas") == [("create", "pending", 0, "")]
    old = UpstreamPush.objects.get(dataset_name="baustellen")
    UpstreamPush.objects.filter(pk=old.pk).update(created=timezone.now() - PUSH_STALE_AFTER - timedelta(seconds=1))

    # The stale push is sent; the fresh one is left alone (its task may still be on its way).
    assert upstream_pushes_requeue_stale_task.delay().get() == 1
    assert pushes("baustellen") == [("create", "ok", 1, "")]
    assert result(ckan("package_show", {"id": "gera-baustellen"}, method="GET"))["title"] == "Baustellen"
    assert pushes("altglas") == [("create", "pending", 0, "")]
    assert not Dataset.objects.filter(name="gera-altglas").exists()
    assert upstream_pushes_requeue_stale_task.delay().get() == 0


def test_broker_still_down_leaves_pushes_pending(upstream, editor, monkeypatch, caplog):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(upstream_push_task, "apply_async", broker_down)
    dataset_create(actor=Actor(user=editor), data={**BAUSTELLEN, "resources": []})
    push = UpstreamPush.objects.get()
    UpstreamPush.objects.filter(pk=push.pk).update(created=timezone.now() - timedelta(hours=1))
    assert upstream_pushes_requeue_stale_task.delay().get() == 0
    assert pushes("baustellen") == [("create", "pending", 0, "")]
    assert f"could not queue opendata.tasks.upstream_push_task({push.pk},)" in caplog.text


def test_stale_pushes_are_never_attempted_old_ones_or_lost_retries(org):
    """Attempted pushes count as lost once the longest retry delay (UPSTREAM_RETRY_BACKOFF_MAX,
    900 s by default) plus PUSH_STALE_AFTER (5 minutes) passed without another attempt."""
    now = timezone.now()
    dataset = DatasetFactory(name="altglas", owner_org=org)

    def push(**fields):
        return UpstreamPush.objects.create(dataset=dataset, dataset_name="altglas", upstream_name="gera-altglas",
                                           action="create", **fields).pk

    never_tried_old = push(created=now - timedelta(minutes=6))
    push(created=now - timedelta(minutes=4))  # never tried, fresh
    retry_lost = push(created=now - timedelta(hours=1), attempts=2, last_attempt_at=now - timedelta(minutes=21))
    push(created=now - timedelta(hours=1), attempts=2, last_attempt_at=now - timedelta(minutes=19))  # retry due
    push(created=now - timedelta(hours=2), status="failed", attempts=6)
    push(created=now - timedelta(hours=2), status="ok", attempts=1)
    assert upstream_push_ids_stale(now=now) == [retry_lost, never_tried_old]


def test_disabled_upstream_requeues_nothing(org):
    UpstreamPush.objects.create(dataset_name="altglas", upstream_name="gera-altglas", action="create",
                                created=timezone.now() - timedelta(hours=1))
    assert upstream_pushes_requeue_stale_task.delay().get() == 0
    assert UpstreamPush.objects.get().status == "pending"


def test_requeue_runs_every_five_minutes_from_beat():
    entry = beat_schedule()["upstream-pushes-requeue-stale"]
    assert entry["task"] == "opendata.tasks.upstream_pushes_requeue_stale_task"
    assert entry["schedule"] == timedelta(minutes=5)
    celery_app.loader.import_default_modules()
    assert entry["task"] in celery_app.tasks


# --- admin ----------------------------------------------------------------------------------

def test_admin_lists_pushes_read_only(client, dead_upstream, editor):
    dataset_create(actor=Actor(user=editor), data={**BAUSTELLEN, "resources": []})
    push = UpstreamPush.objects.get()
    admin = UserFactory(username="chefin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get("/admin/opendata/upstreampush/")
    assert listing.status_code == 200
    assert "gera-baustellen" in listing.content.decode()
    assert client.get("/admin/opendata/upstreampush/add/").status_code == 403
    detail = client.get(f"/admin/opendata/upstreampush/{push.pk}/change/")
    assert detail.status_code == 200
    assert "ConnectionError" in detail.content.decode()
    assert client.post(f"/admin/opendata/upstreampush/{push.pk}/change/", {"status": "ok"}).status_code == 403
    assert client.post(f"/admin/opendata/upstreampush/{push.pk}/delete/", {"post": "yes"}).status_code == 403
    push.refresh_from_db()
    assert push.status == "failed"
