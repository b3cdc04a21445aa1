"""`manage.py load_demo` — the demo city around Gera (synthetic geometry, marked as demo).

Idempotent: departments, categories, layers, gazetteer places, users and crews are created once; the
500 demo reports only when the database has no report yet; due dates are filled where missing and the
first open reports of Tiefbauamt Nord are assigned to its crew once.
Then every installed service adds its own demo through the hook `register_demo_data`.
(Answer templates: `manage.py load_demo_answers`; open datasets: `manage.py opendata_rebuild`.)
Geometries are synthetic (not Gera's real boundaries) and flagged `is_demo`.
"""
import random
from datetime import timedelta
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from geodata.models import JurisdictionArea, JurisdictionLayer
from geodata.place_files import PlaceRow
from geodata.services import address_import, places_upsert
from portal import hooks
from reporter.history import history_entry, history_record_many
from reporter.models import Crew, Report, StatusChange
from reporter.service_levels import due_date_for
from reporter.workflow import CLOSED_STATUSES
from routing_rules.models import Category, Department
from routing_rules.selectors import OutsideCity, route_point
from routing_rules.services import rules_load

DEMO_DIR = Path(__file__).resolve().parents[3] / "demo"

DEPARTMENTS = [
    ("tiefbau-nord", "Tiefbauamt – Straßenunterhaltung Nord", "tiefbau-nord@gera.example"),
    ("tiefbau-sued", "Tiefbauamt – Straßenunterhaltung Süd", "tiefbau-sued@gera.example"),
    ("gruenflaechen", "Grünflächenamt", "gruen@gera.example"),
    ("ordnungsamt", "Ordnungsamt", "ordnung@gera.example"),
    ("stadtreinigung", "Stadtreinigung / Umweltamt", "reinigung@gera.example"),
    ("beleuchtung", "Stadtwerke – Öffentliche Beleuchtung", "licht@gera.example"),
    ("schulverwaltung", "Schulverwaltungsamt", "schulen@gera.example"),
]
# slug, name, name_en, group, icon, default department, sla days, photo required, questions
CATEGORIES = [
    ("schlagloch", "Schlagloch", "Pothole", "strasse", "pothole", "tiefbau-nord", 10, False,
     [{"key": "groesse", "label": "Größe", "label_en": "Size", "type": "choice",
       "choices": ["klein", "mittel", "groß"], "required": False}]),
    ("gehwegschaden", "Gehwegschaden", "Damaged pavement", "strasse", "sidewalk", "tiefbau-nord", 15, False, []),
    ("verkehrszeichen", "Verkehrszeichen beschädigt", "Damaged traffic sign", "strasse", "sign", "tiefbau-nord",
     5, False, []),
    ("gully", "Gully verstopft", "Blocked drain", "strasse", "drain", "tiefbau-nord", 5, False, []),
    ("strassenbeleuchtung", "Straßenlaterne defekt", "Street light out", "licht", "light", "beleuchtung", 5, False,
     [{"key": "mastnummer", "label": "Mastnummer (falls lesbar)", "label_en": "Pole number", "type": "text",
       "required": False}]),
    ("muell", "Illegale Müllablagerung", "Illegal dumping", "sauberkeit", "trash", "stadtreinigung", 3, True, []),
    ("graffiti", "Graffiti", "Graffiti", "sauberkeit", "graffiti", "stadtreinigung", 20, False,
     [{"key": "anstoessig", "label": "Anstößiger Inhalt?", "label_en": "Offensive content?", "type": "boolean",
       "required": False}]),
    ("spielplatz", "Spielplatz beschädigt", "Damaged playground", "gruen", "playground", "gruenflaechen", 5, False,
     []),
    ("baum", "Umgestürzter Baum / Astbruch", "Fallen tree / branch", "gruen", "tree", "gruenflaechen", 2, False,
     []),
    ("ampel", "Ampel gestört", "Traffic light fault", "verkehr", "traffic-light", "ordnungsamt", 1, False, []),
    ("falschparker", "Dauerhaft abgestelltes Fahrzeug", "Abandoned vehicle", "ordnung", "car", "ordnungsamt", 10,
     False, []),
]
DISTRICTS = ["Bieblach", "Langenberg", "Lusan", "Untermhaus", "Innenstadt", "Debschwitz", "Pforten",
             "Zwötzen", "Leumnitz"]
