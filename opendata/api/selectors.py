"""Reads behind the Action API's lookup actions (autocomplete, resource_search, users,
members): querysets with the visibility rules of opendata.selectors applied, so private
datasets of other organisations and people outside the requester's organisations never
show.
"""
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from ..auth import Actor
from ..errors import NotAuthorized, NotFound
from ..models import Dataset, Organization, OrganizationMember, Resource, Tag
from ..selectors import _as_uuid, dataset_visible_q

__all__ = [
    "dataset_autocomplete", "format_autocomplete", "member_rows", "organizations_for_user", "resource_search",
    "tag_autocomplete", "user_get_for_read",
]


def dataset_autocomplete(*, actor: Actor, q: str, limit: int) -> list[Dataset]:
    """Visible active datasets whose name or title contains `q`; names starting with it
    first, then by name."""
    queryset = (Dataset.objects.filter(dataset_visible_q(actor=actor))
                .filter(Q(name__icontains=q) | Q(title__icontains=q))
                .only("name", "title"))
    starts = queryset.filter(name__istartswith=q).order_by("name")[:limit]
    found = list(starts)
    if len(found) < limit:
        found += list(queryset.exclude(name__istartswith=q).order_by("name")[:limit - len(found)])
    return found


def format_autocomplete(*, actor: Actor, q: str, limit: int) -> list[str]:
    """Resource formats (lower case) of visible datasets containing `q`, most used first."""
    rows = (Resource.objects.filter(package__in=Dataset.objects.filter(dataset_visible_q(actor=actor)))
            .exclude(format="").filter(format__icontains=q)
            .annotate(fmt=Lower("format")).values("fmt").annotate(total=Count("id"))
            .order_by("-total", "fmt")[:limit])
    return [row["fmt"] for row in rows]


def tag_autocomplete(*, terms: list[str], limit: int | None, offset: int) -> list[str]:
    """Names of tags of active public datasets containing every term, by name."""
    queryset = Tag.objects.filter(datasets__state=Dataset.State.ACTIVE, datasets__private=False).distinct()
    for term in terms:
        queryset = queryset.filter(name__icontains=term)
    names = queryset.order_by("name").values_list("name", flat=True)[offset:]
    return list(names[:limit] if limit is not None else names)


# Resource fields resource_search matches: text fields as case-insensitive substrings
# (CKAN's UnicodeText columns), hash as a prefix, the others exactly.
RESOURCE_TEXT_FIELDS = ("name", "description", "url", "format", "mimetype", "resource_type", "url_type")
RESOURCE_EXACT_FIELDS = ("id", "package_id", "size", "position")
RESOURCE_ORDER_FIELDS = RESOURCE_TEXT_FIELDS + RESOURCE_EXACT_FIELDS + ("hash", "created", "last_modified",
                                                                        "metadata_modified")


def resource_search(*, terms: dict[str, str], order_by: str | None) -> QuerySet:
    """Resources of active public datasets matching every `field: term` (fields checked
    by the caller), ordered by `order_by` (ignored if not a field, as CKAN does)."""
    queryset = Resource.objects.filter(package__state=Dataset.State.ACTIVE, package__private=False)
    for name, term in terms.items():
        if name == "hash":
            queryset = queryset.filter(hash__istartswith=term)
        elif name in RESOURCE_TEXT_FIELDS:
            queryset = queryset.filter(**{f"{name}__icontains": term})
        elif name in ("id", "package_id"):
            value = _as_uuid(term)
            queryset = queryset.filter(**{name: value}) if value else queryset.none()
        else:  # size, position: integers
            queryset = queryset.filter(**{name: int(term)}) if term.lstrip("-").isdigit() else queryset.none()
    ordering = [order_by] if order_by in RESOURCE_ORDER_FIELDS else []
    return queryset.select_related("package").order_by(*ordering, "package__name", "position", "id")


def _colleague_ids(actor: Actor) -> QuerySet:
    """Users who share an organisation with the actor."""
    return OrganizationMember.objects.filter(organization_id__in=actor.member_org_ids()).values("user_id")


def user_get_for_read(*, actor: Actor, id_or_name: str):
    """user_show's accessor: the user by id or name, visible to themselves, sysadmins and
    members of an organisation they belong to; NotAuthorized otherwise (no one learns
    whether another account exists), NotFound for unknown users."""
    if not actor.is_authenticated:
        raise NotAuthorized("User not authorized to see user details")
    users = get_user_model().objects.filter(is_active=True)
    lookup = Q(username=id_or_name)
    if id_or_name.isdigit():
        lookup |= Q(pk=int(id_or_name))
    user = users.filter(lookup).first()
    if user is not None and (user.pk == actor.user.pk or actor.is_sysadmin):
        return user
    if user is not None and users.filter(pk=user.pk, pk__in=_colleague_ids(actor)).exists():
        return user
    if actor.is_sysadmin:
        raise NotFound("User not found")
    raise NotAuthorized(f"User {actor.name} not authorized to see user {id_or_name}")


def organizations_for_user(*, user, capacities: tuple[str, ...] | None) -> list[tuple]:
    """(organization, capacity) of the user's memberships in `capacities`, by title;
    every organisation as "admin" for a sysadmin (None: any capacity)."""
    if user.is_superuser:
        return [(org, "admin") for org in Organization.objects.order_by("title", "name")]
    memberships = OrganizationMember.objects.filter(user=user).select_related("organization")
    if capacities is not None:
        memberships = memberships.filter(capacity__in=capacities)
    return sorted(((m.organization, m.capacity) for m in memberships),
                  key=lambda pair: (pair[0].title, pair[0].name))


def member_rows(*, actor: Actor, org=None, group=None, object_type: str, capacity: str) -> list[tuple]:
    """member_list's rows (object id, "user"/"package", capacity): datasets the actor may
    see, and — for organisations, only to their members and sysadmins — the users."""
    rows = []
    if object_type in ("", "user") and org is not None and actor.can_read_private(org.pk):
        members = OrganizationMember.objects.filter(organization=org).order_by("user_id")
        if capacity:
            members = members.filter(capacity=capacity)
        rows += [(str(m.user_id), "user", m.capacity) for m in members]
    if object_type in ("", "package"):
        package_capacity = "organization" if org is not None else "public"
        if not capacity or capacity == package_capacity:
            datasets = Dataset.objects.filter(dataset_visible_q(actor=actor))
            datasets = datasets.filter(owner_org=org) if org is not None else datasets.filter(groups=group)
            rows += [(str(pk), "package", package_capacity) for pk in datasets.order_by("name").values_list(
                "pk", flat=True)]
    return rows
