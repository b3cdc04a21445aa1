"""The Mängelmelder in the portal: its catalogue entry, its header navigation items and its
part of the citizen account ("Meine Meldungen", export and erasure: `reporter.account`).

Only the portal's registry and descriptions are imported (`portal.hooks`, `portal.catalogue`,
`portal.lebenslagen`) besides the reporter's own account module; the portal never imports the
reporter. The URL names are those of the
citizen pages in `frontend`.
"""
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from portal import hooks
from portal.catalogue import NavigationItem, Service, TrustLevel
from portal.lebenslagen import MOBILITAET_REISEN, UMWELT

from . import account


@hooks.register("register_service")
def maengelmelder_service():
    return Service(
        slug="maengelmelder",
        title=_("Mängelmelder: Schaden oder Gefahr im öffentlichen Raum melden"),
        short_description=_("Schlaglöcher, defekte Straßenlaternen, wilden Müll, beschädigte Spielgeräte oder "
                            "umgestürzte Bäume mit Ort und Foto melden. Die Meldung geht direkt an die "
                            "zuständige Stelle, und Sie können verfolgen, was daraus wird."),
        audience=_("Alle, die einen Mangel im öffentlichen Raum bemerken – ohne Konto, auf Wunsch anonym."),
        trust_level=TrustLevel.NONE,
        fees=_("kostenlos"),
        processing_time=_("Eingangsbestätigung sofort; die Frist für die Bearbeitung hängt von der Kategorie "
                          "ab und wird in Arbeitstagen gezählt."),
        url_name="frontend:report-new",
        lebenslagen=(UMWELT, MOBILITAET_REISEN),
        keywords=(_("Schlagloch"), _("Straßenlaterne"), _("Müll"), _("Spielplatz"), _("Baum"), _("Straßenschaden"),
                  _("Meldung"), "Stadtmelder"),
        is_spatial=True,
        order=10,
    )


@hooks.register("register_navigation_item")
def map_navigation_item():
    return NavigationItem(label=_("Karte"), url_name="frontend:home", order=20)


@hooks.register("register_navigation_item")
def report_navigation_item():
    return NavigationItem(label=_("Melden"), url_name="frontend:report-new", order=30, primary=True)


@hooks.register("register_navigation_item")
def my_reports_navigation_item():
    return NavigationItem(label=_("Meine Meldungen"), url_name="frontend:my-reports", order=40)


@hooks.register("register_navigation_item")
def statistics_navigation_item():
    return NavigationItem(label=_("Statistik"), url_name="frontend:stats", order=50)


hooks.register("register_account_section", account.account_section)
hooks.register("register_account_export", account.report_account_export)
hooks.register("register_account_erase", account.report_account_erase)


@hooks.register("register_filings_sql")
def report_filings_sql() -> str:
    """Every report that is not hidden by moderation (as on every public page): filed online
    through the web or the app; duplicates do not count."""
    slug = maengelmelder_service().slug
    return (f"SELECT '{slug}'::text, r.created_at, r.closed_at, r.channel IN ('web', 'app'), "
            "r.status <> 'duplicate' FROM reporter_report r WHERE r.moderation <> 'hidden'")


@hooks.register("register_periodic_tasks")
def reporter_periodic_tasks() -> dict:
    """Photos whose task was lost (broker down, worker killed), found within 1–3 minutes;
    overdue reports escalated hourly."""
    return {
        "photos-process-pending": {"task": "reporter.tasks.photos_process_pending", "schedule": timedelta(minutes=1)},
        "reports-escalate-overdue": {"task": "reporter.tasks.reports_escalate_overdue_task",
                                     "schedule": timedelta(hours=1)},
    }