PARKS = [("Hofwiesenpark", (12.065, 50.872, 12.080, 50.882)), ("Stadtwald", (12.095, 50.855, 12.125, 50.875)),
         ("Küchengarten", (12.070, 50.886, 12.078, 50.891)), ("Ostpark", (12.120, 50.880, 12.135, 50.892))]
SCHOOLS = [("Goethe-Gymnasium (Demo)", (12.083, 50.879, 12.087, 50.882)),
           ("Grundschule Lusan (Demo)", (12.118, 50.845, 12.122, 50.848)),
           ("Regelschule Bieblach (Demo)", (12.060, 50.905, 12.064, 50.908))]
# Irregular city outline (lon, lat), inside the demo window 11.95–12.20 / 50.80–50.95.
BOUNDARY = [(11.99, 50.84), (12.05, 50.82), (12.12, 50.825), (12.17, 50.85), (12.175, 50.90),
            (12.13, 50.935), (12.06, 50.94), (12.00, 50.915), (11.985, 50.88), (11.99, 50.84)]
# Gazetteer: real names in Gera, approximate positions (±200 m), all inside BOUNDARY.
# name, kind, lon, lat (WGS 84), other names (one per line)
PLACES = [
    ("Markt", "square", 12.0819, 50.8787, "Marktplatz"),
    ("Johannisplatz", "square", 12.0797, 50.8797, ""),
    ("Puschkinplatz", "square", 12.0839, 50.8766, ""),
    ("Theaterplatz", "square", 12.0762, 50.8823, ""),
    ("Bahnhofsplatz", "square", 12.0770, 50.8833, ""),
    ("Museumsplatz", "square", 12.0789, 50.8808, ""),
    ("Heinrichstraße", "street", 12.0837, 50.8781, ""),
    ("Sorge", "street", 12.0849, 50.8772, "Fußgängerzone Sorge"),
    ("Schloßstraße", "street", 12.0815, 50.8810, "Schlossstraße"),
    ("Leipziger Straße", "street", 12.0795, 50.8860, ""),
    ("Wiesestraße", "street", 12.0675, 50.8770, ""),
    ("Straße des Friedens", "street", 12.0920, 50.8700, ""),
    ("De-Smit-Straße", "street", 12.0830, 50.8730, ""),
    ("Gagarinstraße", "street", 12.0790, 50.8990, ""),
    ("Berliner Straße", "street", 12.0750, 50.9050, ""),
    ("Greizer Straße", "street", 12.0850, 50.8600, ""),
    ("Humboldtstraße", "street", 12.0905, 50.8830, ""),
    ("Hauptbahnhof Gera", "landmark", 12.0766, 50.8840, "Hbf Gera\nBahnhof"),
    ("Theater Gera", "landmark", 12.0753, 50.8826, "Bühnen der Stadt Gera"),
    ("Otto-Dix-Haus", "landmark", 12.0672, 50.8849, ""),
    ("Küchengarten", "landmark", 12.0740, 50.8880, "Orangerie"),
    ("Hofwiesenpark", "landmark", 12.0720, 50.8770, ""),
    ("Stadtwald", "landmark", 12.1100, 50.8650, ""),
    ("Gera Arcaden", "landmark", 12.0795, 50.8762, "Arcaden"),
    ("Bieblach", "district", 12.0780, 50.9000, ""),
    ("Lusan", "district", 12.1150, 50.8500, ""),
    ("Untermhaus", "district", 12.0660, 50.8880, ""),
    ("Zwötzen", "district", 12.0850, 50.8450, ""),
]
USERS = [("admin", "stadtmelder-admin", True, True, []),
         ("sachbearbeitung", "stadtmelder-demo", True, False, ["tiefbau-nord", "tiefbau-sued", "gruenflaechen"]),
         ("bautrupp", "stadtmelder-demo", False, False, [])]
