"""The statistics page."""
from django.shortcuts import render


def stats(request):
    return render(request, "frontend/stats.html")
