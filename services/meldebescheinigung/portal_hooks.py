"""The registration certificate in the portal: catalogue entry and case type.

The case type's `delivered_status`, `accepted_status` and `rejected_status` tell a delivery
route (FIT-Connect) which statuses the specialist system's answers map to: handed over →
"delivered", accepted (the certificate comes with it) → "issued", rejected → "rejected".
"""
from django.utils.translation import gettext_lazy as _

from cases.types import CaseType
from portal import hooks
from portal.catalogue import Service, TrustLevel
from portal.lebenslagen import BAUEN_WOHNEN, EIN_AUSWANDERUNG

from .conf import SERVICE, meldebescheinigung_setting
from .demo import meldebescheinigung_demo_load


def _euro(cents: int) -> str:
    return f"{cents / 100:.2f}".replace(".", ",")


@hooks.register("register_service")
def meldebescheinigung_service():
    simple, extended = meldebescheinigung_setting("FEE_SIMPLE_CENTS"), meldebescheinigung_setting("FEE_EXTENDED_CENTS")
    return Service(
        slug=SERVICE,
        title=_("Meldebescheinigung beantragen"),
        short_description=_("Eine einfache oder erweiterte Bescheinigung über Ihre Anmeldung im Melderegister, "
                            "für sich oder Personen Ihres Haushalts – als PDF in Ihrem Konto oder per Post."),
        audience=_("Alle, die in der Stadt gemeldet sind (Anmeldung mit Online-Ausweis oder ELSTER-Zertifikat)."),
        trust_level=TrustLevel(meldebescheinigung_setting("TRUST_LEVEL")),
        fees=_("%(simple)s € je einfacher, %(extended)s € je erweiterter Bescheinigung; online zu bezahlen.")
        % {"simple": _euro(simple), "extended": _euro(extended)},
        processing_time=_("in der Regel innerhalb von %(days)s Arbeitstagen") % {
            "days": meldebescheinigung_setting("SLA_DAYS")},
        url_name="meldebescheinigung:new",
        lebenslagen=(EIN_AUSWANDERUNG, BAUEN_WOHNEN),
        leika_key=meldebescheinigung_setting("LEIKA_KEY"),
        keywords=(_("Aufenthaltsbescheinigung"), _("Wohnsitzbescheinigung"), _("Melderegister"), "BMG"),
        order=30,
    )


@hooks.register("register_case_type")
def meldebescheinigung_case_type():
    return CaseType(
        slug=SERVICE,
        reference_prefix="MB",
        statuses=[("new", _("Eingegangen")), ("delivered", _("An die Meldebehörde übermittelt")),
                  ("in_progress", _("In Bearbeitung")), ("issued", _("Ausgestellt")), ("rejected", _("Abgelehnt"))],
        closed_statuses={"issued", "rejected"},
        transitions={"new": ("delivered", "in_progress", "issued", "rejected"),
                     "delivered": ("in_progress", "issued", "rejected"),
                     "in_progress": ("issued", "rejected")},
        initial_status="new",
        sla_days=meldebescheinigung_setting("SLA_DAYS"),
        public_labels={"delivered": _("In Bearbeitung")},
        delivered_status="delivered",
        accepted_status="issued",
        rejected_status="rejected",
    )


# The demo data of this service, loaded by `manage.py load_demo` after the city.
hooks.register("register_demo_data", meldebescheinigung_demo_load)
