"""Read actions upload tools and harvesters call besides search (ckan/logic/action/get.py
and ckanext-activity, CKAN 2.10/2.11): autocompletes, resource_search, the activity list,
users and memberships. Side-effect free; reads through opendata.api.selectors, so private
datasets and people outside the requester's organisations never show.

Deliberate differences from CKAN, for a city portal's privacy: `user_show` and another
user's `organization_list_for_user` answer only the user themselves, sysadmins and
members of an organisation the user belongs to (CKAN with
`ckan.auth.public_user_details = false`); `member_list` lists users only to the
organisation's members. We keep no activity stream: `package_activity_list` reports the
creation and the last change of a dataset, from its timestamps.
"""
import uuid

from ..conf import opendata_setting
from ..dictization import dataset_dictize, isoformat, organization_dictize, resource_dictize
from ..errors import NotAuthorized, NotFound, ValidationError
from ..models import Dataset
from ..selectors import dataset_get_for_read, dataset_queryset, dataset_visible_q, group_get, organization_find
from . import selectors
from .params import param_bool, param_int, param_list, param_str
from .registry import ActionContext, action

__all__ = []

# CKAN's authz.ROLE_PERMISSIONS: what each capacity may do ("admin" may do everything).
_ROLE_PERMISSIONS = {
    "admin": ("admin", "membership"),
    "editor": ("read", "delete_dataset", "create_dataset", "update_dataset", "manage_group"),
    "member": ("read", "manage_group"),
}
# Display names CKAN's member_list gives capacities (authz.roles_trans).
_CAPACITY_NAMES = {"admin": "Admin", "editor": "Editor", "member": "Member"}
# ckanext-activity: `ckan.activity_list_limit` (default) and `…_max`.
ACTIVITY_LIMIT_DEFAULT = 31
ACTIVITY_LIMIT_MAX = 100
_ACTIVITY_NAMESPACE = uuid.UUID("6f1c3b52-8d0e-4c1e-9a57-0b8f1f5a2d10")


def _required(data: dict, key: str) -> str:
    value = param_str(data, key).strip()
    if not value:
        raise ValidationError({key: ["Missing value"]})
    return value


@action("package_autocomplete", side_effect_free=True)
def package_autocomplete(ctx: ActionContext, data: dict):
    """Return datasets whose name or title contains a string:
    [{"name", "title", "match_field", "match_displayed"}].

    :param q: the string to search for
    :param limit: the maximum number of datasets (default 10)
    """
    q = _required(data, "q")
    limit = param_int(data, "limit", default=10, maximum=opendata_setting("SEARCH_ROWS_MAX"))
    q_lower = q.lower()
    results = []
    for dataset in selectors.dataset_autocomplete(actor=ctx.actor, q=q, limit=limit):
        if q_lower in dataset.name:
            field, displayed = "name", dataset.name
        else:
            field, displayed = "title", f"{dataset.title} ({dataset.name})"
        results.append({"name": dataset.name, "title": dataset.title, "match_field": field,
                        "match_displayed": displayed})
    return results


@action("format_autocomplete", side_effect_free=True)
def format_autocomplete(ctx: ActionContext, data: dict):
    """Return resource formats (lower case) containing a string, most used first.

    :param q: the string to search for
    :param limit: the maximum number of formats (default 5)
    """
    q = _required(data, "q")
    limit = param_int(data, "limit", default=5, maximum=opendata_setting("SEARCH_ROWS_MAX"))
    return selectors.format_autocomplete(actor=ctx.actor, q=q, limit=limit)


@action("tag_autocomplete", side_effect_free=True)
def tag_autocomplete(ctx: ActionContext, data: dict):
    """Return names of tags containing a string (all strings, if a list), by name.

    :param query: the string (or list of strings) to search for (`q` is accepted too)
    :param limit: the maximum number of tags
    :param offset: where the page starts, with limit
    :param vocabulary_id: tags of a vocabulary: we have none, so []
    """
    value = data.get("query") or data.get("q") or []
    terms = value if isinstance(value, list) else [value]
    if not all(isinstance(term, str) for term in terms):
        raise ValidationError({"query": ["Not a string or a list of strings"]})
    terms = [term.strip() for term in terms if term.strip()]
    limit = param_int(data, "limit")
    offset = param_int(data, "offset", default=0)
    if "vocabulary_id" in data or not terms:
        return []
    return selectors.tag_autocomplete(terms=terms, limit=limit, offset=offset)


