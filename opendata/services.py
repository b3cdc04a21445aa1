"""Writes of the catalogue: datasets, resources (with uploads) and API tokens.

Every service validates its whole input first (ValidationError → 409, nothing written),
checks permissions through the selectors (NotAuthorized/NotFound), then writes inside
one transaction, bumps `metadata_modified` and refreshes the search index. Files
replaced or deleted are removed only after the commit; files stored by a transaction
that fails are removed again.

Semantics follow CKAN 2.10/2.11:
- package_update replaces the dataset's metadata with the given dict (omitted tags,
  groups, extras and text fields are cleared); `resources`, `owner_org` and `private`
  are kept when the key is omitted (CKAN 2.11 keeps omitted resources).
- package_patch applies the given keys to package_show's dict, then updates.
- package_delete sets state "deleted"; the name stays taken, as in CKAN.
"""
import hashlib
import secrets
import uuid
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .auth import Actor
from .dictization import dataset_dictize
from .errors import NotAuthorized, ValidationError
from .geo.services import geo_ingest_queue
from .models import ApiToken, Dataset, OrganizationMember, Resource, Tag
from .search.index import search_index_update
from .selectors import dataset_get_for_edit, organization_find, resource_get_for_edit
from .signals import dataset_changed_on_commit
from .touch import dataset_touch
from .validation import DatasetInput, ResourceInput, dataset_input_validate, resource_input_validate

__all__ = [
    "api_token_create", "api_token_revoke", "dataset_create", "dataset_delete", "dataset_patch",
    "dataset_touch", "dataset_update", "resource_create", "resource_delete", "resource_file_store",
    "resource_update",
]

HASH_CHUNK = 1024 * 1024
_DATASET_FIELDS = ("name", "title", "notes", "license_id", "owner_org", "private", "author", "author_email",
                   "maintainer", "maintainer_email", "url", "version", "spatial", "temporal_start", "temporal_end",
                   "frequency", "contributor_id", "extras")


# --- files ---------------------------------------------------------------------------------

@contextmanager
def _file_cleanup():
    """Collects stored files; deletes them if the block fails, and old files on commit."""
    stored, obsolete = [], []
    try:
        yield stored, obsolete
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    for storage, name in obsolete:
        transaction.on_commit(lambda s=storage, n=name: s.delete(n))


def resource_file_store(*, resource: Resource, upload) -> None:
    """Store `upload` as the resource's file and describe it: size, SHA-256, last
    modified. The caller saves the resource."""
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks(HASH_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    filename = upload.name.replace("\\", "/").rsplit("/", 1)[-1] or "file"
    resource.upload.save(filename, upload, save=False)
    resource.url_type = Resource.UrlType.UPLOAD
    resource.url = ""
    resource.size = size
    resource.hash = digest.hexdigest()
    resource.last_modified = timezone.now()
    geo_ingest_queue(resource=resource)  # vector files are read into features after commit


def _resource_apply(*, resource: Resource, clean: ResourceInput, cleanup) -> None:
    stored, obsolete = cleanup
    for name in ("name", "description", "format", "mimetype", "resource_type", "extras"):
        setattr(resource, name, getattr(clean, name))
    if clean.upload is not None:
        if resource.upload:
            obsolete.append((resource.upload.storage, resource.upload.name))
        resource_file_store(resource=resource, upload=clean.upload)
        stored.append((resource.upload.storage, resource.upload.name))
    elif not clean.keep_upload:
        if resource.upload:
            obsolete.append((resource.upload.storage, resource.upload.name))
            resource.upload = None
        resource.url_type = Resource.UrlType.LINK
        resource.url = clean.url
        resource.size = clean.size
        resource.hash = clean.hash
        resource.last_modified = clean.last_modified
        geo_ingest_queue(resource=resource)  # drops the features of a removed upload
    resource.metadata_modified = timezone.now()


def _resource_new(*, dataset: Dataset, clean: ResourceInput, actor: Actor) -> Resource:
    resource = Resource(package=dataset)
    requested = clean.id
    if requested and actor.is_sysadmin:
        try:
            pk = uuid.UUID(str(requested))
        except ValueError:
            pk = None
        if pk and not Resource.objects.filter(pk=pk).exists():
            resource.id = pk
    return resource


# --- datasets ------------------------------------------------------------------------------

def _tags_get(names: list[str]) -> list[Tag]:
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=n) for n in names if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    return [existing[n] for n in names]


def _dataset_write(*, dataset: Dataset, clean: DatasetInput, actor: Actor, created: bool) -> Dataset:
    now = timezone.now()
    for name in _DATASET_FIELDS:
        setattr(dataset, name, getattr(clean, name))
    dataset.metadata_modified = now
    if created:
        dataset.metadata_created = now
        dataset.creator_user = actor.user if actor.is_authenticated else None
    dataset.save()
    dataset.tags.set(_tags_get(clean.tags))
    dataset.groups.set(clean.groups)
    if clean.resources is not None:
        with _file_cleanup() as cleanup:
            # Read under lock: an ingest holding a resource's row writes its result and
            # `features_version` there; a row read before its commit would be saved back over them.
            existing = {str(r.id): r for r in dataset.resources.select_for_update()} if not created else {}
            for position, item in enumerate(clean.resources):
                resource = existing.pop(str(item.id), None) if item.id else None
                if resource is None:
                    resource = _resource_new(dataset=dataset, clean=item, actor=actor)
                _resource_apply(resource=resource, clean=item, cleanup=cleanup)
                resource.position = position
                resource.save()
            for resource in existing.values():
                if resource.upload:
                    cleanup[1].append((resource.upload.storage, resource.upload.name))
                resource.delete()
    search_index_update(dataset_ids=[dataset.pk])
    dataset_changed_on_commit(dataset_id=dataset.pk)
    return dataset


