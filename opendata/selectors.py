"""Reads of the catalogue, with the visibility rules applied.

Visibility (CKAN's): active public datasets are visible to everyone; private datasets to
members of their organisation and to sysadmins; deleted datasets only to sysadmins
(everyone else gets 404). The `*_get_for_*` accessors raise NotFound/NotAuthorized with
CKAN's messages. Querysets come with `select_related`/`prefetch_related` applied for
`opendata.dictization`, so list endpoints make a fixed number of queries.
"""
import uuid

from django.db.models import Count, Prefetch, Q, QuerySet

from .auth import Actor
from .errors import NotAuthorized, NotFound
from .models import Dataset, Group, Organization, Resource, Tag

__all__ = [
    "dataset_get_for_edit", "dataset_get_for_read", "dataset_list_names", "dataset_list_recent",
    "dataset_queryset", "dataset_visible_q", "group_get", "group_list", "organization_get",
    "organization_find", "organization_list", "resource_get_for_edit", "resource_get_for_read",
    "tag_list",
]


def _as_uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _by_id_or_name(queryset: QuerySet, id_or_name):
    """The object whose id or name is `id_or_name`, or None."""
    if id_or_name in (None, ""):
        return None
    pk = _as_uuid(id_or_name)
    condition = Q(name=str(id_or_name)) | Q(pk=pk) if pk else Q(name=str(id_or_name))
    return queryset.filter(condition).first()


def dataset_queryset() -> QuerySet:
    """Datasets ready for dictization: organisation joined, relations prefetched in order."""
    return (
        Dataset.objects.select_related("owner_org")
        .defer("search_vector")
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
            Prefetch("groups", queryset=Group.objects.order_by("name")),
            Prefetch("resources", queryset=Resource.objects.order_by("position", "created")),
        )
    )


def dataset_visible_q(*, actor: Actor, include_private: bool = True) -> Q:
    """Active datasets the actor may see (private ones only if `include_private`)."""
    q = Q(state=Dataset.State.ACTIVE)
    if not include_private:
        return q & Q(private=False)
    if actor.is_sysadmin:
        return q
    org_ids = actor.member_org_ids()
    if org_ids:
        return q & (Q(private=False) | Q(owner_org_id__in=org_ids))
    return q & Q(private=False)


def dataset_get_for_read(*, actor: Actor, id_or_name, queryset: QuerySet | None = None) -> Dataset:
    """package_show's accessor: 404 for unknown or (non-sysadmins) deleted datasets,
    403 for private datasets of other organisations."""
    dataset = _by_id_or_name(dataset_queryset() if queryset is None else queryset, id_or_name)
    if dataset is None or (not dataset.is_active and not actor.is_sysadmin):
        raise NotFound()
    if dataset.private and not actor.can_read_private(dataset.owner_org_id):
        raise NotAuthorized(f"User {actor.name} not authorized to read package {dataset.id}")
    return dataset


def dataset_get_for_edit(*, actor: Actor, id_or_name, action: str,
                         denied: str = "User {user} not authorized to edit package {id}") -> Dataset:
    """The dataset an editor of its organisation (or a sysadmin) may change, ready for
    dictization and locked for update until the end of the transaction."""
    if not actor.is_authenticated:
        raise NotAuthorized(f"Action {action} requires an authenticated user")
    dataset = _by_id_or_name(dataset_queryset().select_for_update(of=("self",)), id_or_name)
    if dataset is None or (not dataset.is_active and not actor.is_sysadmin):
        raise NotFound("Package was not found.")
    if not actor.can_edit(dataset.owner_org_id):
        raise NotAuthorized(denied.format(user=actor.name, id=dataset.id))
    return dataset


def dataset_list_names(*, limit: int | None = None, offset: int = 0) -> list[str]:
    """package_list: names of active public datasets, by name."""
    names = Dataset.objects.filter(state=Dataset.State.ACTIVE, private=False).order_by("name")
    names = names.values_list("name", flat=True)[offset:]
    return list(names[:limit] if limit is not None else names)


def dataset_list_recent(*, actor: Actor, limit: int, offset: int) -> QuerySet:
    """current_package_list_with_resources: visible datasets, most recently modified first."""
    queryset = dataset_queryset().filter(dataset_visible_q(actor=actor)).order_by("-metadata_modified", "id")
    return queryset[offset:offset + limit]


