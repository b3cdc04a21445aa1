"""Views of the portal pages: parse the query, read through the visibility-checking
selectors and the package_search engine, render.

Visibility is the Action API's (`opendata.selectors`): a private dataset is shown to
members of its organisation and sysadmins only, a deleted one to sysadmins only;
everybody else gets the same 404 page as for an unknown name. Invalid parameters
(an unknown sort, a page that is not a number, malformed search syntax) answer 400 with
the message on the page. All pages are plain GET pages and work without JavaScript.
"""
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..auth import actor_from_request
from ..errors import CatalogueError
from ..licenses import license_get
from ..models import Group
from ..selectors import dataset_get_for_read, group_get, organization_find
from ..selectors import group_list as groups_with_counts
from ..selectors import organization_list as organizations_with_counts
from ..vocabularies import DATA_THEME_URI_BASE
from .api_examples import api_examples_build, dcat_url, ogc_collection_id
from .preview import attribute_tables_build, map_preview_build, resources_ingested
from .search import NAME_SORT, portal_query_parse, portal_search, solr_quote

__all__ = [
    "dataset_detail", "dataset_search", "group_detail", "group_list", "organization_detail", "organization_list",
]

DCAT_FORMATS = ((".ttl", "Turtle", "text/turtle"), (".rdf", "RDF/XML", "application/rdf+xml"),
                (".jsonld", "JSON-LD", "application/ld+json"))


def _not_found(request, *, title: str, message: str):
    return render(request, "opendata/portal/not_found.html", {"title": title, "message": message}, status=404)


@require_safe
def dataset_search(request):
    query = portal_query_parse(request.GET)
    page = portal_search(actor=actor_from_request(request), query=query, path=request.path)
    return render(request, "opendata/portal/dataset_search.html", {"section": "dataset", "search": page},
                  status=400 if page.errors else 200)


@require_safe
def dataset_detail(request, name: str):
    try:
        dataset = dataset_get_for_read(actor=actor_from_request(request), id_or_name=name)
    except CatalogueError:
        return _not_found(request, title=_("Datensatz nicht gefunden"),
                          message=_("Diesen Datensatz gibt es nicht, oder er ist nicht öffentlich."))
    resources = sorted(dataset.resources.all(), key=lambda r: (r.position, r.created))
    ingested = resources_ingested(resources)
    tags = sorted(dataset.tags.all(), key=lambda t: t.name)
    groups = sorted(dataset.groups.all(), key=lambda g: g.title.lower())
    preview = map_preview_build(dataset=dataset, resources=ingested)
    return render(request, "opendata/portal/dataset_detail.html", {
        "section": "dataset",
        "dataset": dataset,
        "license": license_get(dataset.license_id),
        "tags": tags,
        "groups": groups,
        "resources": resources,
        "ingested_ids": {r.id for r in ingested},
        "ogc_ids": {r.id: ogc_collection_id(r) for r in ingested},
        "preview": preview,
        "preview_data": preview.as_json_data() if preview else None,
        "attribute_tables": attribute_tables_build(resources=ingested),
        "api_examples": api_examples_build(dataset=dataset, resources=resources, ingested=ingested),
        "dcat_links": [(dcat_url(dataset, suffix), label, media_type) for suffix, label, media_type in DCAT_FORMATS],
    })


@require_safe
def organization_list(request):
    organizations = organizations_with_counts(actor=actor_from_request(request))
    return render(request, "opendata/portal/organization_list.html",
                  {"section": "organization", "organizations": organizations})


@require_safe
def organization_detail(request, name: str):
    organization = organization_find(id_or_name=name)
    if organization is None:
        return _not_found(request, title=_("Organisation nicht gefunden"),
                          message=_("Diese Organisation gibt es nicht."))
    query = portal_query_parse(request.GET, facets=False, default_sort=NAME_SORT)
    page = portal_search(actor=actor_from_request(request), query=query, path=request.path,
                         base_fq=f"organization:{solr_quote(organization.name)}", facets=False)
    return render(request, "opendata/portal/organization_detail.html", {
        "section": "organization", "organization": organization, "search": page,
        "search_url": reverse("portal:dataset-search") + "?" + _param("organization", organization.name),
    }, status=400 if page.errors else 200)


@require_safe
def group_list(request):
    groups = groups_with_counts(actor=actor_from_request(request))
    return render(request, "opendata/portal/group_list.html", {"section": "group", "groups": groups})


@require_safe
def group_detail(request, name: str):
    group = _group_find(name)
    if group is None:
        return _not_found(request, title=_("Gruppe nicht gefunden"), message=_("Diese Gruppe gibt es nicht."))
    query = portal_query_parse(request.GET, facets=False, default_sort=NAME_SORT)
    page = portal_search(actor=actor_from_request(request), query=query, path=request.path,
                         base_fq=f"groups:{solr_quote(group.name)}", facets=False)
    return render(request, "opendata/portal/group_detail.html", {
        "section": "group", "group": group, "search": page,
        "theme_uri": DATA_THEME_URI_BASE + group.theme if group.theme else "",
        "search_url": reverse("portal:dataset-search") + "?" + _param("groups", group.name),
    }, status=400 if page.errors else 200)


def _group_find(name: str) -> Group | None:
    try:
        return group_get(id_or_name=name)
    except CatalogueError:
        return None


def _param(name: str, value: str) -> str:
    return urlencode({name: value})
