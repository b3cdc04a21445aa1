"""Pushing our datasets to an upstream CKAN (e.g. the state's open data portal) with ckanapi.

Configured by `OPENDATA["UPSTREAM_URL"]`, `["UPSTREAM_API_KEY"]` (a token of a user who
may edit the target organisation), `["UPSTREAM_OWNER_ORG"]` (its name or id) and
`["UPSTREAM_NAME_PREFIX"]` (our names get it upstream, e.g. `gera-`: portals aggregate
many cities, so bare names would clash). An empty URL disables the push.
`["UPSTREAM_ORGANIZATIONS"]` limits it to some of our organisations (names; empty = all).

What a push does, reading the dataset's state when it runs:
- a public, active dataset is looked up upstream by name (`package_show`) and created
  (`package_create`) or replaced (`package_update`): our metadata, the EU theme groups,
  the DCAT-AP.de extras (spatial, temporal_*, frequency, contributorID) and
  `metadata_original_html` (our landing page, ckanext-dcatde's key), and the resources as
  links to our URLs (uploads are never sent again). Upstream resources with the same URL
  keep their ids;
- a dataset made private or deleted here is deleted upstream (`package_delete`); if it is
  not there, nothing is done ("skip"). A private dataset that was never pushed causes no
  push at all: its metadata never leaves.

Every push is an `UpstreamPush` row with its attempts and last error. Changes are pushed
by Celery (`opendata.tasks.upstream_push_task`) after the commit that made them
(`opendata.signals.dataset_changed`); network and server errors are retried with
exponential backoff, refusals (validation, permission) fail at once. A push whose task
was lost (the broker was down when it was queued, or when a retry was published) stays
pending; beat re-queues it (`upstream_pushes_requeue_stale`, every 5 minutes).
`manage.py ckan_push` pushes synchronously.
"""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import ckanapi
import requests
from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.dispatch import receiver
from django.utils import timezone

from config.queueing import task_enqueue

from .conf import opendata_setting
from .dcat.uris import dataset_landing_page_url
from .dictization import dataset_dictize, isoformat, resource_download_url
from .models import Dataset, Resource, UpstreamPush
from .selectors import dataset_queryset
from .signals import dataset_changed

__all__ = [
    "PERMANENT_ERRORS", "TRANSIENT_ERRORS", "UpstreamConfig", "UpstreamNotConfigured", "UpstreamRetry",
    "upstream_client", "upstream_config", "upstream_package_dict", "upstream_push_attempt", "upstream_push_create",
    "upstream_push_ids_stale", "upstream_push_needed", "upstream_push_plan", "upstream_push_queue",
    "upstream_pushes_failed", "upstream_pushes_requeue_stale", "upstream_targets",
]

logger = logging.getLogger(__name__)

# Named by path: opendata.tasks imports this module.
PUSH_TASK = "opendata.tasks.upstream_push_task"



class UpstreamNotConfigured(Exception):
    """OPENDATA["UPSTREAM_URL"] is empty."""


# Refusals: the upstream answered and said no; trying again changes nothing.
PERMANENT_ERRORS = (ckanapi.ValidationError, ckanapi.NotAuthorized, ckanapi.NotFound, ckanapi.SearchQueryError,
                    UpstreamNotConfigured)
# Network trouble, timeouts, 5xx and unreadable answers: worth another attempt.
TRANSIENT_ERRORS = (requests.RequestException, ckanapi.CKANAPIError, OSError)
ERROR_MAX_CHARS = 2000


class UpstreamRetry(Exception):
    """A transient failure; the Celery task retries on it (autoretry_for)."""


@dataclass(frozen=True)
class UpstreamConfig:
    url: str
    api_key: str
    owner_org: str
    name_prefix: str = ""
    organizations: tuple = ()
    timeout: float = 30.0

    @property
    def enabled(self) -> bool:
        return bool(self.url)

    def upstream_name(self, name: str) -> str:
        return self.name_prefix + name

    def covers(self, dataset: Dataset) -> bool:
        """Whether datasets of this organisation are pushed at all."""
        return not self.organizations or dataset.owner_org.name in self.organizations


def upstream_config() -> UpstreamConfig:
    return UpstreamConfig(
        url=(opendata_setting("UPSTREAM_URL") or "").rstrip("/"),
        api_key=opendata_setting("UPSTREAM_API_KEY") or "",
        owner_org=opendata_setting("UPSTREAM_OWNER_ORG") or "",
        name_prefix=opendata_setting("UPSTREAM_NAME_PREFIX") or "",
        organizations=tuple(opendata_setting("UPSTREAM_ORGANIZATIONS") or ()),
        timeout=float(opendata_setting("UPSTREAM_TIMEOUT")),
    )


