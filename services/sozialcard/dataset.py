"""The Sozialcard's open datasets, published like the OZG monitor's (`opendata.exports.small`:
the city's organisation, dl-by-de/2.0, daily, files swapped atomically, unchanged files left):

- `sozialcard-akzeptanzstellen`: the partners' locations and discounts (GeoJSON, CSV;
  `publicdata`), EU theme SOCI;
- `sozialcard-pruefungen`: the checks per day, partner, programme, card type and result
  (CSV), EU theme SOCI — counts only, no person (see `selectors` on small numbers).

Texts in the site's language. Rebuilt nightly (`tasks`) and by `manage.py sozialcard_publish`.
"""
from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from opendata.exports.small import SmallFile, small_dataset_publish

from .publicdata import counts_csv, geojson_bytes, partners_csv, partners_geojson
from .selectors import partner_list_public

__all__ = ["COUNTS_DATASET", "PARTNERS_DATASET", "sozialcard_datasets_rebuild"]

PARTNERS_DATASET = "sozialcard-akzeptanzstellen"
COUNTS_DATASET = "sozialcard-pruefungen"


def _partners() -> tuple[str, ...]:
    partners = list(partner_list_public())
    title = _("Sozialcard: Akzeptanzstellen und Ermäßigungen")
    return small_dataset_publish(
        name=PARTNERS_DATASET, title=title,
        notes=_("Die Akzeptanzstellen der Sozialcard und der weiteren Ermäßigungsprogramme der Stadt (Bäder, "
                "Bibliotheken, Museen …) mit ihren Standorten (WGS 84) und den Ermäßigungen je Programm und "
                "Ermäßigungsstufe. Täglich aktualisiert."),
        tags=("sozialcard", "ermaessigung", "akzeptanzstellen"), theme="SOCI",
        files=(SmallFile("GeoJSON", "geojson", "application/geo+json", f"{title} (GeoJSON)",
                         geojson_bytes(partners_geojson(partners))),
               SmallFile("CSV", "csv", "text/csv", f"{title} (CSV)", partners_csv(partners))))


def _counts() -> tuple[str, ...]:
    title = _("Sozialcard: Prüfungen an den Kassen")
    return small_dataset_publish(
        name=COUNTS_DATASET, title=title,
        notes=_("Wie oft Karten der Ermäßigungsprogramme geprüft wurden: je Tag, Akzeptanzstelle, Programm, Art "
                "der Karte (dynamisch, statisch) und Ergebnis (gültig oder der Ablehnungsgrund). Nur Anzahlen, "
                "keine personenbezogenen Daten. Täglich aktualisiert."),
        tags=("sozialcard", "ermaessigung", "statistik"), theme="SOCI",
        files=(SmallFile("CSV", "csv", "text/csv", f"{title} (CSV)", counts_csv()),))


def sozialcard_datasets_rebuild() -> str:
    """Rebuild both datasets; a one-line summary of the rewritten files."""
    with translation.override(settings.LANGUAGE_CODE):
        changed = {PARTNERS_DATASET: _partners(), COUNTS_DATASET: _counts()}
    return "; ".join(f"{name}: {', '.join(formats) or '–'}" for name, formats in changed.items())
