"""Read actions of the CKAN Action API (ckan/logic/action/get.py), all side-effect free.

Each action parses its parameters, reads through a permission-checking selector and
dictizes; unknown parameters are ignored. Docstrings are what `help_show` returns.
"""
import json
import re

from django.conf import settings

from ..conf import opendata_setting
from ..dictization import dataset_dictize, group_dictize, organization_dictize, resource_dictize, tag_dictize
from ..errors import NotFound, SearchQueryError, ValidationError
from ..licenses import LICENSES
from ..models import Dataset, OrganizationMember
from ..search import SearchParams, bbox_parse, dataset_search
from ..selectors import (
    dataset_get_for_read,
    dataset_list_names,
    dataset_list_recent,
    dataset_queryset,
    dataset_visible_q,
    group_get,
    group_list,
    organization_get,
    organization_list,
    resource_get_for_read,
    tag_list,
)
from .params import param_bool, param_int, param_list, param_str
from .registry import ActionContext, action, action_get

__all__ = []


@action("package_list", side_effect_free=True)
def package_list(ctx: ActionContext, data: dict):
    """Return the names of the site's public, active datasets, sorted by name.

    :param limit: page size (optional)
    :param offset: where the page starts (optional)
    """
    limit = param_int(data, "limit")
    offset = param_int(data, "offset", default=0)
    return dataset_list_names(limit=limit, offset=offset)


@action("package_show", side_effect_free=True)
def package_show(ctx: ActionContext, data: dict):
    """Return the metadata of a dataset and its resources.

    :param id: the id or name of the dataset
    """
    ref = param_str(data, "id") or param_str(data, "name_or_id")
    if not ref:
        raise ValidationError({"name_or_id": ["Missing value"]})
    return dataset_dictize(dataset_get_for_read(actor=ctx.actor, id_or_name=ref))


def _search_params(data: dict, ctx: ActionContext) -> SearchParams:
    rows_max = opendata_setting("SEARCH_ROWS_MAX")
    params = SearchParams(
        q=param_str(data, "q"),
        fq=param_str(data, "fq"),
        sort=param_str(data, "sort"),
        rows=param_int(data, "rows", default=opendata_setting("SEARCH_ROWS_DEFAULT"), maximum=rows_max),
        start=param_int(data, "start", default=0),
        facet_fields=param_list(data, "facet.field"),
        facet_limit=param_int(data, "facet.limit", default=opendata_setting("FACET_LIMIT_DEFAULT"), minimum=-1),
        facet_mincount=param_int(data, "facet.mincount", default=1),
        include_private=param_bool(data, "include_private"),
    )
    # ckanext-spatial reads ext_bbox from the search extras; CKAN moves top-level ext_* there.
    extras = data.get("extras") if isinstance(data.get("extras"), dict) else {}
    bbox = param_str(data, "ext_bbox") or param_str(extras, "ext_bbox")
    if bbox:
        params.bbox = bbox_parse(bbox)
    fq_list = data.get("fq_list")
    if isinstance(fq_list, list) and fq_list:
        params.fq = " ".join(f"({part})" for part in [params.fq, *map(str, fq_list)] if part)
    return params


_FL_SPLIT = re.compile(r"[\s,]+")
_FL_FIELD = re.compile(r"^[A-Za-z0-9_.*-]+$")
_MISSING = object()


def _fl_fields(data: dict) -> list[str]:
    """`fl` as CKAN takes it: "name,title", "name title" or a list; [] when absent."""
    value = data.get("fl")
    if value in (None, "", []):
        return []
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) for item in items):
        raise ValidationError({"fl": ["Not a string or a list of strings"]})
    fields = [name for item in items for name in _FL_SPLIT.split(item) if name]
    bad = [name for name in fields if not _FL_FIELD.match(name)]
    if bad:
        raise SearchQueryError(f"undefined field {bad[0]}")
    return fields


def _index_value(package: dict, name: str):
    """The value of a Solr index field (what `fl` selects) from a package dict; _MISSING
    for fields the index does not store (Solr leaves them out of the document)."""
    if name == "organization":
        return package["organization"]["name"] if package["organization"] else None
    if name in ("tags", "groups"):
        return [item["name"] for item in package[name]]
    if name.startswith("res_"):
        key = {"type": "resource_type"}.get(name[4:], name[4:])
        return [r.get(key) for r in package["resources"]] if key in ("name", "description", "format", "url",
                                                                      "resource_type") else _MISSING
    if name.startswith("extras_"):
        extras = {e["key"]: e["value"] for e in package["extras"]}
        return extras.get(name[len("extras_"):], _MISSING)
    if name == "dataset_type":
        return package["type"]
    if name == "capacity":
        return "private" if package["private"] else "public"
    if name in ("data_dict", "validated_data_dict"):
        return json.dumps(package)
    return package.get(name, _MISSING)


