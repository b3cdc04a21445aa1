"""Report pages: the report flow, a report's public page and tracking page, "my reports"."""
from django.shortcuts import render


def report_new(request):
    return render(request, "frontend/report_new.html")


def my_reports(request):
    return render(request, "frontend/my_reports.html")


def report_detail(request, pk: int):
    return render(request, "frontend/report_detail.html", {"pk": pk})


def report_track(request, token: str):
    return render(request, "frontend/report_detail.html", {"token": token})
