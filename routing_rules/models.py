"""Departments, report categories and the ordered routing rules between them.

`routing_rules` depends on `geodata` only; it never imports `reporter`.
"""
from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

__all__ = ["Department", "Category", "RoutingRule"]


class Department(models.Model):
    """A Fachbereich that receives reports."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("Kontakt-E-Mail"))
    lead_email = models.EmailField(_("E-Mail der Leitung"), blank=True)
    webhook_url = models.URLField(_("Webhook-URL"), blank=True)
    # HMAC-SHA256 key for the webhook signature; never shown in any API.
    webhook_secret = models.CharField(_("Webhook-Schlüssel"), max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="departments", verbose_name=_("Mitarbeitende")
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Fachbereich")
        verbose_name_plural = _("Fachbereiche")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """What a citizen reports (pothole, street light out, …)."""

    class QuestionType(models.TextChoices):
        TEXT = "text", _("Text")
        INTEGER = "integer", _("Ganzzahl")
        BOOLEAN = "boolean", _("Ja/Nein")
        CHOICE = "choice", _("Auswahl")

    slug = models.SlugField(unique=True)
    name = models.CharField(_("Name (deutsch)"), max_length=200)
    name_en = models.CharField(_("Name (englisch)"), max_length=200, blank=True)
    group = models.SlugField(_("Gruppe"), help_text=_("z. B. strasse, gruen, sauberkeit"))
    icon = models.CharField(_("Symbol"), max_length=50, default="marker")
    default_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="default_categories", verbose_name=_("Standard-Fachbereich")
    )
    sla_days = models.PositiveSmallIntegerField(_("Zielzeit (Arbeitstage)"), default=10)
    # [{"key": "size", "label": "Größe", "label_en": "Size", "type": "choice",
    #   "choices": ["klein", "groß"], "required": true}, …]
    questions = models.JSONField(_("Zusatzfragen"), default=list, blank=True)
    photo_required = models.BooleanField(_("Foto erforderlich"), default=False)
    duplicate_radius_m = models.PositiveIntegerField(_("Dublettenradius (m)"), default=50)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)
    is_active = models.BooleanField(_("aktiv"), default=True)
    # Every save; Open311 discovery's `changeset` is the newest one. QuerySet.update() does
    # not touch it: pass updated_at=timezone.now() there.
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language (German is the default)."""
        if (get_language() or "de").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def clean(self):
        from .questions import questions_validate_definition

        questions_validate_definition(self.questions)


class RoutingRule(models.Model):
    """(category or category group, layer, optional attribute condition) → department.

    Rules are tried by ascending `priority`, then ascending id; the first whose layer has a
    polygon covering the point (and whose `condition` is contained in that polygon's
    attributes) wins.
    """

    name = models.CharField(_("Bezeichnung"), max_length=200)
    priority = models.IntegerField(_("Priorität"), default=100, help_text=_("kleiner = zuerst"))
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="routing_rules",
        verbose_name=_("Kategorie"),
    )
    category_group = models.SlugField(_("Kategoriegruppe"), blank=True)
    layer = models.ForeignKey(
        "geodata.JurisdictionLayer", on_delete=models.CASCADE, related_name="routing_rules",
        verbose_name=_("Ebene"),
    )
    # Attribute condition, matched with jsonb containment: {"section": "Nord"}.
    condition = models.JSONField(_("Attributbedingung"), default=dict, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("Fachbereich")
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Zuständigkeitsregel")
        verbose_name_plural = _("Zuständigkeitsregeln")
        ordering = ["priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(category__isnull=False) & ~models.Q(category_group="")),
                name="routing_rule_category_xor_group",
                violation_error_message=_("Entweder Kategorie oder Kategoriegruppe angeben, nicht beides."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.priority}: {self.name}"

    def clean(self):
        if not isinstance(self.condition, dict) or any(
            not isinstance(v, (str, int, float, bool)) for v in self.condition.values()
        ):
            raise ValidationError({"condition": _("Bedingung muss ein Objekt aus einfachen Werten sein.")})
