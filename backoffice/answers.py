"""Answer templates filled in for one report or case, the templates offered for it, those a
user may edit, and the services and statuses a template may name.

Placeholders are written in braces. Reports: {nummer}, {kategorie}, {adresse}, {datum} (the
day the report was filed), {fachbereich}, {frist} (the due date), {heute}. Cases (every
service but the Mängelmelder): {nummer} (the reference number), {betreff}, {fachbereich},
{frist}, {datum}, {heute}. Dates are German (dd.mm.yyyy) in the site's time zone. Unknown
placeholders and other braces stay as they are, so a typo in a template shows up in the text
instead of failing.
"""
import re
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.types import case_type_get, case_type_list
from reporter.models import Report

from .models import REPORTS_SERVICE, AnswerTemplate

__all__ = ["PLACEHOLDERS", "CASE_PLACEHOLDERS", "answer_render", "answer_render_case", "answer_templates_for",
           "answer_templates_for_case", "answer_templates_editable", "answer_templates_shared", "answer_services",
           "service_statuses"]

PLACEHOLDERS = ("nummer", "kategorie", "adresse", "datum", "fachbereich", "frist", "heute")
CASE_PLACEHOLDERS = ("nummer", "betreff", "fachbereich", "frist", "datum", "heute")


def _fill(body: str, values: dict[str, str]) -> str:
    """`body` with `{name}` replaced for every name of `values`; other braces unchanged."""
    pattern = re.compile(r"\{(" + "|".join(map(re.escape, values)) + r")\}")
    return pattern.sub(lambda m: values[m.group(1)], body)


def _german(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "–"


def _fallback_address() -> str:
    # Answer templates are written in the site language, so what fills them in is too.
    with translation.override(settings.LANGUAGE_CODE):
        return _("der angegebenen Stelle")


def answer_render(*, body: str, report: Report, today: date | None = None) -> str:
    """`body` with the report's values in place of the placeholders."""
    return _fill(body, {
        "nummer": str(report.pk),
        "kategorie": report.category.name,
        "adresse": report.address or report.location_text or _fallback_address(),
        "datum": _german(timezone.localdate(report.created_at)),
        "fachbereich": report.department.name,
        "frist": _german(report.due_date),
        "heute": _german(today or timezone.localdate()),
    })


def answer_render_case(*, body: str, case, today: date | None = None) -> str:
    """`body` with the case's values in place of the placeholders (`CASE_PLACEHOLDERS`)."""
    return _fill(body, {
        "nummer": case.reference,
        "betreff": case.title or "–",
        "fachbereich": case.department.name,
        "frist": _german(case.due_date),
        "datum": _german(timezone.localdate(case.created_at)),
        "heute": _german(today or timezone.localdate()),
    })


def answer_templates_for(*, report: Report):
    """Active report templates for the report's category (or every category) and its
    department (or every department), in display order."""
    return (AnswerTemplate.objects.filter(is_active=True, service=REPORTS_SERVICE)
            .filter(Q(category__isnull=True) | Q(category_id=report.category_id))
            .filter(Q(department__isnull=True) | Q(department_id=report.department_id))
            .order_by("order", "title"))


def answer_templates_for_case(*, case):
    """Active templates of the case's service for its lead department (or every department)."""
    return (AnswerTemplate.objects.filter(is_active=True, service=case.service)
            .filter(Q(department__isnull=True) | Q(department_id=case.department_id))
            .order_by("order", "title"))


def answer_templates_editable(*, user):
    """The templates the user may change: their departments' (all for superusers)."""
    qs = AnswerTemplate.objects.select_related("department", "category").order_by("department__name", "order",
                                                                                   "title")
    return qs if user.is_superuser else qs.filter(department__members=user)


def answer_templates_shared():
    """Templates for every department (read-only for clerks), in display order."""
    return AnswerTemplate.objects.filter(department__isnull=True).select_related("category").order_by(
        "order", "title")


def answer_services() -> list[tuple[str, str]]:
    """(slug, label) of the services a template may serve: the Mängelmelder and every case type
    (labelled with its catalogue title where it has one)."""
    from portal.selectors import service_list

    titles = {service.slug: service.title for service in service_list()}
    return [(REPORTS_SERVICE, gettext_lazy("Mängelmelder"))] + [
        (ct.slug, titles.get(ct.slug, ct.slug)) for ct in case_type_list()]


def service_statuses(service: str) -> list[tuple[str, str]] | None:
    """The (value, label) statuses of a service; None for an unknown service."""
    if service == REPORTS_SERVICE:
        return list(Report.Status.choices)
    case_type = case_type_get(service)
    return list(case_type.statuses) if case_type else None
