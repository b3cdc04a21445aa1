"""The citizen pages of the Sozialcard (German paths: the city's language).

`/sozialcard/`: what the programmes are, who gets a card, what to prove, and where it
counts (partners and their discounts) — public data only.
"""
from django.shortcuts import render

from .selectors import partner_list_public, programme_list_public


def sozialcard_start(request):
    """The public start page: programmes and partners."""
    return render(request, "sozialcard/start.html", {
        "programmes": programme_list_public(), "partners": partner_list_public()})