# What citizens write, per category slug: a demo report's text always fits its category.
DESCRIPTIONS = {
    "schlagloch": ["Tiefes Loch in der Fahrbahn, etwa 30 cm breit", "Mehrere Schlaglöcher vor der Einfahrt",
                   "Loch am Fahrbahnrand, Radfahrer müssen ausweichen", "Asphalt aufgebrochen nach dem Frost"],
    "gehwegschaden": ["Gehwegplatten lose, Stolpergefahr", "Bordstein abgebrochen an der Querung",
                      "Wurzeln heben den Gehweg an", "Pflaster abgesackt, Pfütze bei Regen"],
    "verkehrszeichen": ["Schild umgefahren", "Vorfahrtsschild verdreht, zeigt in die falsche Richtung",
                        "Verkehrszeichen zugewachsen, kaum zu sehen", "Halteverbotsschild liegt auf dem Gehweg"],
    "gully": ["Gully läuft über", "Gully mit Laub verstopft, Wasser steht auf der Straße",
              "Gullydeckel klappert und sitzt schief", "Abfluss verstopft, riecht unangenehm"],
    "strassenbeleuchtung": ["Laterne seit Tagen aus", "Straßenlaterne flackert die ganze Nacht",
                            "Lampe brennt auch tagsüber", "Mehrere Laternen in der Straße dunkel"],
    "muell": ["Sperrmüll am Straßenrand abgestellt", "Alte Reifen im Gebüsch entsorgt",
              "Müllsäcke neben dem Glascontainer", "Bauschutt am Feldweg abgeladen"],
    "graffiti": ["Schmiererei an der Haltestelle", "Graffiti an der Schulwand",
                 "Farbschmierereien am Brückengeländer", "Beschmiertes Stromhäuschen"],
    "spielplatz": ["Schaukel kaputt, Kette gerissen", "Rutsche hat einen scharfen Riss",
                   "Glasscherben im Sandkasten", "Klettergerüst wackelt, Schraube fehlt"],
    "baum": ["Ast hängt über dem Gehweg", "Baum nach dem Sturm umgestürzt, blockiert den Weg",
             "Abgebrochener Ast liegt auf der Fahrbahn", "Baum neigt sich stark zur Straße"],
    "ampel": ["Ampel blinkt nur gelb", "Fußgängerampel bleibt immer rot",
              "Ampel an der Kreuzung komplett ausgefallen", "Signalgeber verdreht, schlecht zu sehen"],
    "falschparker": ["Auto ohne Kennzeichen steht seit Wochen hier", "Abgemeldeter Wagen mit platten Reifen",
                     "Wohnwagen seit Monaten auf dem Parkstreifen", "Ausgebranntes Fahrzeug am Straßenrand"],
}
# Texts for categories added later without their own list.
DESCRIPTION_FALLBACK = ["Bitte ansehen, Details siehe Foto", "Mangel besteht seit einigen Tagen"]


def demo_description(*, category_slug: str, rng: random.Random) -> str:
    """A believable report text for the category (never one written for another category)."""
    return rng.choice(DESCRIPTIONS.get(category_slug, DESCRIPTION_FALLBACK))


def _mp(ring) -> MultiPolygon:
    return MultiPolygon(Polygon(ring), srid=4326)


def _rect(x0, y0, x1, y1) -> MultiPolygon:
    return _mp([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])


def _multi(geom) -> MultiPolygon:
    """GEOS set operations return Polygon or MultiPolygon; the model stores MultiPolygon."""
    return geom if geom.geom_type == "MultiPolygon" else MultiPolygon(geom, srid=4326)