def resource_get_for_read(*, actor: Actor, resource_id) -> Resource:
    """resource_show's accessor; the resource's dataset must be visible."""
    pk = _as_uuid(resource_id)
    resource = Resource.objects.select_related("package").filter(pk=pk).first() if pk else None
    if resource is None:
        raise NotFound()
    dataset_get_for_read(actor=actor, id_or_name=resource.package_id, queryset=Dataset.objects.all())
    return resource


def resource_get_for_edit(*, actor: Actor, resource_id, action: str,
                          denied: str = "User {user} not authorized to edit resource {id}") -> Resource:
    """The resource an editor of its dataset's organisation may change; resource and
    dataset are locked for update."""
    if not actor.is_authenticated:
        raise NotAuthorized(f"Action {action} requires an authenticated user")
    pk = _as_uuid(resource_id)
    resource = Resource.objects.select_for_update().filter(pk=pk).first() if pk else None
    if resource is None:
        raise NotFound("Resource was not found.")
    dataset = Dataset.objects.defer("search_vector").select_for_update().get(pk=resource.package_id)
    if not dataset.is_active and not actor.is_sysadmin:
        raise NotFound("Resource was not found.")
    if not actor.can_edit(dataset.owner_org_id):
        raise NotAuthorized(denied.format(user=actor.name, id=resource.id))
    resource.package = dataset
    return resource


def organization_get(*, id_or_name) -> Organization:
    org = _by_id_or_name(Organization.objects.all(), id_or_name)
    if org is None:
        raise NotFound()
    return org


def organization_find(*, id_or_name) -> Organization | None:
    """The organisation with this id or name, or None."""
    return _by_id_or_name(Organization.objects.all(), id_or_name)


def group_get(*, id_or_name) -> Group:
    group = _by_id_or_name(Group.objects.all(), id_or_name)
    if group is None:
        raise NotFound()
    return group


def _with_package_count(queryset: QuerySet, *, actor: Actor, relation: str) -> QuerySet:
    visible = Q(**{f"{relation}__state": Dataset.State.ACTIVE})
    if not actor.is_sysadmin:
        org_ids = actor.member_org_ids()
        visible &= Q(**{f"{relation}__private": False}) | Q(**{f"{relation}__owner_org_id__in": org_ids})
    return queryset.annotate(package_count=Count(relation, filter=visible, distinct=True))


_GROUP_SORTS = {"name": "name", "title": "title", "package_count": "package_count", "packages": "package_count"}


def _group_ordering(sort: str) -> list[str]:
    """CKAN's group sort: "<field> [asc|desc]", default title asc; unknown → ValueError."""
    parts = (sort or "title asc").split()
    field = _GROUP_SORTS.get(parts[0]) if parts else None
    direction = parts[1].lower() if len(parts) > 1 else ("desc" if parts and parts[0] == "packages" else "asc")
    if field is None or direction not in ("asc", "desc") or len(parts) > 2:
        raise ValueError(sort)
    return [("-" if direction == "desc" else "") + field, "name"]


def organization_list(*, actor: Actor, sort: str = "", names: list[str] | None = None, q: str = "") -> QuerySet:
    """Organisations with `package_count` (datasets the actor may see)."""
    return _grouping_list(Organization.objects.all(), actor=actor, sort=sort, names=names, q=q)


def group_list(*, actor: Actor, sort: str = "", names: list[str] | None = None, q: str = "") -> QuerySet:
    """Groups with `package_count` (datasets the actor may see)."""
    return _grouping_list(Group.objects.all(), actor=actor, sort=sort, names=names, q=q)


def _grouping_list(queryset: QuerySet, *, actor: Actor, sort: str, names: list[str] | None, q: str) -> QuerySet:
    """Organisations or groups (CKAN's two kinds of group) with `package_count`, filtered by
    `names` and the substring `q`, in CKAN's `sort` order."""
    queryset = _with_package_count(queryset, actor=actor, relation="datasets")
    if names:
        queryset = queryset.filter(name__in=names)
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q))
    return queryset.order_by(*_group_ordering(sort))


def tag_list(*, query: str = "") -> QuerySet:
    """Tags of active public datasets (private datasets' tags are not listed), by name."""
    queryset = Tag.objects.filter(datasets__state=Dataset.State.ACTIVE, datasets__private=False).distinct()
    if query:
        queryset = queryset.filter(name__icontains=query)
    return queryset.order_by("name")