@dataclass
class _Client:
    """A RemoteCKAN with our timeout on every call."""

    remote: ckanapi.RemoteCKAN
    timeout: float

    def call(self, action: str, **data):
        return self.remote.call_action(action, data, requests_kwargs={"timeout": self.timeout})

    def close(self):
        self.remote.close()


def upstream_client(config: UpstreamConfig) -> _Client:
    agent = f"Stadtmelder-upstream/1.0 (+{settings.SITE_URL})"
    return _Client(ckanapi.RemoteCKAN(config.url, apikey=config.api_key or None, user_agent=agent),
                   timeout=config.timeout)


# --- the package dict ---------------------------------------------------------------------

def _resource_dict(resource: Resource, upstream_ids: dict) -> dict:
    is_upload = resource.url_type == Resource.UrlType.UPLOAD
    url = resource_download_url(resource) if is_upload else resource.url
    data = {
        "name": resource.name, "description": resource.description, "url": url, "format": resource.format,
        "mimetype": resource.mimetype, "size": resource.size, "hash": resource.hash,
        "last_modified": isoformat(resource.last_modified), "resource_type": resource.resource_type,
    }
    data = {key: value for key, value in data.items() if value not in (None, "")}
    data["url"] = url
    if url in upstream_ids:
        data["id"] = upstream_ids[url]
    return data


def _extras(dataset: Dataset) -> list[dict]:
    """package_show's extras (free ones and the DCAT-AP.de columns: spatial, temporal_*,
    frequency, contributorID) plus ckanext-dcatde's key for dcat:landingPage: our page."""
    extras = {item["key"]: item["value"] for item in dataset_dictize(dataset)["extras"]}
    extras["metadata_original_html"] = dataset_landing_page_url(dataset)
    return [{"key": key, "value": extras[key]} for key in sorted(extras)]


def upstream_package_dict(*, dataset: Dataset, config: UpstreamConfig, current: dict | None = None) -> dict:
    """The package dict sent upstream for a public dataset. `current` is the upstream
    package (package_show), whose resource ids are reused for resources with the same URL."""
    upstream_ids = {r.get("url"): r.get("id") for r in (current or {}).get("resources", []) if r.get("id")}
    data = {
        "name": config.upstream_name(dataset.name),
        "title": dataset.title,
        "notes": dataset.notes,
        "owner_org": config.owner_org,
        "private": False,
        "license_id": dataset.license_id,
        "author": dataset.author,
        "author_email": dataset.author_email,
        "maintainer": dataset.maintainer,
        "maintainer_email": dataset.maintainer_email,
        "url": dataset.url,
        "version": dataset.version,
        "tags": [{"name": tag.name} for tag in dataset.tags.all()],
        # Only the EU data themes: their names are the same on every DCAT-AP.de portal.
        "groups": [{"name": group.name} for group in dataset.groups.all() if group.theme],
        "extras": _extras(dataset),
        "resources": [_resource_dict(resource, upstream_ids) for resource in dataset.resources.all()],
    }
    if current is not None:
        data["id"] = current["id"]
    return data


# --- pushing ------------------------------------------------------------------------------

def _is_published(dataset: Dataset | None) -> bool:
    return dataset is not None and dataset.is_active and not dataset.private


def _upstream_current(client: _Client, name: str) -> dict | None:
    try:
        current = client.call("package_show", id=name)
    except ckanapi.NotFound:
        return None
    return current


def _execute(*, push: UpstreamPush, config: UpstreamConfig, client: _Client, dry_run: bool = False) -> tuple:
    """Run (or, dry, only plan) the push against the upstream: (action, upstream id)."""
    dataset = dataset_queryset().filter(pk=push.dataset_id).first() if push.dataset_id else None
    current = _upstream_current(client, push.upstream_name)
    if _is_published(dataset) and config.covers(dataset):
        data = upstream_package_dict(dataset=dataset, config=config, current=current)
        action = UpstreamPush.Action.CREATE if current is None else UpstreamPush.Action.UPDATE
        if dry_run:
            return action, (current or {}).get("id", "")
        result = client.call("package_create" if current is None else "package_update", **data)
        return action, result.get("id", "")
    if current is None or current.get("state") == "deleted":
        return UpstreamPush.Action.SKIP, (current or {}).get("id", "")
    if not dry_run:
        client.call("package_delete", id=current["id"])
    return UpstreamPush.Action.DELETE, current["id"]