def _fl_project(package: dict, fields: list[str]) -> dict:
    """The result dict of a package_search with `fl`: only the index fields asked for
    (`*`: the whole package), as CKAN returns them."""
    if "*" in fields:
        return package
    projected = {}
    for name in fields:
        value = _index_value(package, name)
        if value is not _MISSING:
            projected[name] = value
    return projected


@action("package_search", side_effect_free=True)
def package_search(ctx: ActionContext, data: dict):
    """Search datasets. Returns {"count", "results", "facets", "search_facets", "sort"}.

    :param q: free text, or Solr field syntax (`tags:verkehr`)
    :param fq: filter query: `field:value`, `"quoted"`, OR, NOT/-, ranges `[a TO b]`
    :param sort: e.g. "metadata_modified desc" (default "score desc, metadata_modified desc")
    :param rows: page size (default 10, at most 1000)
    :param start: offset of the first result
    :param facet.field: JSON list of fields to count (organization, groups, tags, res_format, license_id)
    :param facet.limit: values per facet (default 50, -1 for all)
    :param include_private: include private datasets of the user's organisations
    :param ext_bbox: minx,miny,maxx,maxy (EPSG:4326): datasets whose extent intersects the box
    :param fl: index fields of each result ("name,title", "name title" or a list; `*` for all):
      `results` then holds only these (`organization`, `tags`, `groups`, `res_format`, … as
      names, `extras_<key>`), as CKAN returns them; default: the full package dicts
    """
    fields = _fl_fields(data)
    params = _search_params(data, ctx)
    result = dataset_search(actor=ctx.actor, params=params)
    facets = {name: {item["name"]: item["count"] for item in items} for name, items in result.facets.items()}
    search_facets = {name: {"items": items, "title": name} for name, items in result.facets.items()}
    return {
        "count": result.count,
        "facets": facets,
        "results": [_fl_project(dataset_dictize(d), fields) if fields else dataset_dictize(d)
                    for d in result.datasets],
        "search_facets": search_facets,
        "sort": result.sort,
    }


@action("current_package_list_with_resources", side_effect_free=True)
def current_package_list_with_resources(ctx: ActionContext, data: dict):
    """Return datasets with their resources, most recently modified first.

    :param limit: page size (default and maximum 1000, CKAN's `ckan.search.rows_max`)
    :param offset: where the page starts (optional)
    :param page: 1-based page number when `limit` is given (deprecated; use offset)
    """
    rows_max = opendata_setting("SEARCH_ROWS_MAX")
    limit = param_int(data, "limit", default=rows_max, maximum=rows_max)
    offset = param_int(data, "offset")
    if offset is None:
        page = param_int(data, "page", minimum=1)
        offset = (page - 1) * limit if page and limit else 0
    return [dataset_dictize(d) for d in dataset_list_recent(actor=ctx.actor, limit=limit, offset=offset)]


@action("resource_show", side_effect_free=True)
def resource_show(ctx: ActionContext, data: dict):
    """Return the metadata of a resource.

    :param id: the id of the resource
    """
    ref = param_str(data, "id")
    if not ref:
        raise ValidationError({"id": ["Missing value"]})
    return resource_dictize(resource_get_for_read(actor=ctx.actor, resource_id=ref))


def _group_list(ctx: ActionContext, data: dict, *, organizations: bool):
    all_fields = param_bool(data, "all_fields")
    list_max = opendata_setting("GROUP_LIST_ALL_FIELDS_MAX" if all_fields else "GROUP_LIST_MAX")
    limit = param_int(data, "limit", default=list_max, maximum=list_max)
    offset = param_int(data, "offset", default=0)
    names = data.get("organizations" if organizations else "groups")
    names = names if isinstance(names, list) else param_list(data, "organizations" if organizations else "groups")
    selector = organization_list if organizations else group_list
    try:
        queryset = selector(actor=ctx.actor, sort=param_str(data, "sort"), names=names, q=param_str(data, "q"))
    except ValueError:
        raise ValidationError({"sort": [f"Cannot sort by field `{param_str(data, 'sort')}`"]}) from None
    page = list(queryset[offset:offset + limit])
    if not all_fields:
        return [g.name for g in page]
    dictize = organization_dictize if organizations else group_dictize
    return [dictize(g, package_count=g.package_count) for g in page]


