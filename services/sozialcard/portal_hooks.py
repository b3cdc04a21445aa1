"""The Sozialcard in the portal: catalogue entry, case type, the case screen's action
"Entscheiden" and the account's section.

The case type's `delivered_status`, `accepted_status` and `rejected_status` let a delivery
route to the social welfare office's specialist system (Fachverfahren) report its decision.
"""
from datetime import timedelta

from celery.schedules import crontab
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.actions import CaseAction
from cases.types import CaseType
from portal import hooks
from portal.catalogue import Service, TrustLevel
from portal.lebenslagen import ARBEIT_RUHESTAND, ENGAGEMENT_HOBBY, FAMILIE_KIND

from . import account
from .conf import SERVICE, sozialcard_setting
from .demo import sozialcard_demo_load

#: The statuses of a decided application.
CLOSED_STATUSES = frozenset({"approved", "rejected"})


@hooks.register("register_service")
def sozialcard_service():
    return Service(
        slug=SERVICE,
        title=_("Sozialcard beantragen"),
        short_description=_("Ermäßigungen in Bädern, Bibliotheken, Museen und weiteren Einrichtungen der Stadt "
                            "für Menschen mit Bürgergeld, Sozialhilfe oder Wohngeld – als Karte im Handy "
                            "oder zum Ausdrucken."),
        audience=_("Menschen mit Bürgergeld (SGB II), Sozialhilfe (SGB XII) oder Wohngeld und die Personen "
                   "ihres Haushalts ab 6 Jahren."),
        trust_level=TrustLevel(sozialcard_setting("TRUST_LEVEL")),
        fees=_("gebührenfrei"),
        processing_time=_("in der Regel innerhalb von %(days)s Arbeitstagen") % {
            "days": sozialcard_setting("SLA_DAYS")},
        url_name="sozialcard:start",
        lebenslagen=(ARBEIT_RUHESTAND, FAMILIE_KIND, ENGAGEMENT_HOBBY),
        keywords=(_("Sozialpass"), _("Ermäßigung"), _("Bürgergeld"), _("Wohngeld"), _("Familienpass")),
        order=40,
        links=((_("Wo gilt die Karte? Akzeptanzstellen und Ermäßigungen"), "sozialcard:partners"),),
    )


@hooks.register("register_case_type")
def sozialcard_case_type():
    return CaseType(
        slug=SERVICE,
        reference_prefix="SC",
        statuses=[("new", _("Eingegangen")), ("delivered", _("An das Sozialamt übermittelt")),
                  ("in_progress", _("In Bearbeitung")), ("proof_missing", _("Nachweis fehlt")),
                  ("approved", _("Bewilligt")), ("rejected", _("Abgelehnt"))],
        closed_statuses=CLOSED_STATUSES,
        transitions={"new": ("delivered", "in_progress", "proof_missing", "approved", "rejected"),
                     "delivered": ("in_progress", "proof_missing", "approved", "rejected"),
                     "in_progress": ("proof_missing", "approved", "rejected"),
                     "proof_missing": ("in_progress", "approved", "rejected")},
        initial_status="new",
        sla_days=sozialcard_setting("SLA_DAYS"),
        public_labels={"delivered": _("In Bearbeitung")},
        delivered_status="delivered",
        accepted_status="approved",
        rejected_status="rejected",
    )


@hooks.register("register_case_actions")
def sozialcard_case_actions(*, case, user):
    """"Entscheiden" → the decision page, on an application still open."""
    if case.service != SERVICE or case.status in CLOSED_STATUSES:
        return []
    return [CaseAction(label=_("Entscheiden"), url=reverse("sozialcard:decision", kwargs={"pk": case.pk}),
                       description=_("Bewilligen mit Gültigkeit je Person, Nachweis anfordern oder ablehnen"))]


hooks.register("register_account_section", account.account_section)
hooks.register("register_account_export", account.card_account_export)
hooks.register("register_account_erase", account.card_account_erase)


# The demo data of this service, loaded by `manage.py load_demo` after the city.
hooks.register("register_demo_data", sozialcard_demo_load)


@hooks.register("register_periodic_tasks")
def sozialcard_periodic_tasks() -> dict:
    """The Sozialcard's open datasets (partners, check counts), rebuilt nightly at 03:40; the
    reminders before a card ends (`renewal`), daily at 08:05 so the mails arrive in the morning;
    the used dynamic codes older than the replay lookback, deleted every five minutes (the
    till check itself no longer spends a statement on it)."""
    return {
        "sozialcard-datasets": {"task": "sozialcard.tasks.sozialcard_datasets_task",
                                "schedule": crontab(hour=3, minute=40)},
        "sozialcard-renewal-reminders": {"task": "services.sozialcard.tasks.sozialcard_renewal_reminders_task",
                                         "schedule": crontab(hour=8, minute=5)},
        "sozialcard-used-codes-prune": {"task": "services.sozialcard.tasks.used_codes_prune",
                                        "schedule": timedelta(minutes=5)},
    }
