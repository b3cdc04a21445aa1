"""The deregistration abroad in the portal: catalogue entry and case type.

Delivery routes (FIT-Connect) map the specialist system's answers with the case type's
`delivered_status` ("delivered"), `accepted_status` ("confirmed": the Abmeldebestätigung comes
with it) and `rejected_status` ("rejected").
"""
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from cases.types import CaseType
from portal import hooks
from portal.catalogue import Service, TrustLevel
from portal.lebenslagen import EIN_AUSWANDERUNG

from .conf import SERVICE, abmeldung_setting
from .demo import abmeldung_demo_load


@hooks.register("register_service")
def abmeldung_service():
    return Service(
        slug=SERVICE,
        title=_("Abmeldung ins Ausland"),
        short_description=_("Sie ziehen ins Ausland und geben Ihre Wohnung in Deutschland auf: Melden Sie sich "
                            "(und Ihre mitziehende Familie) online ab, frühestens eine Woche vor und spätestens "
                            "zwei Wochen nach dem Auszug."),
        audience=_("Alle, die ihre einzige Wohnung in Deutschland aufgeben (Anmeldung mit dem Online-Ausweis)."),
        trust_level=TrustLevel(abmeldung_setting("TRUST_LEVEL")),
        fees=_("kostenlos"),
        processing_time=_("Abmeldebestätigung in der Regel innerhalb von %(days)s Arbeitstagen") % {
            "days": abmeldung_setting("SLA_DAYS")},
        url_name="abmeldung:new",
        lebenslagen=(EIN_AUSWANDERUNG,),
        leika_key=abmeldung_setting("LEIKA_KEY"),
        keywords=(_("Auswandern"), _("Wegzug"), _("Umzug ins Ausland"), _("Abmeldebestätigung"), "BMG"),
        order=31,
    )


@hooks.register("register_case_type")
def abmeldung_case_type():
    return CaseType(
        slug=SERVICE,
        reference_prefix="AB",
        statuses=[("new", _("Eingegangen")), ("delivered", _("An die Meldebehörde übermittelt")),
                  ("in_progress", _("In Bearbeitung")), ("confirmed", _("Abmeldung bestätigt")),
                  ("rejected", _("Abgelehnt"))],
        closed_statuses={"confirmed", "rejected"},
        transitions={"new": ("delivered", "in_progress", "confirmed", "rejected"),
                     "delivered": ("in_progress", "confirmed", "rejected"),
                     "in_progress": ("confirmed", "rejected")},
        initial_status="new",
        sla_days=abmeldung_setting("SLA_DAYS"),
        public_labels={"delivered": _("In Bearbeitung")},
        delivered_status="delivered",
        accepted_status="confirmed",
        rejected_status="rejected",
    )


@hooks.register("register_periodic_tasks")
def abmeldung_periodic_tasks() -> dict:
    """Form contents and documents of completed deregistrations abroad, deleted after the retention
    period (`retention`), nightly at 02:40."""
    return {"abmeldung-retention": {"task": "services.abmeldung.tasks.abmeldung_retention_task",
                                    "schedule": crontab(hour=2, minute=40)}}


# The demo data of this service, loaded by `manage.py load_demo` after the city.
hooks.register("register_demo_data", abmeldung_demo_load)
