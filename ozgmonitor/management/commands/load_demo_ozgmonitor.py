"""`manage.py load_demo_ozgmonitor`: the demo's OZG monitor (after `load_demo`): entries for the
portal's own services (department, delivery route, maturity per criterion) and a few external
services of the state and "Einer für alle" with a history of status changes over the last two
years, then the open dataset `ozg-monitor`. Idempotent: an entry that exists is left alone."""
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ozgmonitor.dataset import monitor_dataset_rebuild
from ozgmonitor.models import DeliveryRoute, Origin, OzgService, ServiceStatus
from ozgmonitor.services import ozg_service_save, portal_services_sync
from ozgmonitor.topics import OzgTopic
from routing_rules.models import Department

FULL_V11 = {"leistungsbeschreibung": 4, "antragsprozess": 4, "nutzerkonto": 4, "authentifizierung": 4,
            "nachweise": 4, "bescheid": 4, "status": 4}
# key: (topic, department slug, delivery route, maturity)
OWN = {
    "maengelmelder": (OzgTopic.UMWELT, "tiefbau-nord", DeliveryRoute.BACK_OFFICE, FULL_V11),
    "anliegen": (OzgTopic.QUERSCHNITT, "buergerservice", DeliveryRoute.BACK_OFFICE, {**FULL_V11, "nachweise": 3}),
}
# key, title, title_en, provider, url, leika, topic, route, maturity, [(days ago, status)], target in days
EXTERNAL = [
    ("wohngeld", "Wohngeld beantragen", "Apply for housing benefit", "Land (Einer für alle)",
     "https://www.wohngeld.example/antrag", "99108001000000", OzgTopic.BAUEN_WOHNEN, DeliveryRoute.EXTERNAL_PORTAL,
     {"leistungsbeschreibung": 4, "antragsprozess": 3, "authentifizierung": 4, "nachweise": 3, "bescheid": 3},
     [(700, ServiceStatus.PLANNED), (480, ServiceStatus.IN_PROGRESS), (300, ServiceStatus.ONLINE)], None),
    ("elterngeld", "Elterngeld beantragen (ElterngeldDigital)", "Apply for parental allowance",
     "Bund (Einer für alle)", "https://www.elterngeld-digital.example/", "99107004000000", OzgTopic.FAMILIE_KIND,
     DeliveryRoute.EXTERNAL_PORTAL, {"leistungsbeschreibung": 4, "antragsprozess": 3, "nachweise": 3},
     [(720, ServiceStatus.IN_PROGRESS), (540, ServiceStatus.ONLINE)], None),
    ("kfz-zulassung", "Fahrzeug online zulassen (i-Kfz)", "Register a vehicle online (i-Kfz)",
     "Kraftfahrt-Bundesamt", "https://www.ikfz.example/", "99036003000000", OzgTopic.MOBILITAET_REISEN,
     DeliveryRoute.EXTERNAL_PORTAL, {"leistungsbeschreibung": 4, "antragsprozess": 4, "authentifizierung": 4,
                                      "bezahlung": 4, "nachweise": 4},
     [(650, ServiceStatus.PLANNED), (400, ServiceStatus.IN_PROGRESS), (120, ServiceStatus.ONLINE)], None),
    ("hundesteuer", "Hund anmelden (Hundesteuer)", "Register a dog (dog tax)", "",
     "", "99006004000000", OzgTopic.STEUERN_ZOLL, DeliveryRoute.FIT_CONNECT, {"leistungsbeschreibung": 4,
                                                                               "antragsprozess": 2},
     [(300, ServiceStatus.PLANNED), (90, ServiceStatus.IN_PROGRESS)], 120),
    ("bewohnerparken", "Bewohnerparkausweis beantragen", "Apply for a resident parking permit", "",
     "", "99015004000000", OzgTopic.MOBILITAET_REISEN, DeliveryRoute.FIT_CONNECT, {"leistungsbeschreibung": 1},
     [(200, ServiceStatus.PLANNED)], 365),
]


class Command(BaseCommand):
    help = "Load the demo's OZG monitor entries (after load_demo) and publish its dataset."

    @transaction.atomic
    def handle(self, *args, **options):
        today = timezone.localdate()
        departments = {d.slug: d for d in Department.objects.all()}
        portal_services_sync(today=today - timedelta(days=400))
        for key, (topic, department, route, maturity) in OWN.items():
            entry = OzgService.objects.filter(key=key, origin=Origin.PORTAL, department__isnull=True).first()
            if entry is None:
                continue
            entry.topic, entry.department, entry.delivery_route = topic, departments.get(department), route
            entry.maturity = maturity
            ozg_service_save(service=entry, changed_on=today - timedelta(days=400))
        department = departments.get("buergerservice")
        for key, title, title_en, provider, url, leika, topic, route, maturity, history, target in EXTERNAL:
            if OzgService.objects.filter(key=key).exists():
                continue
            entry = OzgService(key=key, origin=Origin.EXTERNAL, title=title, title_en=title_en, provider=provider,
                               url=url, leika_key=leika, topic=topic, delivery_route=route, department=department,
                               maturity=maturity,
                               target_date=today + timedelta(days=target) if target else None)
            for days_ago, status in history:
                entry.status = status
                if status == ServiceStatus.ONLINE:
                    entry.go_live_date = today - timedelta(days=days_ago)
                ozg_service_save(service=entry, changed_on=today - timedelta(days=days_ago))
        self.stdout.write(str(monitor_dataset_rebuild()))
