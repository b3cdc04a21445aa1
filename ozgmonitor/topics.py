"""The 14 OZG topics (Themenfelder) of the OZG implementation catalogue, under which the
575 OZG services were grouped (OZG-Umsetzungskatalog). Keys are stable (CSV import, dataset,
`portal.catalogue.Service.ozg_topic`); titles are lazy translations."""
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["OzgTopic"]


class OzgTopic(models.TextChoices):
    ARBEIT_RUHESTAND = "arbeit-ruhestand", _("Arbeit & Ruhestand")
    BAUEN_WOHNEN = "bauen-wohnen", _("Bauen & Wohnen")
    BILDUNG = "bildung", _("Bildung")
    EIN_AUSWANDERUNG = "ein-auswanderung", _("Ein- & Auswanderung")
    ENGAGEMENT_HOBBY = "engagement-hobby", _("Engagement & Hobby")
    FAMILIE_KIND = "familie-kind", _("Familie & Kind")
    FORSCHUNG_FOERDERUNG = "forschung-foerderung", _("Forschung & Förderung")
    GESUNDHEIT = "gesundheit", _("Gesundheit")
    MOBILITAET_REISEN = "mobilitaet-reisen", _("Mobilität & Reisen")
    QUERSCHNITT = "querschnittsleistungen", _("Querschnittsleistungen")
    RECHT_ORDNUNG = "recht-ordnung", _("Recht & Ordnung")
    STEUERN_ZOLL = "steuern-zoll", _("Steuern & Zoll")
    UMWELT = "umwelt", _("Umwelt")
    UNTERNEHMEN = "unternehmensfuehrung", _("Unternehmensführung & -entwicklung")
