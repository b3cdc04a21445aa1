"""Answer templates: German texts with placeholders for the public note of a status change or
a message, for the reports of the Mängelmelder and the cases of every other service."""
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["REPORTS_SERVICE", "AnswerTemplate"]

#: The service slug of the defect reports (`reporter`); every other slug is a case service.
REPORTS_SERVICE = "maengelmelder"


class AnswerTemplate(models.Model):
    """A reusable answer to the citizen; `backoffice.answers.answer_render` (reports) and
    `answer_render_case` (cases) fill the placeholders.

    `service` is the service whose reports or cases it is offered on ("maengelmelder": the
    defect reports; else a case type's slug); `status` one of that service's statuses.

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
                    "{fachbereich}, {frist} (fällig am), {heute}; bei Vorgängen: {nummer} (Vorgangsnummer), "
                    "{betreff}, {fachbereich}, {frist}, {datum}, {heute}."),
    )
    service = models.SlugField(_("Leistung"), max_length=60, default=REPORTS_SERVICE)
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
    # A status of the service (checked in `clean` against the service's workflow).
    status = models.CharField(_("für Status"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Antwortvorlage")
        verbose_name_plural = _("Antwortvorlagen")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        from .answers import service_statuses

        statuses = service_statuses(self.service)
        if statuses is None:
            raise ValidationError({"service": _("Diese Leistung gibt es nicht.")})
        if self.status and self.status not in dict(statuses):
            raise ValidationError({"status": _("Diesen Status gibt es bei dieser Leistung nicht.")})
        if self.category_id and self.service != REPORTS_SERVICE:
            raise ValidationError({"category": _("Kategorien gibt es nur beim Mängelmelder.")})

    @property
    def status_label(self) -> str:
        """The label of `status` in its service ("" without a status)."""
        from .answers import service_statuses

        return str(dict(service_statuses(self.service) or ()).get(self.status, self.status)) if self.status else ""