@action("resource_search", side_effect_free=True)
def resource_search(ctx: ActionContext, data: dict):
    """Search resources of public datasets: {"count", "results"}.

    :param query: "field:term" or a list of them, ANDed; text fields match case-insensitive
      substrings, `hash` a prefix, id/package_id/size/position exactly
    :param order_by: a resource field to order by
    :param offset: where the page starts
    :param limit: page size (at most 1000)
    """
    query = data.get("query")
    if query is None or query == "":
        raise ValidationError({"query": "Missing value"})
    pairs = query if isinstance(query, list) else [query]
    if not all(isinstance(pair, str) and ":" in pair for pair in pairs):
        raise ValidationError({"query": "Must be <field>:<value> pair(s)"})
    terms = dict(pair.split(":", 1) for pair in pairs)
    allowed = selectors.RESOURCE_TEXT_FIELDS + selectors.RESOURCE_EXACT_FIELDS + ("hash",)
    for name in terms:
        if name not in allowed:
            raise ValidationError({"query": f'Field "{name}" not recognised in resource_search.'})
    rows_max = opendata_setting("SEARCH_ROWS_MAX")
    offset = param_int(data, "offset", default=0)
    limit = param_int(data, "limit", default=rows_max, maximum=rows_max)
    queryset = selectors.resource_search(terms=terms, order_by=param_str(data, "order_by") or None)
    return {"count": queryset.count(), "results": [resource_dictize(r) for r in queryset[offset:offset + limit]]}


def _activity(dataset: Dataset, kind: str, timestamp, package: dict, user_id) -> dict:
    return {
        "id": str(uuid.uuid5(_ACTIVITY_NAMESPACE, f"{dataset.pk}/{kind}/{isoformat(timestamp)}")),
        "timestamp": isoformat(timestamp),
        "user_id": user_id,
        "object_id": str(dataset.pk),
        "activity_type": kind,
        "data": {"package": package},
    }


@action("package_activity_list", side_effect_free=True)
def package_activity_list(ctx: ActionContext, data: dict):
    """Return a dataset's activities, newest first: "changed package" (its last change,
    with the current package dict) and "new package" (its creation; id, name, title only,
    as older versions are not kept).

    :param id: id or name of the dataset
    :param offset, limit: paging (limit default 31, at most 100)
    :param activity_types, exclude_activity_types: lists of types to keep or leave out
    :param after, before: only activities after/before this time (seconds since 1970)
    """
    dataset = dataset_get_for_read(actor=ctx.actor, id_or_name=_required(data, "id"))
    offset = param_int(data, "offset", default=0)
    limit = param_int(data, "limit", default=ACTIVITY_LIMIT_DEFAULT, maximum=ACTIVITY_LIMIT_MAX)
    types, excluded = param_list(data, "activity_types"), param_list(data, "exclude_activity_types")
    if types and excluded:
        raise ValidationError({"activity_types": ["Cannot be used together with exclude_activity_types"]})
    bounds = {}
    for key in ("after", "before"):
        raw = param_str(data, key)
        if raw:
            try:
                bounds[key] = float(raw)
            except ValueError:
                raise ValidationError({key: ["Invalid number"]}) from None
    creator = str(dataset.creator_user_id) if dataset.creator_user_id else None
    activities = []
    if dataset.metadata_modified > dataset.metadata_created:
        activities.append(_activity(dataset, "changed package", dataset.metadata_modified,
                                    dataset_dictize(dataset), None))
    activities.append(_activity(dataset, "new package", dataset.metadata_created,
                                {"id": str(dataset.pk), "name": dataset.name, "title": dataset.title}, creator))
    stamps = {"changed package": dataset.metadata_modified.timestamp(),
              "new package": dataset.metadata_created.timestamp()}
    activities = [
        a for a in activities
        if (not types or a["activity_type"] in types) and a["activity_type"] not in excluded
        and stamps[a["activity_type"]] > bounds.get("after", float("-inf"))
        and stamps[a["activity_type"]] < bounds.get("before", float("inf"))
    ]
    return activities[offset:offset + limit]