class Command(BaseCommand):
    help = "Load the demo city (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=500)
        parser.add_argument("--seed", type=int, default=2026)

    @transaction.atomic
    def handle(self, *args, reports: int, seed: int, **options):
        departments = self._departments()
        self._categories(departments)
        self._layers()
        rules_file = DEMO_DIR / "routing_rules.yaml"
        rules_load(data=yaml.safe_load(rules_file.read_text(encoding="utf-8")))
        self._users(departments)
        self._places()
        crews = self._crews(departments)
        if Report.objects.exists():
            self.stdout.write("demo data present, reports kept")
        else:
            created = self._reports(count=reports, rng=random.Random(seed))
            self.stdout.write(f"demo city loaded: {len(departments)} departments, "
                              f"{Category.objects.count()} categories, {JurisdictionLayer.objects.count()} layers, "
                              f"{created} reports")
        self._due_dates()
        assigned = self._assign(crew=crews["tiefbau-nord"])
        if assigned:
            self.stdout.write(f"{assigned} open reports assigned to crew „{crews['tiefbau-nord'].name}“")
        # Then every installed service's demo (hook `register_demo_data`), in the same transaction.
        for load in hooks.get_hooks("register_demo_data"):
            load(stdout=self.stdout)

    def _departments(self) -> dict:
        out = {}
        for slug, name, email in DEPARTMENTS:
            out[slug], _ = Department.objects.get_or_create(slug=slug, defaults={"name": name, "email": email})
        return out

    def _categories(self, departments):
        for order, (slug, name, name_en, group, icon, dep, sla, photo, questions) in enumerate(CATEGORIES):
            Category.objects.get_or_create(slug=slug, defaults=dict(
                name=name, name_en=name_en, group=group, icon=icon, default_department=departments[dep],
                sla_days=sla, photo_required=photo, questions=questions, order=order))

    def _layer(self, slug, name, role) -> tuple[JurisdictionLayer, bool]:
        layer, created = JurisdictionLayer.objects.get_or_create(
            slug=slug, defaults={"name": name, "role": role, "is_demo": True, "imported_at": timezone.now(),
                                 "source": "synthetisch (Demo)", "description": "Demodaten, keine amtliche Geometrie"})
        return layer, created

    def _layers(self):
        boundary, created = self._layer("stadtgrenze", "Stadtgrenze (Demo)", JurisdictionLayer.Role.BOUNDARY)
        city = _mp(BOUNDARY)
        if created:
            JurisdictionArea.objects.create(layer=boundary, name="Gera (Demo)", code="16052000", geom=city)
        neighbours, created = self._layer("nachbarn", "Nachbarbehörden (Demo)", JurisdictionLayer.Role.NEIGHBOUR)
        if created:
            north = _rect(11.85, 50.90, 12.30, 51.00).difference(city)
            south = _rect(11.85, 50.70, 12.30, 50.90).difference(city)
            for name, authority, geom in [("Altenburger Land (Demo)", "Landratsamt Altenburger Land", north),
                                          ("Landkreis Greiz (Demo)", "Landratsamt Greiz", south)]:
                JurisdictionArea.objects.create(layer=neighbours, name=name, authority=authority, geom=_multi(geom))
        districts, created = self._layer("stadtteile", "Stadtteile (Demo)", JurisdictionLayer.Role.DISTRICT)
        if created:
            xs, ys = [11.98, 12.045, 12.11, 12.18], [50.81, 50.855, 50.90, 50.95]
            n = 0
            for j in range(3):
                for i in range(3):
                    cell = _rect(xs[i], ys[2 - j], xs[i + 1], ys[3 - j]).intersection(city)
                    if cell.empty:
                        continue
                    JurisdictionArea.objects.create(layer=districts, name=DISTRICTS[n], code=f"ST{n + 1:02d}",
                                                    geom=_multi(cell))
                    n += 1
        sections, created = self._layer("strassenabschnitte", "Straßenunterhaltungsabschnitte (Demo)",
                                        JurisdictionLayer.Role.AREA)
        if created:
            for name, bounds in [("Nord", (11.95, 50.875, 12.20, 50.95)), ("Süd", (11.95, 50.80, 12.20, 50.875))]:
                JurisdictionArea.objects.create(layer=sections, name=f"Abschnitt {name}", code=name[0],
                                                attributes={"abschnitt": name},
                                                geom=_multi(_rect(*bounds).intersection(city)))
        for slug, name, areas in [("parks", "Parks und Grünanlagen (Demo)", PARKS),
                                  ("schulgelaende", "Schulgelände (Demo)", SCHOOLS)]:
            layer, created = self._layer(slug, name, JurisdictionLayer.Role.AREA)
            if created:
                for area_name, bounds in areas:
                    JurisdictionArea.objects.create(layer=layer, name=area_name, geom=_rect(*bounds))

    def _places(self):
        """The demo gazetteer and its house numbers (idempotent: matched by name and kind, and by address)."""
        places_upsert(rows=[PlaceRow(name=name, kind=kind, lon=lon, lat=lat, alt_names=tuple(alt.splitlines()),
                                     where="demo") for name, kind, lon, lat, alt in PLACES], is_demo=True)
        address_import(path=DEMO_DIR / "hauskoordinaten_demo.csv", is_demo=True)

    def _users(self, departments):
        User = get_user_model()
        crew_group, _ = Group.objects.get_or_create(name="Außendienst")
        staff_group, created = Group.objects.get_or_create(name="Sachbearbeitung")
        if created:
            staff_group.permissions.set(Permission.objects.filter(
                content_type__app_label__in=["reporter", "notifications"],
                codename__regex=r"^(view|change)_"))
        for username, password, is_staff, is_superuser, member_of in USERS:
            if User.objects.filter(username=username).exists():
                continue
            user = User.objects.create_user(username=username, password=password, is_staff=is_staff,
                                            is_superuser=is_superuser, email=f"{username}@gera.example")
            if is_staff and not is_superuser:
                user.groups.add(staff_group)
            for slug in member_of:
                departments[slug].members.add(user)
            if username == "bautrupp":
                user.groups.add(crew_group)
                departments["tiefbau-nord"].members.add(user)

    def _crews(self, departments) -> dict:
        """One field crew per road department; the demo user `bautrupp` works in Tiefbauamt Nord's."""
        crews = {}
        for slug, name in [("tiefbau-nord", "Bautrupp Nord"), ("tiefbau-sued", "Bautrupp Süd"),
                           ("gruenflaechen", "Grünpflege")]:
            crews[slug], _ = Crew.objects.get_or_create(department=departments[slug], name=name)
        crew_user = get_user_model().objects.filter(username="bautrupp").first()
        if crew_user is not None:
            crews["tiefbau-nord"].members.add(crew_user)
        return crews

    def _due_dates(self) -> None:
        """Service-level due dates (working days, public holidays of the state) where missing."""
        missing = list(Report.objects.filter(due_date__isnull=True).select_related("category").only(
            "id", "created_at", "category__sla_days"))
        for report in missing:
            report.due_date = due_date_for(category=report.category, filed_at=report.created_at)
        Report.objects.bulk_update(missing, ["due_date"], batch_size=500)

    def _assign(self, *, crew: Crew, count: int = 25) -> int:
        """The first open reports of the crew's department go to the crew, once (a demo task list)."""
        if Report.objects.filter(crew__isnull=False).exists():
            return 0
        ids = list(Report.objects.filter(department=crew.department, status__in=Report.OPEN_STATUSES)
                   .order_by("created_at").values_list("id", flat=True)[:count])
        return Report.objects.filter(id__in=ids).update(crew=crew, assigned_at=timezone.now())

    def _reports(self, *, count: int, rng: random.Random) -> int:
        categories = list(Category.objects.select_related("default_department"))
        statuses = ([Report.Status.SUBMITTED] * 10 + [Report.Status.OPEN] * 20 + [Report.Status.IN_PROGRESS] * 15
                    + [Report.Status.RESOLVED] * 40 + [Report.Status.NOT_FIXABLE] * 5 + [Report.Status.DUPLICATE] * 5
                    + [Report.Status.REFERRED] * 5)
        with connection.cursor() as cursor:
            cursor.execute("SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) "
                           "FROM geodata_jurisdictionarea a JOIN geodata_jurisdictionlayer l ON l.id = a.layer_id "
                           "WHERE l.slug = 'stadtgrenze'")
            x0, y0, x1, y1 = cursor.fetchone()
        now = timezone.now()
        created = 0
        while created < count:
            point = Point(rng.uniform(x0, x1), rng.uniform(y0, y1), srid=4326)
            category = rng.choice(categories)
            try:
                decision = route_point(point=point, category=category)
            except OutsideCity:
                continue
            status = rng.choice(statuses)
            created_at = now - timedelta(days=rng.uniform(0, 120))
            approved = rng.random() < 0.7
            description = demo_description(category_slug=category.slug, rng=rng)
            report = Report.objects.create(
                location=point, category=category, department_id=decision.department_id,
                routing_explanation=decision.as_explanation(), description=description,
                public_description=description if approved else "",
                moderation=Report.Moderation.APPROVED if approved else Report.Moderation.PENDING,
                status=status, channel=rng.choice(list(Report.Channel.values)),
                reporter_email=f"buerger{created}@example.org" if rng.random() < 0.4 else "",
                supporter_count=rng.choice([0, 0, 0, 1, 2, 5]),
            )
            closed_at = None
            history = [history_entry(report, kind="created", from_status="", to_status=Report.Status.SUBMITTED)]
            if status != Report.Status.SUBMITTED:
                steps = [Report.Status.OPEN, status] if status != Report.Status.OPEN else [Report.Status.OPEN]
                prev = Report.Status.SUBMITTED
                for k, step in enumerate(steps):
                    history.append(history_entry(report, kind="status", from_status=prev, to_status=step,
                                                 note_public="Vielen Dank, wir kümmern uns." if k == 0 else ""))
                    prev = step
                if status in CLOSED_STATUSES:
                    closed_at = created_at + timedelta(days=rng.uniform(0.5, 25))
            history_record_many(history)
            # auto_now_add ignores given values: set timestamps afterwards.
            Report.objects.filter(pk=report.pk).update(created_at=created_at, updated_at=closed_at or created_at,
                                                       closed_at=closed_at if closed_at and closed_at < now else None)
            StatusChange.objects.filter(report=report).update(created_at=created_at)
            created += 1
        return created
