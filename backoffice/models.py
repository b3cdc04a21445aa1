"""Answer templates: German texts with placeholders for the public note of a status change."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from reporter.models import Report

__all__ = ["AnswerTemplate"]


class AnswerTemplate(models.Model):
    """A reusable answer to the reporter; `backoffice.answers.answer_render` fills the placeholders.

    With a department it is offered on that department's reports only and its staff edit it
    in the back office (`/sachbearbeitung/vorlagen/`); without one it serves every department
    and only administrators change it. With a category it is offered for that category's
    reports only; with a status it is meant for a change to that status (the work screen
    preselects it).
    """

    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(
        _("Text"),
        help_text=_("Platzhalter: {nummer}, {kategorie}, {adresse}, {datum} (Eingang der Meldung), "
                    "{fachbereich}, {frist} (fällig am), {heute}."),
    )
    # The department that owns the template: its staff edit it and see it on its reports.
    # Empty: a template for every department, edited by administrators only.
    department = models.ForeignKey(
        "routing_rules.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="answer_templates",
        verbose_name=_("Fachbereich"), help_text=_("leer = für alle Fachbereiche (nur Administration)"),
    )
    category = models.ForeignKey(
        "routing_rules.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="answer_templates",
        verbose_name=_("Kategorie"), help_text=_("leer = für alle Kategorien"),
    )
    status = models.CharField(_("für Status"), max_length=20, choices=Report.Status.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Antwortvorlage")
        verbose_name_plural = _("Antwortvorlagen")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title
