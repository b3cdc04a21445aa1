"""Write actions of the CKAN Action API (ckan/logic/action/{create,update,patch,delete}.py).

Each needs an API token of a user who is admin or editor of the dataset's organisation
(or a superuser), calls one service and returns what CKAN returns: the package or
resource dict, or null for the deletes.
"""
from .. import services
from ..dictization import dataset_dictize, resource_dictize
from ..selectors import dataset_queryset
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
