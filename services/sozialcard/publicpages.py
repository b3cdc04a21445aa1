"""The public pages of the partners and of the check statistics (public data only).

`/sozialcard/akzeptanzstellen/`: every active partner with its locations and the discounts
per programme, as a list (the complete, accessible page) and a map (MapLibre GL JS on the city's
basemap, sozialcard/partners.mjs; the map reads the same GeoJSON as the open dataset,
embedded with `json_script`, so no extra request and no inline script).
`/sozialcard/statistik/`: the checks per month (all months) and per day (the last 31 days),
per partner and programme: valid and refused — counts from `VerificationCount`, no person.
"""
from __future__ import annotations

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opendata.models import Dataset

from .dataset import COUNTS_DATASET, PARTNERS_DATASET
from .publicdata import partners_geojson
from .selectors import partner_list_public, verification_counts

__all__ = ["partners_page", "statistics_page"]

#: Days the daily table looks back (a month; the monthly table has the rest).
DAILY_DAYS = 31


def _dataset_published(name: str) -> bool:
    return Dataset.objects.filter(name=name, state=Dataset.State.ACTIVE, private=False).exists()


@require_http_methods(["GET", "HEAD"])
def partners_page(request):
    """The partners: list and map (see the module docstring)."""
    partners = list(partner_list_public())
    return render(request, "sozialcard/partners.html", {
        "partners": partners, "geojson": partners_geojson(partners),
        "dataset": PARTNERS_DATASET if _dataset_published(PARTNERS_DATASET) else None})


@require_http_methods(["GET", "HEAD"])
def statistics_page(request):
    """The check counts per month and per day (see the module docstring)."""
    since = timezone.localdate() - timedelta(days=DAILY_DAYS - 1)
    return render(request, "sozialcard/statistics.html", {
        "months": verification_counts(by="month"), "days": verification_counts(by="day", since=since),
        "daily_days": DAILY_DAYS,
        "dataset": COUNTS_DATASET if _dataset_published(COUNTS_DATASET) else None})
