"""Topic rules (Themenregeln): which department gets a general request.

A rule names a topic of the form (a value of the field "topic" of the eforms definition),
keywords, or both, and the department; the first active rule in `order` that matches wins
(`services.anliegen.routing`). No rule matching: the triage department of the settings.

`InboundMail` remembers each mail taken in (by its key), so that a mail delivered twice files
one request or one message.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from routing_rules.models import Department

__all__ = ["InboundMail", "TopicRule"]


class TopicRule(models.Model):
    """One topic rule. `topic` empty: any topic; `keywords` empty: any text; with both, both
    must match. Keywords are separated by commas or lines and matched case-insensitively as
    parts of words in the concern's text ("Sperrmüll" also matches "Sperrmüllhaufen")."""

    name = models.CharField(_("Bezeichnung"), max_length=200)
    topic = models.CharField(_("Thema"), max_length=60, blank=True, help_text=_("leer = jedes Thema"))
    keywords = models.TextField(_("Stichwörter"), blank=True,
                                help_text=_("durch Komma oder Zeilen getrennt; leer = jeder Text"))
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="topic_rules",
                                   verbose_name=_("Fachbereich"))
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)
    is_active = models.BooleanField(_("aktiv"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Themenregel")
        verbose_name_plural = _("Themenregeln")
        ordering = ["order", "pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(topic="", keywords=""),
                                              name="anliegen_rule_topic_or_keywords",
                                              violation_error_message=_(
                                                  "Bitte geben Sie ein Thema oder Stichwörter an."))]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_terms(self) -> list[str]:
        """The keywords as written, stripped, without empty ones."""
        parts = self.keywords.replace("\n", ",").split(",")
        return [p.strip() for p in parts if p.strip()]

    @property
    def keyword_list(self) -> list[str]:
        """The keywords in lower case, for matching."""
        return [k.lower() for k in self.keyword_terms]


class InboundMail(models.Model):
    """A mail taken in: its key (a hash of its Message-ID), what it became and the case.

    No personal data (no address, subject or text: those are in the case only), so the row
    may outlive an erased account; the case link is nulled if the case is deleted."""

    class Outcome(models.TextChoices):
        CASE = "case", _("neuer Vorgang")
        MESSAGE = "message", _("Nachricht zu einem Vorgang")

    key = models.CharField(max_length=100, unique=True)
    outcome = models.CharField(_("Ergebnis"), max_length=10, choices=Outcome.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("eingegangene E-Mail")
        verbose_name_plural = _("eingegangene E-Mails")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.key[:17]}… → {self.outcome}"
