"""The Rückkanal: which messages a report event produces, written into the notification outbox.

Called from reporter services inside their transaction; the outbox sends after commit.
Texts are rendered in the reporter's language (German by default).
"""
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from notifications.models import Notification
from notifications.services import notification_queue

from .conf import stadtmelder_setting
from .models import Report

__all__ = ["notify_report_created", "notify_status_changed", "notify_rerouted", "notify_escalated",
           "notify_escalated_digest", "notify_reopened", "notify_followers", "public_url", "FOLLOW_TOPIC",
           "notify_crew_assigned", "tracking_url"]


def tracking_url(report: Report) -> str:
    from django.conf import settings

    return stadtmelder_setting("TRACKING_URL").format(site=settings.SITE_URL, token=report.tracking_token)


def _staff_url(report: Report) -> str:
    from django.conf import settings

    return stadtmelder_setting("STAFF_URL").format(site=settings.SITE_URL, id=report.pk)


def _department_payload(report: Report, event: str) -> dict:
    """Webhook body for the department's own system (internal: includes the reporter's contact)."""
    return {
        "event": event,
        "report": {
            "id": report.pk,
            "category": report.category.slug,
            "status": report.status,
            "lon": report.location.x,
            "lat": report.location.y,
            "address": report.address,
            "location_text": report.location_text,
            "description": report.description,
            "answers": report.answers,
            "channel": report.channel,
            "department": report.department.slug,
            "routing": report.routing_explanation,
            "created_at": report.created_at.isoformat(),
            "due_date": report.due_date.isoformat() if report.due_date else None,
            "reporter": {"name": report.reporter_name, "email": report.reporter_email,
                         "phone": report.reporter_phone},
            "staff_url": _staff_url(report),
        },
    }


def _notify_department(report: Report, event: str, intro, intro_args: dict | None = None, *,
                       reason: str = "") -> None:
    """`intro` is lazy (or a gettext_noop'ed text) and is translated here, in the site language.

    `reason` (e.g. the reporter's words when reopening) goes into the email and the webhook.
    """
    department = report.department
    with translation.override("de"):
        intro = str(intro) % intro_args if intro_args else str(intro)
        subject = _("[Stadtmelder] %(intro)s: #%(id)s %(category)s") % {
            "intro": intro, "id": report.pk, "category": report.category.name}
        body = "\n".join([
            intro,
            *([_("Begründung: %s") % reason, _("Neue Frist: %s") % report.due_date.strftime("%d.%m.%Y")]
              if reason else []),
            "",
            _("Kategorie: %s") % report.category.name,
            _("Ort: %(lat).6f, %(lon).6f (WGS 84)") % {"lat": report.location.y, "lon": report.location.x},
            _("Adresse: %s") % (report.address or report.location_text or "–"),
            _("Beschreibung: %s") % (report.description or "–"),
            _("Zuständigkeit: %s") % _explain(report.routing_explanation),
            "",
            _("Bearbeiten: %s") % _staff_url(report),
        ])
    notification_queue(channel=Notification.Channel.EMAIL, recipient=department.email, event=event,
                       object_id=str(report.pk), subject=subject, body=body)
    if department.webhook_url:
        payload = _department_payload(report, event)
        if reason:
            payload["reason"] = reason
        notification_queue(channel=Notification.Channel.WEBHOOK, recipient=department.webhook_url, event=event,
                           object_id=str(report.pk), payload=payload, signing_secret=department.webhook_secret)


def _explain(explanation: dict) -> str:
    if explanation.get("reason") == "rule":
        return _("Regel „%(rule)s“ (Ebene %(layer)s, Gebiet %(area)s)") % {
            "rule": explanation.get("rule_name"), "layer": explanation.get("layer_slug"),
            "area": explanation.get("area_name")}
    if explanation.get("reason") == "staff":
        return _("von der Sachbearbeitung gewählt")
    return _("Standard-Fachbereich der Kategorie")


