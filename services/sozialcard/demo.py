"""The Sozialcard's demo (hook `register_demo_data`, run by `manage.py load_demo`): the social
welfare office (Sozialamt) with the demo clerk as member, the programme "Sozialcard" (from 6
years, 12 months, adults and children), two partners with a location and discounts.
Idempotent: rows by slug or name."""
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point

from routing_rules.models import Department

from .conf import sozialcard_setting
from .models import DiscountCategory, Partner, PartnerDiscount, PartnerLocation, Programme

__all__ = ["sozialcard_demo_load"]

OFFICE = ("Sozialamt", "sozialamt@gera.example")

SOZIALCARD = {
    "name_de": "Sozialcard", "name_en": "Social card",
    "eligibility_de": "Menschen mit Bürgergeld (SGB II), Sozialhilfe (SGB XII) oder Wohngeld und jede Person "
                      "ihres Haushalts ab 6 Jahren.",
    "eligibility_en": "People receiving citizen's income (SGB II), social assistance (SGB XII) or housing "
                      "benefit, and every member of their household aged 6 or over.",
    "proofs_de": "Der aktuelle Bewilligungsbescheid der Leistung.",
    "proofs_en": "The current decision granting the benefit.",
    "max_validity_months": 12, "minimum_age": 6, "trust_level": "substanziell", "order": 10,
}
CATEGORIES = (("erwachsene", "Erwachsene", "Adults"), ("kinder", "Kinder und Jugendliche", "Children and young people"))
# (name, website, location name, address, longitude, latitude (WGS 84), discounts per category)
PARTNERS = (
    ("Hofwiesenbad Gera", "", "Hofwiesenbad", "Hofwiesenpark 1, 07548 Gera", 12.0733, 50.8773,
     {"erwachsene": ("Eintritt 2 € statt 5,50 €", "Admission €2 instead of €5.50"),
      "kinder": ("Eintritt 1 € statt 3,50 €", "Admission €1 instead of €3.50")}),
    ("Stadt- und Regionalbibliothek Gera", "", "Bibliothek am Puschkinplatz", "Puschkinplatz 7, 07545 Gera",
     12.0794, 50.8788,
     {"erwachsene": ("Jahresausweis kostenlos", "Annual library card free of charge"),
      "kinder": ("Jahresausweis kostenlos", "Annual library card free of charge")}),
)


def sozialcard_demo_load(*, stdout) -> None:
    """See the module docstring; one line of output to `stdout`."""
    office, _created = Department.objects.get_or_create(
        slug=sozialcard_setting("DEPARTMENT"), defaults={"name": OFFICE[0], "email": OFFICE[1]})
    clerk = get_user_model().objects.filter(username="sachbearbeitung").first()
    if clerk is not None:
        office.members.add(clerk)
    programme, _created = Programme.objects.get_or_create(slug="sozialcard", defaults={
        **SOZIALCARD, "department": office})
    categories = {}
    for slug, name_de, name_en in CATEGORIES:
        categories[slug], _created = DiscountCategory.objects.get_or_create(
            programme=programme, slug=slug, defaults={"name_de": name_de, "name_en": name_en})
    for name, website, place, address, lon, lat, discounts in PARTNERS:
        partner, created = Partner.objects.get_or_create(name=name, defaults={"website": website,
                                                                              "department": office})
        if created:
            PartnerLocation.objects.create(partner=partner, name=place, address=address,
                                           point=Point(lon, lat, srid=4326))
        for slug, (text_de, text_en) in discounts.items():
            PartnerDiscount.objects.get_or_create(partner=partner, programme=programme, category=categories[slug],
                                                  defaults={"description_de": text_de, "description_en": text_en})
    stdout.write(f"sozialcard demo: office „{office.name}“, {Partner.objects.count()} partners")
