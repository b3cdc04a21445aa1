"""The citizen account's part of the Mängelmelder: "Meine Meldungen" on `/konto/`.

A report joins an account through a `ReportOwnership`: filed while logged in as a citizen
(`services.report_create(owner=…)`), or claimed by opening its tracking link while logged in
(`report_claim`). The account shows only what the tracking link shows (number, category,
public status, date) and the reporter's email switch (`Report.notify_reporter`). Export
(DSGVO Art. 15) and erasure (Art. 17) of a citizen's reports are here too; `portal_hooks`
registers them. Reports themselves stay anonymous to the public and the open data.

Performance: nothing here runs on the public list or the report API's hot paths; filing
adds one INSERT only for a logged-in citizen, a claim is one INSERT … ON CONFLICT DO NOTHING.
"""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.sections import AccountSection

from .history import history_entry, history_record_many, reports_update
from .models import Report, ReportOwnership
from .notify import tracking_url

__all__ = [
    "ReportNotOwned", "account_section", "report_account_erase", "report_account_export", "report_claim",
    "report_list_for_account", "report_notify_set",
]


class ReportNotOwned(Exception):
    """The report is not in this account (or does not exist): 404 without saying which."""


def _is_citizen(user) -> bool:
    return user is not None and user.is_authenticated and not (user.is_staff or user.is_superuser)


def report_claim(*, report_id: int, user) -> None:
    """Record the report in the citizen's account after they opened its tracking link.
    Idempotent (one INSERT … ON CONFLICT DO NOTHING: a report filed or claimed before keeps
    its row); staff and anonymous visitors claim nothing (no query at all)."""
    if not _is_citizen(user):
        return
    ReportOwnership.objects.bulk_create(
        [ReportOwnership(report_id=report_id, user=user, how=ReportOwnership.How.CLAIMED)], ignore_conflicts=True)


def report_list_for_account(*, user) -> list[ReportOwnership]:
    """The reports of a citizen account, newest link first, each ownership with its report's
    public columns (number, category, status, dates), tracking token and email switch (and
    the reporter's email, only to tell whether the switch applies): one query."""
    if not _is_citizen(user):
        return []
    return list(
        ReportOwnership.objects.filter(user=user)
        .select_related("report__category")
        .only("pk", "how", "created_at", "report__id", "report__tracking_token", "report__notify_reporter",
              "report__reporter_email", "report__status", "report__created_at", "report__category__name",
              "report__category__name_en")
        .order_by("-created_at", "-pk")
    )


@transaction.atomic
def report_notify_set(*, user, report_id: int, notify: bool) -> Report:
    """The owner switches the status emails of one report on or off; ReportNotOwned otherwise.
    A preference, not a change of the report: no version, no history entry (nothing a crew or
    a sync client needs to know)."""
    ownership = (ReportOwnership.objects.filter(user=user, report_id=report_id).select_related("report")
                 .first() if _is_citizen(user) else None)
    if ownership is None:
        raise ReportNotOwned
    Report.objects.filter(pk=report_id).update(notify_reporter=notify)
    ownership.report.notify_reporter = notify
    return ownership.report


def account_section(request) -> AccountSection:
    """The section "Meine Meldungen": the reports of the account with their tracking links."""
    return AccountSection(title=gettext_lazy("Meine Meldungen"), template_name="reporter/account_section.html",
                          context={"ownerships": report_list_for_account(user=request.user)}, order=20)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def report_account_export(user) -> tuple[str, list]:
    """("meldungen", […]): the reports of the account. What the tracking link shows for each;
    for the reports filed from the account also what the citizen entered (description,
    answers, contact data). No internal notes, no staff names (DSGVO Art. 15)."""
    ownerships = ReportOwnership.objects.filter(user=user).select_related("report__category").order_by("created_at")
    data = []
    for ownership in ownerships:
        report = ownership.report
        entry = {
            "number": report.pk, "category": report.category.display_name, "status": report.get_status_display(),
            "created_at": _iso(report.created_at), "closed_at": _iso(report.closed_at), "address": report.address,
            "tracking_url": tracking_url(report), "in_account": ownership.get_how_display(),
            "in_account_since": _iso(ownership.created_at), "status_emails": report.notify_reporter,
        }
        if ownership.how == ReportOwnership.How.FILED:
            entry.update(description=report.description, location_text=report.location_text, answers=report.answers,
                         contact={"name": report.reporter_name, "email": report.reporter_email,
                                  "phone": report.reporter_phone})
        data.append(entry)
    return "meldungen", data


def report_account_erase(user) -> int:
    """Before the account is deleted (DSGVO Art. 17, inside the deletion's transaction): the
    account's report links go, and the reporter's contact data (name, email, phone) is
    cleared on the reports filed from the account and on claimed ones that carry the
    account's own email address (a claimed report may hold someone else's address: that
    one stays). The reports stay for the department and the public. Returns how many
    reports lost their contact data."""
    mine = Q(how=ReportOwnership.How.FILED)
    if user.email:
        mine |= Q(report__reporter_email__iexact=user.email)
    ids = list(ReportOwnership.objects.filter(user=user).filter(mine).values_list("report_id", flat=True))
    ReportOwnership.objects.filter(user=user).delete()
    reports = list(Report.objects.select_for_update().filter(pk__in=ids).exclude(
        reporter_name="", reporter_email="", reporter_phone="").only("pk", "status"))
    if not reports:
        return 0
    reports_update([r.pk for r in reports], reporter_name="", reporter_email="", reporter_phone="")
    with translation.override(settings.LANGUAGE_CODE):  # internal notes are in the site language
        note = _("Das Bürgerkonto wurde gelöscht; die Kontaktdaten der Meldenden wurden entfernt (DSGVO Art. 17).")
    history_record_many([history_entry(r, kind="anonymised", note_internal=note) for r in reports])
    return len(reports)