def _user_ref(ctx: ActionContext, data: dict):
    """The user an action is about: `id` (else the requester), visible to the requester."""
    ref = param_str(data, "id").strip() or param_str(data, "user").strip()
    if not ref:
        if not ctx.actor.is_authenticated:
            raise NotFound("User not found")
        return ctx.actor.user
    return selectors.user_get_for_read(actor=ctx.actor, id_or_name=ref)


def _user_dictize(user, *, full: bool) -> dict:
    fullname = user.get_full_name() or None
    result = {
        "id": str(user.pk),
        "name": user.get_username(),
        "fullname": fullname,
        "display_name": fullname or user.get_username(),
        "about": None,
        "created": isoformat(user.date_joined),
        "image_url": None,
        "image_display_url": None,
        "state": "active",
        "sysadmin": user.is_superuser,
        "number_created_packages": 0,
    }
    if full:
        result["email"] = user.email or None
        result["last_active"] = isoformat(user.last_login)
    return result


@action("user_show", side_effect_free=True)
def user_show(ctx: ActionContext, data: dict):
    """Return a user account (the requester's, without `id`). Shown to the user, sysadmins
    and members of the user's organisations; email and last_active only to the user and
    sysadmins.

    :param id: id or name of the user (optional)
    :param include_datasets: include up to 50 datasets the user created
    """
    user = _user_ref(ctx, data)
    full = ctx.actor.is_sysadmin or user.pk == ctx.actor.user.pk
    result = _user_dictize(user, full=full)
    created = Dataset.objects.filter(dataset_visible_q(actor=ctx.actor), creator_user=user)
    result["number_created_packages"] = created.count()
    if param_bool(data, "include_datasets"):
        datasets = dataset_queryset().filter(pk__in=created.values("pk")).order_by("-metadata_modified")[:50]
        result["datasets"] = [dataset_dictize(d) for d in datasets]
    return result


@action("organization_list_for_user", side_effect_free=True)
def organization_list_for_user(ctx: ActionContext, data: dict):
    """Return the organisations a user has a permission in, with their `capacity`
    (sysadmins: all, as "admin"); [] for anonymous requests.

    :param id: id or name of the user (optional, default: the requester)
    :param permission: e.g. "read", "create_dataset", "update_dataset", "manage_group"
      (default), "admin"
    :param include_dataset_count: include each organisation's package_count
    """
    if not (param_str(data, "id").strip() or ctx.actor.is_authenticated):
        return []
    user = _user_ref(ctx, data)
    permission = param_str(data, "permission").strip() or "manage_group"
    capacities = tuple(role for role, allowed in _ROLE_PERMISSIONS.items()
                       if permission in allowed or "admin" in allowed)
    with_count = param_bool(data, "include_dataset_count")
    result = []
    for org, capacity in selectors.organizations_for_user(user=user, capacities=capacities):
        count = None
        if with_count:
            count = Dataset.objects.filter(dataset_visible_q(actor=ctx.actor), owner_org=org).count()
        result.append({**organization_dictize(org, package_count=count), "capacity": capacity})
    return result


@action("member_list", side_effect_free=True)
def member_list(ctx: ActionContext, data: dict):
    """Return the members of an organisation or group as [id, type, capacity]: its
    datasets ("package", capacity "organization" or "public") and, shown to the
    organisation's members only, its users ("user", "Admin"/"Editor"/"Member").

    :param id: id or name of the organisation or group
    :param object_type: "user" or "package" (optional)
    :param capacity: only members with this capacity (optional)
    """
    ref = _required(data, "id")
    object_type = param_str(data, "object_type").strip()
    if object_type not in ("", "user", "package"):
        raise ValidationError({"object_type": ['Must be "user" or "package"']})
    capacity = param_str(data, "capacity").strip().lower()
    org = organization_find(id_or_name=ref)
    group = None if org is not None else group_get(id_or_name=ref)
    if object_type == "user" and org is not None and not ctx.actor.can_read_private(org.pk):
        raise NotAuthorized(f"User {ctx.actor.name} not authorized to see the members of {org.name}")
    rows = selectors.member_rows(actor=ctx.actor, org=org, group=group, object_type=object_type, capacity=capacity)
    return [[pk, kind, _CAPACITY_NAMES.get(cap, cap)] for pk, kind, cap in rows]
