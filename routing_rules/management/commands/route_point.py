"""`manage.py route_point LON LAT CATEGORY` — explain a routing decision without saving anything."""
import json

from django.contrib.gis.geos import Point
from django.core.management.base import BaseCommand, CommandError

from routing_rules.selectors import OutsideCity, category_get, route_point


class Command(BaseCommand):
    help = "Explain which department a point (WGS 84 lon lat) and category are routed to."

    def add_arguments(self, parser):
        parser.add_argument("lon", type=float)
        parser.add_argument("lat", type=float)
        parser.add_argument("category", help="category slug")

    def handle(self, *args, lon, lat, category, **options):
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise CommandError("coordinates out of range (expected LON LAT in WGS 84)")
        cat = category_get(slug=category)
        if cat is None:
            raise CommandError(f"unknown category: {category}")
        try:
            decision = route_point(point=Point(lon, lat, srid=4326), category=cat)
        except OutsideCity as exc:
            raise CommandError(
                f"outside the city boundary; responsible: {exc.authority or 'unknown authority'}"
            ) from exc
        self.stdout.write(json.dumps(decision.as_explanation(), ensure_ascii=False, indent=2))
