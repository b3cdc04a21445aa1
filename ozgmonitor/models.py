"""The monitor's data: one `OzgService` per service of the city (its own plug-in services,
`origin=portal`, keyed by their catalogue slug; external ones of the state or "Einer für alle",
`origin=external`), and `OzgServiceChange`, the history of its status and maturity (one row per
change, dated; the progress chart is read from it).

For a plug-in service, what the service declares (`portal.catalogue.Service`: title, LeiKa key,
start page, and optionally OZG topic and maturity) wins over the stored columns
(`ozgmonitor.selectors`); staff set the rest. `maturity_level` is the overall level, the lowest
assessed criterion (`ozgmonitor.maturity.overall_level`), kept by `ozgmonitor.services`.
"""
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from routing_rules.models import Department

from .maturity import MODELS
from .topics import OzgTopic

__all__ = ["DeliveryRoute", "Origin", "OzgService", "OzgServiceChange", "ServiceStatus"]

leika_validator = RegexValidator(r"^\d{14}$", _("Der LeiKa-Schlüssel hat genau 14 Ziffern."))


class Origin(models.TextChoices):
    PORTAL = "portal", _("Leistung dieses Portals")
    EXTERNAL = "external", _("externe Leistung (Land, Bund, Einer für alle)")


class ServiceStatus(models.TextChoices):
    PLANNED = "planned", _("geplant")
    IN_PROGRESS = "in_progress", _("in Umsetzung")
    ONLINE = "online", _("online")
    RETIRED = "retired", _("eingestellt")


class DeliveryRoute(models.TextChoices):
    FIT_CONNECT = "fit-connect", _("FIT-Connect an das Fachverfahren")
    BACK_OFFICE = "back-office", _("Sachbearbeitung im Portal")
    EXTERNAL_PORTAL = "external-portal", _("externes Portal")
    EMAIL = "email", _("E-Mail an die Fachabteilung")


class OzgService(models.Model):
    key = models.SlugField(_("Kennung"), max_length=60, unique=True,
                           help_text=_("Bei Leistungen dieses Portals die Kennung im Leistungskatalog."))
    origin = models.CharField(_("Herkunft"), max_length=10, choices=Origin.choices, default=Origin.EXTERNAL)
    title = models.CharField(_("Titel"), max_length=300)
    title_en = models.CharField(_("Titel (englisch)"), max_length=300, blank=True)
    url = models.URLField(_("Adresse der Leistung"), max_length=500, blank=True)
    provider = models.CharField(_("Anbieter"), max_length=200, blank=True,
                                help_text=_("z. B. Land Thüringen (Einer für alle)"))
    leika_key = models.CharField(_("LeiKa-Schlüssel"), max_length=14, blank=True, validators=[leika_validator])
    topic = models.CharField(_("OZG-Themenfeld"), max_length=30, choices=OzgTopic.choices, blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="ozg_services", verbose_name=_("zuständiger Fachbereich"))
    status = models.CharField(_("Status"), max_length=12, choices=ServiceStatus.choices,
                              default=ServiceStatus.PLANNED)
    go_live_date = models.DateField(_("online seit"), null=True, blank=True)
    target_date = models.DateField(_("Zieltermin"), null=True, blank=True)
    delivery_route = models.CharField(_("Übermittlungsweg"), max_length=20, choices=DeliveryRoute.choices,
                                      blank=True)
    maturity_model = models.CharField(_("Reifegradmodell"), max_length=3, default="1.1",
                                      choices=[(v, f"OZG-Reifegradmodell {v}") for v in MODELS])
    maturity = models.JSONField(_("Reifegrad je Kriterium"), default=dict, blank=True)
    maturity_level = models.PositiveSmallIntegerField(_("Reifegrad (gesamt)"), null=True, blank=True,
                                                      editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("OZG-Leistung")
        verbose_name_plural = _("OZG-Leistungen")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class OzgServiceChange(models.Model):
    service = models.ForeignKey(OzgService, on_delete=models.CASCADE, related_name="changes")
    changed_on = models.DateField(_("Datum"))
    status = models.CharField(_("Status"), max_length=12, choices=ServiceStatus.choices)
    maturity_level = models.PositiveSmallIntegerField(_("Reifegrad (gesamt)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Statusänderung")
        verbose_name_plural = _("Statusänderungen")
        ordering = ["changed_on", "id"]
        indexes = [models.Index(fields=["changed_on"], name="ozgmonitor_change_date_idx")]

    def __str__(self) -> str:
        return f"{self.changed_on} {self.status}"
