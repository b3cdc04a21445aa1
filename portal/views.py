"""The service catalogue's pages: `/leistungen/` (search form that works without JavaScript,
results grouped by Lebenslage) and the downloads `/leistungen.json` and `/leistungen.csv`
(the whole catalogue as open data, in the request's language)."""
import csv
import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .api import ServiceSerializer
from .catalogue import TrustLevel
from .forms import ServiceSearchForm
from .selectors import service_list, service_list_grouped, service_url

__all__ = ["catalogue", "catalogue_download"]

CSV_COLUMNS = ["slug", "title", "short_description", "audience", "trust_level", "fees", "processing_time",
               "leika_key", "lebenslagen", "keywords", "is_spatial", "url"]


@require_safe
def catalogue(request):
    """`/leistungen/`: 200 with the (filtered) catalogue, 400 with the form's messages on bad input."""
    form = ServiceSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "portal/catalogue.html", {"form": form, "groups": [], "count": 0}, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    services = service_list(query=filters.get("q"), lebenslage=filters.get("lebenslage"))
    groups = [(lage, [{"service": s, "url": service_url(s), "trust_level": TrustLevel(s.trust_level)}
                      for s in members])
              for lage, members in service_list_grouped(services)]
    return render(request, "portal/catalogue.html", {
        "form": form, "groups": groups, "count": len(services),
        "filtered": bool(filters.get("q") or filters.get("lebenslage")),
    })


@require_safe
def catalogue_download(request, fmt: str):
    """The whole catalogue as JSON (the API's representation) or CSV (lists joined with "; ")."""
    data = ServiceSerializer(service_list(), many=True, context={"request": request}).data
    if fmt == "json":
        response = JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False, "indent": 2})
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.DictWriter(response, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in data:
            writer.writerow({**row,
                             "leika_key": row["leika_key"] or "",
                             "lebenslagen": "; ".join(lage["slug"] for lage in row["lebenslagen"]),
                             "keywords": "; ".join(row["keywords"]),
                             "is_spatial": json.dumps(row["is_spatial"])})
    response["Content-Disposition"] = f'inline; filename="leistungen.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any web page may read it
    return response
