"""The general request in the portal: catalogue entry, header navigation and case type.

Adding "services.anliegen" to INSTALLED_APPS is all it takes: the portal discovers these
hooks (`portal.hooks`) and never imports this app.
"""
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from cases.types import CaseType
from portal import hooks
from portal.catalogue import NavigationItem, Service, TrustLevel
from portal.lebenslagen import RECHT_ORDNUNG, UMWELT

from .conf import SERVICE, anliegen_setting
from .demo import anliegen_demo_load


@hooks.register("register_service")
def anliegen_service():
    return Service(
        slug=SERVICE,
        title=_("Allgemeines Anliegen an die Stadtverwaltung"),
        short_description=_("Eine Frage, eine Beschwerde oder ein Hinweis, der in kein anderes Formular passt: "
                            "Beschreiben Sie Ihr Anliegen, wir leiten es an die zuständige Stelle weiter."),
        audience=_("Alle Bürgerinnen und Bürger – ohne Konto; mit Konto werden Ihre Angaben vorausgefüllt "
                   "und Sie finden das Anliegen in Ihrem Konto."),
        trust_level=TrustLevel.NONE,
        fees=_("kostenlos"),
        processing_time=_("Eingangsbestätigung sofort; Antwort in der Regel innerhalb von %(days)s Arbeitstagen.")
        % {"days": anliegen_setting("SLA_DAYS")},
        url_name="anliegen:new",
        lebenslagen=(RECHT_ORDNUNG, UMWELT),
        keywords=(_("Beschwerde"), _("Frage"), _("Hinweis"), _("Anregung"), _("Bürgerservice"), "115"),
        order=20,
    )


@hooks.register("register_navigation_item")
def anliegen_navigation_item():
    return NavigationItem(label=_("Anliegen"), url_name="anliegen:new", order=35, section=("anliegen",))


@hooks.register("register_case_type")
def anliegen_case_type():
    return CaseType(
        slug=SERVICE,
        reference_prefix="AN",
        statuses=[("new", _("Eingegangen")), ("in_progress", _("In Bearbeitung")), ("waiting", _("Rückfrage")),
                  ("done", _("Erledigt")), ("merged", _("Dublette"))],
        closed_statuses={"done", "merged"},
        transitions={"new": ("in_progress", "done"), "in_progress": ("waiting", "done"),
                     "waiting": ("in_progress", "done"), "done": ("in_progress",)},
        initial_status="new",
        sla_days=anliegen_setting("SLA_DAYS"),
        merged_status="merged",
        public_labels={"waiting": _("In Bearbeitung")},
        escalation_departments=(anliegen_setting("TRIAGE_DEPARTMENT"),),
    )


@hooks.register("register_periodic_tasks")
def anliegen_periodic_tasks() -> dict:
    """The mail intake's IMAP mailbox, fetched every minute (nothing to do while it is not configured)."""
    return {"anliegen-mail-fetch": {"task": "services.anliegen.tasks.anliegen_mail_fetch_task",
                                    "schedule": timedelta(minutes=1)}}


# The demo data of this service, loaded by `manage.py load_demo` after the city.
hooks.register("register_demo_data", anliegen_demo_load)
