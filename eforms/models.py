"""The versioned form definition: a new version is a new row, never an edit of a used one."""
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["FormDefinition"]


class FormDefinition(models.Model):
    """One version of a form (`definition`: the JSON format of `eforms`, schema-valid).

    Submissions store `{"form": slug, "version": version}`; rows are therefore never changed
    after creation except for `is_active` (whether new submissions may use this version).
    """

    slug = models.SlugField(_("Kennung"), max_length=80)
    version = models.PositiveIntegerField(_("Version"))
    title = models.CharField(_("Titel"), max_length=200)
    definition = models.JSONField(_("Definition"))
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Formulardefinition")
        verbose_name_plural = _("Formulardefinitionen")
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="eforms_definition_slug_version_unique"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="eforms_definition_version_positive"),
        ]

    def __str__(self):
        return f"{self.slug} v{self.version}"