def notify_report_created(report: Report) -> None:
    """Department: new report (email + webhook); reporter: confirmation with the tracking link."""
    _notify_department(report, "report.created", gettext_lazy("Neue Meldung"))
    if report.reporter_email:
        with translation.override(report.language):
            subject = _("Ihre Meldung #%(id)s ist eingegangen") % {"id": report.pk}
            body = "\n".join([
                _("Vielen Dank für Ihre Meldung „%(category)s“.") % {"category": report.category.display_name},
                _("Zuständig ist: %(department)s.") % {"department": report.department.name},
                _("Unser Ziel: Bearbeitung innerhalb von %(days)s Arbeitstagen.") % {
                    "days": report.category.sla_days},
                "",
                _("Den Stand Ihrer Meldung sehen Sie hier: %(url)s") % {"url": tracking_url(report)},
            ])
        notification_queue(channel=Notification.Channel.EMAIL, recipient=report.reporter_email,
                           event="report.created.reporter", object_id=str(report.pk), subject=subject, body=body)


def notify_status_changed(report: Report, *, note_public: str) -> None:
    """Reporter and followers (supporters who left an address): a public status change or public note.
    The reporter is left out when they switched the status emails of this report off in their
    account (`Report.notify_reporter`)."""
    notify_followers(report, note_public=note_public)
    if not report.reporter_email or not report.notify_reporter:
        return
    with translation.override(report.language):
        subject = _("Ihre Meldung #%(id)s: %(status)s") % {"id": report.pk, "status": report.get_status_display()}
        lines = [_("Neuer Status Ihrer Meldung: %(status)s") % {"status": report.get_status_display()}]
        if note_public:
            lines += ["", note_public]
        lines += ["", _("Details: %(url)s") % {"url": tracking_url(report)}]
    notification_queue(channel=Notification.Channel.EMAIL, recipient=report.reporter_email,
                       event="report.status.reporter", object_id=str(report.pk), subject=subject,
                       body="\n".join(lines))


# Subscription topic of people following a report (notifications.Subscription).
FOLLOW_TOPIC = "report"


def public_url(report: Report) -> str:
    """The report's public page (never the reporter's tracking link)."""
    from django.conf import settings

    return f"{settings.SITE_URL}/meldungen/{report.pk}/"


def unsubscribe_url(token: str) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL + reverse("frontend:unsubscribe", args=[token])


def notify_followers(report: Report, *, note_public: str = "") -> int:
    """Everyone following the report: its new status and public note, each mail with the link
    that ends their subscription. Returns how many messages were queued."""
    from notifications.selectors import subscription_list

    followers = list(subscription_list(topic=FOLLOW_TOPIC, object_id=str(report.pk)))
    for follower in followers:
        with translation.override(follower.language):
            status = report.get_status_display()
            subject = _("Meldung #%(id)s: %(status)s") % {"id": report.pk, "status": status}
            lines = [_("Neuer Status der Meldung „%(category)s“, der Sie folgen: %(status)s") % {
                "category": report.category.display_name, "status": status}]
            if note_public:
                lines += ["", note_public]
            link = unsubscribe_url(follower.token)
            lines += ["", _("Details: %(url)s") % {"url": public_url(report)}, "",
                      _("Keine Nachrichten mehr zu dieser Meldung: %(url)s") % {"url": link}]
        notification_queue(channel=Notification.Channel.EMAIL, recipient=follower.email,
                           event="report.status.follower", object_id=str(report.pk), subject=subject,
                           body="\n".join(lines), payload={"unsubscribe_url": link})
    return len(followers)


def notify_rerouted(report: Report, *, previous_department: str) -> None:
    """New department: a report was handed over to it."""
    _notify_department(report, "report.rerouted", gettext_lazy("Meldung weitergeleitet von %(dep)s"),
                       {"dep": previous_department})


