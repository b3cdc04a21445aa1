"""Life situations (Lebenslagen) that several services share, so that they group together.

Named after the subject areas (Themenfelder) of the OZG implementation catalogue, which
German portals use to group their services; a service may define its own `Lebenslage`
when none of these fits.
"""
from django.utils.translation import gettext_lazy as _

from .catalogue import Lebenslage

__all__ = [
    "ARBEIT_RUHESTAND", "BAUEN_WOHNEN", "EIN_AUSWANDERUNG", "ENGAGEMENT_HOBBY", "FAMILIE_KIND",
    "GESUNDHEIT", "MOBILITAET_REISEN", "RECHT_ORDNUNG", "UMWELT",
]

FAMILIE_KIND = Lebenslage("familie-kind", _("Familie und Kind"), order=10)
BAUEN_WOHNEN = Lebenslage("bauen-wohnen", _("Bauen und Wohnen"), order=20)
EIN_AUSWANDERUNG = Lebenslage("ein-auswanderung", _("Umzug, Ein- und Auswanderung"), order=30)
MOBILITAET_REISEN = Lebenslage("mobilitaet-reisen", _("Mobilität und Reisen"), order=40)
UMWELT = Lebenslage("umwelt", _("Umwelt und öffentlicher Raum"), order=50)
ARBEIT_RUHESTAND = Lebenslage("arbeit-ruhestand", _("Arbeit, Soziales und Ruhestand"), order=60)
GESUNDHEIT = Lebenslage("gesundheit", _("Gesundheit"), order=70)
ENGAGEMENT_HOBBY = Lebenslage("engagement-hobby", _("Engagement, Freizeit und Kultur"), order=80)
RECHT_ORDNUNG = Lebenslage("recht-ordnung", _("Recht und Ordnung"), order=90)