def _planned_action(dataset: Dataset) -> str:
    """What the push will probably do, before the upstream is asked (refined on the attempt)."""
    if not _is_published(dataset):
        return UpstreamPush.Action.DELETE
    pushed = UpstreamPush.objects.filter(dataset=dataset, status=UpstreamPush.Status.OK,
                                         action__in=[UpstreamPush.Action.CREATE, UpstreamPush.Action.UPDATE])
    return UpstreamPush.Action.UPDATE if pushed.exists() else UpstreamPush.Action.CREATE


def upstream_push_create(*, dataset: Dataset, config: UpstreamConfig | None = None) -> UpstreamPush:
    """A pending push row for the dataset's current state."""
    config = config or upstream_config()
    return UpstreamPush.objects.create(
        dataset=dataset, dataset_name=dataset.name, upstream_name=config.upstream_name(dataset.name),
        action=_planned_action(dataset))


def _error_text(exc: BaseException) -> str:
    detail = getattr(exc, "error_dict", None) or str(exc) or ""
    return f"{type(exc).__name__}: {detail}"[:ERROR_MAX_CHARS]


def upstream_push_attempt(*, push_id: int, final: bool = True, client: _Client | None = None) -> UpstreamPush:
    """One attempt of a pending push. A transient failure raises UpstreamRetry unless this
    is the `final` attempt; then, like refusals, it marks the push failed. The attempt is
    counted before the network call, which runs outside any transaction."""
    with transaction.atomic():
        push = UpstreamPush.objects.select_for_update().filter(pk=push_id).first()
        if push is None or push.status != UpstreamPush.Status.PENDING:
            return push  # a duplicate delivery of a finished push
        push.attempts += 1
        push.last_attempt_at = timezone.now()
        push.save(update_fields=["attempts", "last_attempt_at"])
    config = upstream_config()
    own_client = client is None
    client = client or upstream_client(config)
    retry = None
    try:
        if not config.enabled:
            raise UpstreamNotConfigured("no upstream CKAN configured (OPENDATA['UPSTREAM_URL'])")
        push.action, push.upstream_id = _execute(push=push, config=config, client=client)
        push.status, push.error, push.finished_at = UpstreamPush.Status.OK, "", timezone.now()
    except PERMANENT_ERRORS as exc:
        push.status, push.error, push.finished_at = UpstreamPush.Status.FAILED, _error_text(exc), timezone.now()
    except TRANSIENT_ERRORS as exc:
        push.error = _error_text(exc)
        if final:
            push.status, push.finished_at = UpstreamPush.Status.FAILED, timezone.now()
        else:
            retry = UpstreamRetry(push.error)
    finally:
        if own_client:
            client.close()
    push.save(update_fields=["action", "upstream_id", "status", "error", "finished_at"])
    if push.status == UpstreamPush.Status.FAILED:
        logger.warning("upstream push %s of %s failed after %s attempts: %s", push.pk, push.upstream_name,
                       push.attempts, push.error)
    if retry is not None:
        raise retry
    return push


def upstream_push_plan(*, dataset: Dataset, client: _Client | None = None) -> str:
    """Dry run: the action a push would take now (asks the upstream, changes nothing)."""
    config = upstream_config()
    push = UpstreamPush(dataset=dataset, dataset_name=dataset.name, upstream_name=config.upstream_name(dataset.name))
    own_client = client is None
    client = client or upstream_client(config)
    try:
        return _execute(push=push, config=config, client=client, dry_run=True)[0]
    finally:
        if own_client:
            client.close()


# --- what to push -------------------------------------------------------------------------

def upstream_push_needed(*, dataset: Dataset, config: UpstreamConfig) -> bool:
    """Whether a change of this dataset concerns the upstream: datasets of the pushed
    organisations that are public, or were pushed before (to withdraw them). A dataset
    that was never public here never reaches the upstream, not even its name."""
    if not config.covers(dataset):
        return False
    return _is_published(dataset) or UpstreamPush.objects.filter(dataset=dataset).exists()