def notify_reopened(report: Report, *, note: str) -> None:
    """Department (email + webhook): the reporter says the defect is not fixed; their note is the reason."""
    _notify_department(report, "report.reopened", gettext_lazy("Meldung vom Meldenden wieder geöffnet"),
                       reason=note)


def notify_escalated(report: Report, *, recipient: str, overdue_working_days: int) -> None:
    """Department lead: one report is past its due date (a digest of one)."""
    notify_escalated_digest(recipient=recipient, overdue=[(report, overdue_working_days)])


# Reports listed one by one in a digest; the rest are counted and linked through the queue.
ESCALATION_DIGEST_LISTED = 100


def notify_escalated_digest(*, recipient: str, overdue: list[tuple[Report, int]]) -> None:
    """Department lead: the reports that went past their due date in this run, in one email.

    `overdue` pairs each report with its working days overdue (service level, see
    reporter.service_levels). One message per recipient and run, however many reports.
    """
    if not overdue:
        return
    from django.conf import settings

    with translation.override("de"):
        if len(overdue) == 1:
            only = overdue[0][0]
            subject = _("[Stadtmelder] Frist überschritten: #%(id)s %(category)s") % {
                "id": only.pk, "category": only.category.name}
        else:
            subject = _("[Stadtmelder] Frist überschritten: %(n)s Meldungen") % {"n": len(overdue)}
        lines = [ngettext("%(n)s Meldung ist überfällig:", "%(n)s Meldungen sind überfällig:", len(overdue))
                 % {"n": len(overdue)}, ""]
        for report, days in overdue[:ESCALATION_DIGEST_LISTED]:
            lines += [
                _("Die Meldung #%(id)s ist überfällig.") % {"id": report.pk},
                _("Kategorie: %s") % report.category.name,
                _("Fachbereich: %s") % report.department.name,
                _("Status: %s") % report.get_status_display(),
                _("Fällig am: %s") % report.due_date.strftime("%d.%m.%Y"),
                ngettext("Überfällig seit: %(n)s Arbeitstag", "Überfällig seit: %(n)s Arbeitstagen", days)
                % {"n": days},
                _("Adresse: %s") % (report.address or report.location_text or "–"),
                _("Bearbeiten: %s") % _staff_url(report),
                "",
            ]
        rest = len(overdue) - ESCALATION_DIGEST_LISTED
        if rest > 0:
            lines += [ngettext("… und %(n)s weitere Meldung.", "… und %(n)s weitere Meldungen.", rest) % {"n": rest}]
        lines += [_("Alle überfälligen Meldungen: %s") % f"{settings.SITE_URL}/sachbearbeitung/?ansicht=ueberfaellig"]
    notification_queue(channel=Notification.Channel.EMAIL, recipient=recipient, event="report.escalated",
                       object_id=str(overdue[0][0].pk) if len(overdue) == 1 else "", subject=subject,
                       body="\n".join(lines), payload={"report_ids": [r.pk for r, _days in overdue]})


def notify_crew_assigned(*, crew, reports: list[Report]) -> None:
    """Crew members with an email address: reports were assigned to their crew (one message each)."""
    recipients = sorted({m.email for m in crew.members.all() if m.email})
    if not recipients or not reports:
        return
    with translation.override("de"):
        subject = ngettext("[Stadtmelder] %(n)s neue Aufgabe für %(crew)s",
                           "[Stadtmelder] %(n)s neue Aufgaben für %(crew)s", len(reports)) % {
            "n": len(reports), "crew": crew.name}
        lines = [_("Ihrem Trupp „%(crew)s“ wurden Meldungen zugewiesen:") % {"crew": crew.name}, ""]
        lines += [f"#{r.pk} {r.category.name} – {r.address or r.location_text or '–'}" for r in reports]
    for recipient in recipients:
        notification_queue(channel=Notification.Channel.EMAIL, recipient=recipient, event="report.assigned",
                           object_id=f"crew:{crew.pk}", subject=subject,
                           body="\n".join(lines))