def _require_can_create(*, actor: Actor, data: dict) -> None:
    """CKAN's package_create auth: a user needs an editor role somewhere, and in the
    organisation named (if one is named and exists)."""
    can_somewhere = actor.is_sysadmin or any(
        c in OrganizationMember.EDIT_CAPACITIES for c in actor.roles().values())
    if not can_somewhere:
        raise NotAuthorized(f"User {actor.name} not authorized to create packages")
    org_ref = data.get("owner_org")
    if org_ref and not actor.is_sysadmin:
        org = organization_find(id_or_name=org_ref)
        if org is None or not actor.can_edit(org.pk):
            raise NotAuthorized(f"User {actor.name} not authorized to add dataset to this organization")


def dataset_create(*, actor: Actor, data: dict) -> Dataset:
    """package_create."""
    _require_can_create(actor=actor, data=data)
    clean = dataset_input_validate(data=data, actor=actor)
    with transaction.atomic():
        dataset = Dataset(id=clean.id) if clean.id else Dataset()
        return _dataset_write(dataset=dataset, clean=clean, actor=actor, created=True)


def dataset_update(*, actor: Actor, data: dict) -> Dataset:
    """package_update: `id` (or `name`) names the dataset."""
    ref = data.get("id") or data.get("name")
    if not ref:
        raise ValidationError({"id": ["Missing value"]})
    with transaction.atomic():
        dataset = dataset_get_for_edit(actor=actor, id_or_name=ref, action="package_update")
        clean = dataset_input_validate(data=data, actor=actor, dataset=dataset)
        return _dataset_write(dataset=dataset, clean=clean, actor=actor, created=False)


def dataset_patch(*, actor: Actor, data: dict) -> Dataset:
    """package_patch: package_show's dict with the given keys replaced, then updated."""
    ref = data.get("id") or data.get("name")
    if not ref:
        raise ValidationError({"id": ["Missing value"]})
    with transaction.atomic():
        current = dataset_get_for_edit(actor=actor, id_or_name=ref, action="package_patch")
        patched = {**dataset_dictize(current), **data, "id": str(current.id)}
        clean = dataset_input_validate(data=patched, actor=actor, dataset=current)
        return _dataset_write(dataset=current, clean=clean, actor=actor, created=False)


def dataset_delete(*, actor: Actor, id_or_name) -> None:
    """package_delete: state "deleted"; the dataset leaves lists, search and package_show."""
    if not id_or_name:
        raise ValidationError({"id": ["Missing value"]})
    with transaction.atomic():
        dataset = dataset_get_for_edit(actor=actor, id_or_name=id_or_name, action="package_delete",
                                       denied="User {user} not authorized to delete package {id}")
        dataset.state = Dataset.State.DELETED
        dataset.metadata_modified = timezone.now()
        dataset.save(update_fields=["state", "metadata_modified"])
        dataset_changed_on_commit(dataset_id=dataset.pk)


# --- resources -----------------------------------------------------------------------------

def _resource_errors(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def resource_create(*, actor: Actor, data: dict) -> Resource:
    """resource_create: a link (`url`) or an upload (`upload` file) appended to a dataset."""
    package_id = data.get("package_id")
    if not package_id:
        raise ValidationError({"package_id": ["Missing value"]})
    with transaction.atomic():
        dataset = dataset_get_for_edit(actor=actor, id_or_name=package_id, action="resource_create",
                                       denied="User {user} not authorized to create resources on dataset {id}")
        clean, errors = resource_input_validate(data=data, existing=None)
        _resource_errors(errors)
        with _file_cleanup() as cleanup:
            resource = _resource_new(dataset=dataset, clean=clean, actor=actor)
            _resource_apply(resource=resource, clean=clean, cleanup=cleanup)
            last = dataset.resources.aggregate(m=Max("position"))["m"]
            resource.position = 0 if last is None else last + 1
            resource.save()
        dataset_touch(dataset=dataset)
        return resource


def resource_update(*, actor: Actor, data: dict) -> Resource:
    """resource_update: replaces the resource's fields; a new `upload` replaces the file."""
    if not data.get("id"):
        raise ValidationError({"id": ["Missing value"]})
    with transaction.atomic():
        resource = resource_get_for_edit(actor=actor, resource_id=data["id"], action="resource_update")
        clean, errors = resource_input_validate(data=data, existing=resource)
        _resource_errors(errors)
        with _file_cleanup() as cleanup:
            _resource_apply(resource=resource, clean=clean, cleanup=cleanup)
            resource.save()
        dataset_touch(dataset=resource.package)
        return resource


def resource_delete(*, actor: Actor, resource_id) -> None:
    """resource_delete: removes the resource (and, after commit, its file); the dataset's
    other resources move up."""
    if not resource_id:
        raise ValidationError({"id": ["Missing value"]})
    with transaction.atomic():
        resource = resource_get_for_edit(actor=actor, resource_id=resource_id, action="resource_delete",
                                         denied="User {user} not authorized to delete resource {id}")
        dataset = resource.package
        with _file_cleanup() as (_stored, obsolete):
            if resource.upload:
                obsolete.append((resource.upload.storage, resource.upload.name))
            resource.delete()
        for position, pk in enumerate(dataset.resources.order_by("position", "created").values_list("pk", flat=True)):
            Resource.objects.filter(pk=pk).exclude(position=position).update(position=position)
        dataset_touch(dataset=dataset)


# --- API tokens ----------------------------------------------------------------------------

def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new API token for `user`. Returns the row and the token, which is not stored
    and cannot be shown again."""
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, token_hash=ApiToken.digest(raw), prefix=raw[:8])
    return token, raw


def api_token_revoke(*, token: ApiToken) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked=True)
