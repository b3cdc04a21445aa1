"""The Mängelmelder's reports in the back-office inbox (`portal.inbox`), registered in
`backoffice.portal_hooks`.

The rows are the report queue's own query (`selectors.queue_reports`: the user's
departments, tab, department and search rules of `/sachbearbeitung/meldungen/`), reduced
to the inbox columns; bulk actions are the work screen's services: accept
(`reporter.dispatch.report_accept`) and hand to another department
(`reporter.services.report_reroute`, with a reason).
"""
from datetime import date

from django.db import transaction
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from portal.inbox import InboxAction, InboxFilter, InboxSource, inbox_count_values, inbox_flag, inbox_values
from reporter import dispatch, services
from reporter.models import Report
from reporter.portal_hooks import maengelmelder_service
from reporter.selectors import report_get_for_staff
from reporter.services import ReportInputError
from reporter.workflow import TransitionNotAllowed
from routing_rules.access import department_ids_of

from . import selectors

__all__ = ["ReportInboxSource", "ACCEPT", "REROUTE"]

ACCEPT = InboxAction(key="annehmen", label=gettext_lazy("Annehmen"))
REROUTE = InboxAction(key="weiterleiten", label=gettext_lazy("An Fachbereich weiterleiten"),
                      needs=frozenset({"department", "reason"}))
_STATUS_LABELS = dict(Report.Status.choices)


def _flags() -> dict:
    """The columns is_open and is_new of a report."""
    return {"is_open": inbox_flag(Q(status__in=Report.OPEN_STATUSES)),
            "is_new": inbox_flag(Q(status=Report.Status.SUBMITTED))}


class ReportInboxSource(InboxSource):
    """Reports of the user's departments; reference "#<id>", title: category and address."""

    kind = "meldung"
    label = gettext_lazy("Meldung")
    label_plural = gettext_lazy("Meldungen")
    actions = (ACCEPT, REROUTE)

    def services(self) -> list[str]:
        return [maengelmelder_service().slug]

    def _reports(self, *, user, filters: InboxFilter, today: date) -> QuerySet:
        # Without a chosen department, the user's own ones: the same rows (the queue is scoped to
        # them anyway), but literal ids let PostgreSQL read one department through its index.
        department_ids = filters.department_ids or (
            () if user.is_superuser else department_ids_of(user=user))
        queue_filter = selectors.QueueFilter(department_ids=department_ids, tab=filters.tab, search=filters.search)
        return selectors.queue_reports(user=user, filters=queue_filter, today=today)

    def items(self, *, user, filters: InboxFilter, today: date) -> QuerySet:
        reports = self._reports(user=user, filters=filters, today=today)
        # The category in the active language (Category.display_name), then the address.
        category = Coalesce(NullIf("category__name_en", Value("")), "category__name") if (
            get_language() or "de").startswith("en") else F("category__name")
        title = Case(When(address="", then=Cast(category, CharField())),
                     default=Concat(category, Value(", "), "address", output_field=CharField()))
        return inbox_values(
            reports, kind=Value(self.kind), id="id", reference=Concat(Value("#"), Cast("id", CharField())),
            title=title, service=Value(self.services()[0]), status="status", department_id="department_id",
            department="department__name", created_at="created_at", due_date="due_date",
            **_flags(),
        )

    def count_items(self, *, user, filters: InboxFilter, today: date) -> QuerySet:
        return inbox_count_values(self._reports(user=user, filters=filters, today=today), id="id",
                                  due_date="due_date", **_flags())

    def status_label(self, service: str, status: str) -> str:
        return _STATUS_LABELS.get(status, status)

    def url(self, pk: int) -> str:
        return reverse("backoffice:report", args=[pk])

    def act(self, *, user, action: str, pks: list[int], department=None, reason: str = "") -> dict[int, str]:
        errors = {}
        for pk in pks:
            report = report_get_for_staff(user=user, pk=pk)
            try:
                with transaction.atomic():
                    if action == ACCEPT.key:
                        dispatch.report_accept(report=report, actor=user)
                    elif action == REROUTE.key:
                        if department.pk == report.department_id:
                            raise ReportInputError({"department": _("Die Meldung liegt bereits bei diesem "
                                                                    "Fachbereich.")})
                        services.report_reroute(report=report, department=department, reason=reason, actor=user)
            except TransitionNotAllowed as exc:
                errors[pk] = _("Nicht mehr neu (Status „%(status)s“).") % {
                    "status": _STATUS_LABELS.get(exc.current, exc.current)}
            except ReportInputError as exc:
                errors[pk] = " ".join(m for msgs in exc.errors.values() for m in msgs)
        return errors
