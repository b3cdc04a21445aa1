"""Write actions of the CKAN Action API (ckan/logic/action/{create,update,patch,delete}.py).

Each needs an API token of a user who is admin or editor of the dataset's organisation
(or a superuser), calls one service and returns what CKAN returns: the package or
resource dict, or null for the deletes.
"""
import copy
import json

from django.db import transaction

from .. import services
from ..dictization import dataset_dictize, resource_dictize
from ..errors import ValidationError
from ..selectors import dataset_get_for_edit, dataset_queryset
from . import revise
from .params import param_str
from .registry import ActionContext, action

__all__ = []


def _package_result(dataset) -> dict:
    return dataset_dictize(dataset_queryset().get(pk=dataset.pk))


@action("package_create")
def package_create(ctx: ActionContext, data: dict):
    """Create a dataset and return it as package_show does.

    :param name: URL name (2–100 of a-z, 0-9, -, _), unique
    :param owner_org: id or name of an organisation the user may edit
    :param title, notes, license_id, private, author, author_email, maintainer, maintainer_email, url, version:
    :param tags: [{"name": …}], :param groups: [{"name": …}], :param extras: [{"key", "value"}]
    :param resources: resource dicts (links)
    DCAT-AP.de fields as extras or top-level keys: spatial (GeoJSON), temporal_start, temporal_end,
    frequency, contributorID.
    """
    return _package_result(services.dataset_create(actor=ctx.actor, data=data))


@action("package_update")
def package_update(ctx: ActionContext, data: dict):
    """Replace a dataset's metadata (omitted fields are cleared; omitted resources are kept).

    :param id: id or name of the dataset; other parameters as for package_create
    """
    return _package_result(services.dataset_update(actor=ctx.actor, data=data))


@action("package_patch")
def package_patch(ctx: ActionContext, data: dict):
    """Change only the given fields of a dataset.

    :param id: id or name of the dataset
    """
    return _package_result(services.dataset_patch(actor=ctx.actor, data=data))


@action("package_delete")
def package_delete(ctx: ActionContext, data: dict):
    """Delete a dataset (state "deleted"; it disappears from lists and search).

    :param id: id or name of the dataset
    """
    services.dataset_delete(actor=ctx.actor, id_or_name=param_str(data, "id"))
    return None


@action("resource_create")
def resource_create(ctx: ActionContext, data: dict):
    """Add a resource to a dataset: a link (`url`) or a file (multipart field `upload`).

    :param package_id: id or name of the dataset
    :param url, name, description, format, mimetype, size, hash, last_modified, resource_type:
    :param upload: the file (multipart/form-data); size, sha256 hash and download URL are set by the server
    """
    return resource_dictize(services.resource_create(actor=ctx.actor, data=data))


@action("resource_update")
def resource_update(ctx: ActionContext, data: dict):
    """Replace a resource's metadata; a new `upload` replaces its file.

    :param id: the resource id; other parameters as for resource_create
    """
    return resource_dictize(services.resource_update(actor=ctx.actor, data=data))


@action("resource_delete")
def resource_delete(ctx: ActionContext, data: dict):
    """Delete a resource (and its file).

    :param id: the resource id
    """
    services.resource_delete(actor=ctx.actor, resource_id=param_str(data, "id"))
    return None


def _json_or_value(data: dict, key: str, *, kind: type):
    """A package_revise parameter: a JSON string (form and GET clients) or the value."""
    value = data.get(key)
    if isinstance(value, str) and kind is not str:
        try:
            value = json.loads(value)
        except ValueError:
            if kind is list:
                value = [part.strip() for part in value.split(",") if part.strip()]
            else:
                raise ValidationError({key: ["Could not parse as valid JSON"]}) from None
    if not isinstance(value, kind) or (kind is list and not all(isinstance(v, str) for v in value)):
        raise ValidationError({key: ["Not a JSON object" if kind is dict else "Not a list of strings"]})
    return value


def _flattened(data: dict, prefix: str) -> dict:
    """`match__name`, `update__resources__0__name`, … with JSON objects, arrays, booleans and
    null decoded (CKAN's json_or_string); numbers stay text, as every package field that
    looks like one (`version`) is text."""
    found = {}
    for key, value in data.items():
        if key.startswith(prefix) and len(key) > len(prefix):
            if isinstance(value, str):
                try:
                    decoded = json.loads(value)
                except ValueError:
                    decoded = value
                value = decoded if isinstance(decoded, (dict, list, bool)) or decoded is None else value
            found[key[len(prefix):]] = value
    return found


@action("package_revise")
def package_revise(ctx: ActionContext, data: dict):
    """Revise a dataset selectively: check `match`, remove what `filter` names, merge
    `update`, then save as package_update does. Returns {"package": …}.

    :param match: dict with "id" or "name" of the dataset; every value given must equal the
      current one (else 409 with the unmatched keys); also as flattened keys `match__name`
    :param filter: patterns of fields to remove ("-resources__1", "+title", "-*"), a list
      or comma-separated
    :param update: dict merged into the dataset (lists item by item); also as flattened
      keys: `update__notes`, `update__resources__0__name`, `update__resources__1f9ab` (a
      resource id prefix of at least 5 characters), `update__resources__extend` (append)
    :param include: patterns of the result's fields to return ("-*": nothing)
    """
    match = _json_or_value(data, "match", kind=dict) if "match" in data else {}
    match_keys = _flattened(data, "match__")
    filters = _json_or_value(data, "filter", kind=list) if "filter" in data else None
    update = _json_or_value(data, "update", kind=dict) if "update" in data else None
    update_keys = _flattened(data, "update__")
    include = _json_or_value(data, "include", kind=list) if "include" in data else None
    ref = match_keys.get("id") or match.get("id") or match_keys.get("name") or match.get("name")
    if not ref or not isinstance(ref, str):
        raise ValidationError({"match__id": ["Missing value"]})
    with transaction.atomic():
        current = dataset_get_for_edit(actor=ctx.actor, id_or_name=ref, action="package_revise")
        original = dataset_dictize(current)
        try:
            unmatched = revise.match_dict(original, match)
            for key, value in sorted(match_keys.items()):
                unmatched += revise.match_key(original, key, value)
        except revise.RevisionError as exc:
            raise ValidationError({"match": [str(exc)]}) from None
        if unmatched:
            raise ValidationError({"match": ["__".join(str(p) for p in path) for path in unmatched]})
        revised = copy.deepcopy(original)
        revised.pop("metadata_modified", None)
        if filters is not None:
            revise.filter_globs(revised, filters)
            revised["id"] = original["id"]
        if update is not None:
            try:
                revise.merge_dict(revised, update)
            except revise.RevisionError as exc:
                raise ValidationError({"update": [str(exc)]}) from None
        # `…__extend` first, so later keys may address the items it appends.
        for key, value in sorted(update_keys.items(), key=lambda item: (not item[0].endswith("extend"), item[0])):
            try:
                revise.merge_key(revised, key, value)
            except revise.RevisionError as exc:
                raise ValidationError({f"update__{key}": [str(exc)]}) from None
        revised["id"] = original["id"]
        dataset = services.dataset_update(actor=ctx.actor, data=revised)
    result = {"package": _package_result(dataset)}
    if include is not None:
        revise.filter_globs(result, include)
    return result
