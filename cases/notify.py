"""Which messages a case event produces, written into the notification outbox inside the
caller's transaction (sent after commit by `notifications`).

Every email to the citizen goes through `_citizen_address`, which honours the case's
`notify_citizen` (the citizen's choice per case in the account); mails to departments do not
depend on it."""
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.models import Notification
from notifications.services import notification_queue
from portal.selectors import service_titles

from .conf import cases_setting
from .models import Case
from .selectors import case_overall_status

__all__ = ["tracking_url", "staff_url", "notify_citizen_message", "notify_citizen_status",
           "notify_department_message", "notify_department_added", "notify_cases_overdue"]


def tracking_url(case: Case) -> str:
    return cases_setting("TRACKING_URL").format(site=settings.SITE_URL, token=case.tracking_token)


def staff_url(case: Case) -> str:
    return cases_setting("STAFF_URL").format(site=settings.SITE_URL, id=case.pk)


def _named(case: Case) -> str:
    """The case's reference with its service's title in the active language (the catalogue's
    name, so that every service is named in its mails): "AN-2026-000001 (Allgemeines Anliegen …)"."""
    title = service_titles().get(case.service)
    return f"{case.reference} ({title})" if title else case.reference


def _citizen_address(case: Case) -> str:
    """Where the citizen's emails of this case go; "" when they switched them off or left no address."""
    if not case.notify_citizen:
        return ""
    if case.contact_email:
        return case.contact_email
    return getattr(case.owner, "email", "") or ""


def notify_citizen_message(case: Case) -> Notification | None:
    """Tell the citizen that the department wrote (the text itself is on the tracking page,
    not in the email: the link is the key)."""
    recipient = _citizen_address(case)
    if not recipient:
        return None
    with translation.override(case.language or settings.LANGUAGE_CODE):
        subject = _("Neue Nachricht zu Ihrem Vorgang %(ref)s") % {"ref": case.reference}
        body = _("Die Verwaltung hat Ihnen zu Ihrem Vorgang %(ref)s geschrieben. "
                 "Lesen und antworten Sie hier: %(url)s") % {"ref": _named(case), "url": tracking_url(case)}
    return notification_queue(channel=Notification.Channel.EMAIL, recipient=recipient,
                              event="case.message_to_citizen", object_id=str(case.pk), subject=subject, body=body)


def notify_citizen_status(case: Case) -> Notification | None:
    """Tell the citizen the new overall status of their case (their wording, in their language);
    details and public notes are on the tracking page."""
    recipient = _citizen_address(case)
    if not recipient:
        return None
    with translation.override(case.language or settings.LANGUAGE_CODE):
        status_label = case_overall_status(case)
        subject = _("Ihr Vorgang %(ref)s: %(status)s") % {"ref": case.reference, "status": status_label}
        body = _("Der Stand Ihres Vorgangs %(ref)s ist jetzt: %(status)s. "
                 "Einzelheiten sehen Sie hier: %(url)s") % {
            "ref": _named(case), "status": status_label, "url": tracking_url(case)}
    return notification_queue(channel=Notification.Channel.EMAIL, recipient=recipient,
                              event="case.status_to_citizen", object_id=str(case.pk), subject=subject, body=body)


def notify_department_message(case: Case) -> Notification:
    """Tell the lead department that the citizen answered."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Antwort zu Vorgang %(ref)s") % {"ref": case.reference}
        body = _("Zum Vorgang %(ref)s ist eine Nachricht eingegangen: %(url)s") % {
            "ref": _named(case), "url": staff_url(case)}
    return notification_queue(channel=Notification.Channel.EMAIL, recipient=case.department.email,
                              event="case.message_from_citizen", object_id=str(case.pk), subject=subject, body=body)


def notify_department_added(case: Case, department) -> Notification:
    """Tell a department that it was asked to take part in a case."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Beteiligung an Vorgang %(ref)s") % {"ref": case.reference}
        body = _("Ihr Fachbereich wurde am Vorgang %(ref)s beteiligt: %(url)s") % {
            "ref": _named(case), "url": staff_url(case)}
    return notification_queue(channel=Notification.Channel.EMAIL, recipient=department.email,
                              event="case.department_added", object_id=str(case.pk), subject=subject, body=body)


def notify_cases_overdue(*, recipient: str, cases: list[Case], today) -> Notification | None:
    """A department (or its lead): the cases that passed their due date in this run, in one
    email (reference, subject, due date and the link to the work screen; no citizen's data)."""
    if not cases:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        if len(cases) == 1:
            subject = _("Frist überschritten: Vorgang %(ref)s") % {"ref": cases[0].reference}
        else:
            subject = _("Frist überschritten: %(n)s Vorgänge") % {"n": len(cases)}
        lines = [ngettext("%(n)s Vorgang ist überfällig:", "%(n)s Vorgänge sind überfällig:", len(cases))
                 % {"n": len(cases)}, ""]
        for case in cases:
            lines += [
                _("Vorgang %(ref)s, fällig am %(due)s, Fachbereich %(dep)s") % {
                    "ref": _named(case), "due": case.due_date.strftime("%d.%m.%Y"), "dep": case.department.name},
                _("Bearbeiten: %s") % staff_url(case), ""]
    return notification_queue(channel=Notification.Channel.EMAIL, recipient=recipient, event="case.overdue",
                              object_id=str(cases[0].pk) if len(cases) == 1 else "", subject=subject,
                              body="\n".join(lines).strip())
