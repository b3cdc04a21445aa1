"""Answer templates filled in for one report, the templates offered for it, and those a user may edit.

Placeholders are written in braces: {nummer}, {kategorie}, {adresse}, {datum} (the day the
report was filed), {fachbereich}, {frist} (the due date), {heute}. Dates are German
(dd.mm.yyyy) in the site's time zone. Unknown placeholders and other braces stay as they
are, so a typo in a template shows up in the text instead of failing.
"""
import re
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reporter.models import Report

from .models import AnswerTemplate

__all__ = ["PLACEHOLDERS", "answer_render", "answer_templates_for", "answer_templates_editable",
           "answer_templates_shared"]

PLACEHOLDERS = ("nummer", "kategorie", "adresse", "datum", "fachbereich", "frist", "heute")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


def _german(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "–"


def _fallback_address() -> str:
    # Answer templates are written in the site language, so what fills them in is too.
    with translation.override(settings.LANGUAGE_CODE):
        return _("der angegebenen Stelle")


def answer_render(*, body: str, report: Report, today: date | None = None) -> str:
    """`body` with the report's values in place of the placeholders."""
    values = {
        "nummer": str(report.pk),
        "kategorie": report.category.name,
        "adresse": report.address or report.location_text or _fallback_address(),
        "datum": _german(timezone.localdate(report.created_at)),
        "fachbereich": report.department.name,
        "frist": _german(report.due_date),
        "heute": _german(today or timezone.localdate()),
    }
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], body)


def answer_templates_for(*, report: Report):
    """Active templates for the report's category (or every category) and its department (or
    every department), in display order."""
    return (AnswerTemplate.objects.filter(is_active=True)
            .filter(Q(category__isnull=True) | Q(category_id=report.category_id))
            .filter(Q(department__isnull=True) | Q(department_id=report.department_id))
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