@action("organization_list", side_effect_free=True)
def organization_list_action(ctx: ActionContext, data: dict):
    """Return the organisations' names, or their dicts with `all_fields=true`.

    :param sort: "name", "title" or "package_count", with "asc"/"desc" (default "title asc")
    :param limit: page size (at most 1000 names or 25 full dicts)
    :param offset: where the page starts
    """
    return _group_list(ctx, data, organizations=True)


@action("group_list", side_effect_free=True)
def group_list_action(ctx: ActionContext, data: dict):
    """Return the groups' (EU data themes') names, or their dicts with `all_fields=true`.

    :param sort: "name", "title" or "package_count", with "asc"/"desc" (default "title asc")
    :param limit: page size (at most 1000 names or 25 full dicts)
    :param offset: where the page starts
    """
    return _group_list(ctx, data, organizations=False)


def _group_datasets(ctx: ActionContext, condition: dict) -> tuple[int, list]:
    visible = Dataset.objects.filter(dataset_visible_q(actor=ctx.actor), **condition)
    return visible.count(), visible


@action("organization_show", side_effect_free=True)
def organization_show(ctx: ActionContext, data: dict):
    """Return an organisation.

    :param id: id or name
    :param include_datasets: include its datasets (up to 1000; default false)
    :param include_users: include members with their capacity (only shown to members)
    """
    ref = param_str(data, "id")
    if not ref:
        raise ValidationError({"id": ["Missing value"]})
    org = organization_get(id_or_name=ref)
    count, visible = _group_datasets(ctx, {"owner_org": org})
    result = {**organization_dictize(org, package_count=count), "extras": [], "groups": [], "tags": []}
    if param_bool(data, "include_datasets"):
        datasets = dataset_queryset().filter(pk__in=visible.values("pk")).order_by("name")
        result["packages"] = [dataset_dictize(d) for d in datasets[:opendata_setting("SEARCH_ROWS_MAX")]]
    if param_bool(data, "include_users", default=True) and ctx.actor.can_read_private(org.pk):
        members = OrganizationMember.objects.filter(organization=org).select_related("user").order_by("user__username")
        result["users"] = [{"capacity": m.capacity, "display_name": m.user.get_full_name() or m.user.get_username(),
                            "id": str(m.user.pk), "name": m.user.get_username()} for m in members]
    return result


@action("group_show", side_effect_free=True)
def group_show(ctx: ActionContext, data: dict):
    """Return a group.

    :param id: id or name
    :param include_datasets: include its datasets (up to 1000; default false)
    """
    ref = param_str(data, "id")
    if not ref:
        raise ValidationError({"id": ["Missing value"]})
    group = group_get(id_or_name=ref)
    count, visible = _group_datasets(ctx, {"groups": group})
    result = {**group_dictize(group, package_count=count), "extras": [], "groups": [], "tags": [], "users": []}
    if param_bool(data, "include_datasets"):
        datasets = dataset_queryset().filter(pk__in=visible.values("pk")).order_by("name")
        result["packages"] = [dataset_dictize(d) for d in datasets[:opendata_setting("SEARCH_ROWS_MAX")]]
    return result


@action("tag_list", side_effect_free=True)
def tag_list_action(ctx: ActionContext, data: dict):
    """Return the tags of public datasets (names, or dicts with `all_fields=true`).

    :param query: only tags containing this text
    """
    if param_str(data, "vocabulary_id"):
        raise NotFound("Could not find vocabulary")
    tags = tag_list(query=param_str(data, "query") or param_str(data, "q"))
    if param_bool(data, "all_fields"):
        return [tag_dictize(t) for t in tags]
    return [t.name for t in tags]


@action("license_list", side_effect_free=True)
def license_list(ctx: ActionContext, data: dict):
    """Return the licences datasets may use: the DCAT-AP.de licence vocabulary."""
    return [lic.as_ckan_dict() for lic in LICENSES.values()]


@action("status_show", side_effect_free=True)
def status_show(ctx: ActionContext, data: dict):
    """Return the site's status: CKAN version emulated, title, URL, extensions."""
    return {
        "ckan_version": opendata_setting("CKAN_VERSION"),
        "error_emails_to": None,
        "extensions": list(opendata_setting("EXTENSIONS")),
        "locale_default": settings.LANGUAGE_CODE,
        "site_description": opendata_setting("SITE_DESCRIPTION"),
        "site_title": opendata_setting("SITE_TITLE"),
        "site_url": settings.SITE_URL,
    }


@action("help_show", side_effect_free=True)
def help_show(ctx: ActionContext, data: dict):
    """Return the documentation of an action.

    :param name: the action's name
    """
    name = param_str(data, "name")
    if not name:
        raise ValidationError({"name": ["Missing value"]})
    found = action_get(name)
    if found is None:
        raise NotFound("Action function not found")
    return found.help