def upstream_targets(*, config: UpstreamConfig | None = None, name: str | None = None) -> list[Dataset]:
    """Datasets a full push handles: public active ones (of the configured organisations),
    and those pushed before that are no longer public (to delete them upstream), unless
    their last push already removed them. With `name`, that dataset only (any state)."""
    config = config or upstream_config()
    queryset = Dataset.objects.select_related("owner_org").defer("search_vector", "spatial").order_by("name")
    if name is not None:
        return list(queryset.filter(name=name))
    if config.organizations:
        queryset = queryset.filter(owner_org__name__in=config.organizations)
    last = UpstreamPush.objects.filter(dataset=OuterRef("pk")).order_by("-created", "-id")
    queryset = queryset.annotate(last_action=Subquery(last.values("action")[:1]),
                                 last_status=Subquery(last.values("status")[:1]))
    published = Q(state=Dataset.State.ACTIVE, private=False)
    gone = [UpstreamPush.Action.DELETE, UpstreamPush.Action.SKIP]
    withdrawn = Q(last_action__isnull=False) & ~Q(last_status=UpstreamPush.Status.OK, last_action__in=gone)
    return list(queryset.filter(published | (~published & withdrawn)))


def upstream_pushes_failed() -> list[UpstreamPush]:
    """Per dataset, the latest failed push if no successful one followed it."""
    later_ok = UpstreamPush.objects.filter(dataset_name=OuterRef("dataset_name"), created__gt=OuterRef("created"),
                                           status=UpstreamPush.Status.OK)
    failed = UpstreamPush.objects.filter(status=UpstreamPush.Status.FAILED).exclude(
        dataset_name__in=Subquery(later_ok.values("dataset_name")))
    return list(failed.order_by("dataset_name", "-created").distinct("dataset_name"))


def upstream_push_queue(*, dataset_id) -> UpstreamPush | None:
    """After a committed change: queue a push if the dataset concerns the upstream.
    Nothing happens when no upstream is configured, for organisations not pushed, and for
    non-public datasets that were never pushed. Each change gets its own push; each push
    sends the state at its attempt, so their order does not matter."""
    config = upstream_config()
    if not config.enabled:
        return None
    dataset = Dataset.objects.select_related("owner_org").defer("search_vector").filter(pk=dataset_id).first()
    if dataset is None or not upstream_push_needed(dataset=dataset, config=config):
        return None
    push = upstream_push_create(dataset=dataset, config=config)
    task_enqueue(PUSH_TASK, push.pk)  # the broker is down: the row stays pending; beat re-queues it
    return push


# --- lost pushes --------------------------------------------------------------------------

# A push never attempted this long after it was written has lost its task (publishing takes
# milliseconds, a busy worker minutes at most).
PUSH_STALE_AFTER = timedelta(minutes=5)
# Pushes re-queued per beat run, oldest first; the rest follow in the next runs.
PUSH_REQUEUE_BATCH = 200


def upstream_push_ids_stale(*, now: datetime, limit: int = PUSH_REQUEUE_BATCH) -> list[int]:
    """Ids of pending pushes whose task was lost, oldest first: never attempted and written
    more than PUSH_STALE_AFTER ago, or attempted but with no attempt for longer than the
    longest retry delay (UPSTREAM_RETRY_BACKOFF_MAX seconds) plus PUSH_STALE_AFTER."""
    retry_lost = now - timedelta(seconds=opendata_setting("UPSTREAM_RETRY_BACKOFF_MAX")) - PUSH_STALE_AFTER
    return list(
        UpstreamPush.objects.filter(status=UpstreamPush.Status.PENDING)
        .filter(Q(attempts=0, created__lte=now - PUSH_STALE_AFTER)
                | Q(attempts__gt=0, last_attempt_at__lte=retry_lost))
        .order_by("created", "id")
        .values_list("id", flat=True)[:limit]
    )


def upstream_pushes_requeue_stale(*, now: datetime | None = None) -> int:
    """Publish the push task again for pending pushes that lost theirs; returns how many.

    Nothing is queued while no upstream is configured (the rows wait, still pending). A
    duplicate of a task still in the queue is harmless: `upstream_push_attempt` locks the
    row and skips pushes that are no longer pending, and every attempt sends the dataset's
    current state. If the broker is still down, the run stops at the first failure and
    the rows stay pending for the next run.
    """
    if not upstream_config().enabled:
        return 0
    published = 0
    for push_id in upstream_push_ids_stale(now=now or timezone.now()):
        if not task_enqueue(PUSH_TASK, push_id):
            break  # the broker is (still) down: the next run tries again
        published += 1
    return published


@receiver(dataset_changed, dispatch_uid="opendata.upstream.push_on_change")
def _on_dataset_changed(sender, dataset_id, **kwargs):
    upstream_push_queue(dataset_id=dataset_id)
