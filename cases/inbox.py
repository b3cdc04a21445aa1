"""Cases of every service in the back-office inbox (`portal.inbox`), registered in
`cases.portal_hooks`.

The rows are `selectors.case_list_for_staff` (lead or participating departments, tabs,
search by reference, name, email and text), reduced to the inbox columns; it covers every
declared case type (`cases.types.case_type_list`), so a service that declares one is in
the inbox and its service filter without further code. Bulk actions are the work screen's
services: accept (the initial status to the first open status its type allows,
`services.case_status_change`) and hand to another department (`services.case_reassign`).
"""
from datetime import date

from django.db import transaction
from django.db.models import Count, QuerySet, Value
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.inbox import InboxAction, InboxFilter, InboxSource, inbox_count_values, inbox_flag, inbox_values

from . import services
from .errors import CaseError, CaseInputError
from .models import CaseMessage
from .selectors import case_get_for_staff, case_list_for_staff, closed_filter, new_filter
from .types import case_type_get, case_type_list

__all__ = ["CaseInboxSource", "ACCEPT", "REASSIGN", "case_accept_status"]

ACCEPT = InboxAction(key="annehmen", label=gettext_lazy("Annehmen"))
REASSIGN = InboxAction(key="weiterleiten", label=gettext_lazy("An Fachbereich weiterleiten"),
                       needs=frozenset({"department", "reason"}))


def _flags() -> dict:
    """The columns is_open and is_new of a case."""
    return {"is_open": inbox_flag(closed_filter(), negate=True), "is_new": inbox_flag(new_filter())}


# The inbox's tabs (German, as in the URL) → the tabs of case_list_for_staff.
_TABS = {"neu": "new", "offen": "open", "ueberfaellig": "overdue", "alle": "all"}


def case_accept_status(service: str, status: str) -> str | None:
    """The status "accept" moves a case to: from its type's initial status, the first status
    its workflow allows that is not closed; None if the case is not new."""
    case_type = case_type_get(service)
    if case_type is None or status != case_type.initial_status:
        return None
    return next((s for s in case_type.transitions_from(status) if not case_type.is_closed(s)), None)


class CaseInboxSource(InboxSource):
    """Cases of the user's departments (lead or participating), every case type."""

    kind = "vorgang"
    label = gettext_lazy("Vorgang")
    label_plural = gettext_lazy("Vorgänge")
    actions = (ACCEPT, REASSIGN)

    def services(self) -> list[str]:
        return [case_type.slug for case_type in case_type_list()]

    def _cases(self, *, user, filters: InboxFilter, today: date, every_row: bool = False) -> QuerySet:
        cases = case_list_for_staff(user=user, tab=_TABS.get(filters.tab, "open"), q=filters.search, today=today,
                                    service=filters.service if filters.service in self.services() else "",
                                    literal_ids=True, every_row=every_row)
        if filters.department_ids:
            cases = cases.filter(department_id__in=filters.department_ids)
        return cases

    def items(self, *, user, filters: InboxFilter, today: date) -> QuerySet:
        return inbox_values(
            self._cases(user=user, filters=filters, today=today), kind=Value(self.kind), id="id",
            reference="reference", title="title", service="service", status="status", department_id="department_id",
            department="department__name", created_at="created_at", due_date="due_date", **_flags(),
        )

    def count_items(self, *, user, filters: InboxFilter, today: date) -> QuerySet:
        return inbox_count_values(self._cases(user=user, filters=filters, today=today, every_row=True), id="id",
                                  due_date="due_date", **_flags())

    def status_label(self, service: str, status: str) -> str:
        case_type = case_type_get(service)
        return case_type.status_label(status) if case_type else status

    def url(self, pk: int) -> str:
        return reverse("cases:staff-detail", args=[pk])

    def badges(self, pks: list[int]) -> dict[int, list[str]]:
        unread = (CaseMessage.objects.filter(case_id__in=pks, direction=CaseMessage.Direction.FROM_CITIZEN,
                                             read_at__isnull=True)
                  .order_by().values("case_id").annotate(n=Count("pk")).values_list("case_id", "n"))
        return {case_id: [ngettext("%(n)s neue Nachricht", "%(n)s neue Nachrichten", n) % {"n": n}]
                for case_id, n in unread}

    def act(self, *, user, action: str, pks: list[int], department=None, reason: str = "") -> dict[int, str]:
        errors = {}
        for pk in pks:
            try:
                with transaction.atomic():
                    case = case_get_for_staff(user=user, pk=pk)
                    if action == ACCEPT.key:
                        target = case_accept_status(case.service, case.status)
                        if target is None:
                            raise CaseInputError(_("Nicht mehr neu (Status „%(status)s“).") % {
                                "status": self.status_label(case.service, case.status)})
                        services.case_status_change(case=case, status=target, actor=user)
                    elif action == REASSIGN.key:
                        services.case_reassign(case=case, department=department, reason=reason, actor=user)
            except CaseError as exc:
                errors[pk] = exc.message
        return errors
