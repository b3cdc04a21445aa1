"""Writes of the back office itself: answer templates (report writes are in `reporter`).

Clerks create and change the templates of their own departments; templates for every
department (no department) are the administrators'. The permission is checked here, so no
view can forget it.
"""
from django.core.exceptions import PermissionDenied
from django.db import transaction

from .models import AnswerTemplate

__all__ = ["answer_template_save"]

FIELDS = ("title", "body", "service", "department", "category", "status", "order", "is_active")


def answer_template_save(*, user, values: dict, template: AnswerTemplate | None = None) -> AnswerTemplate:
    """Create (`template` None) or change a template with `values` (keys of FIELDS).

    Raises PermissionDenied if the user may not edit the template as it is or as it would
    be (another department's, or one for every department unless a superuser).
    """
    def may_edit(department) -> bool:
        if user.is_superuser:
            return True
        return department is not None and department.members.filter(pk=user.pk).exists()

    with transaction.atomic():
        if template is not None:
            template = AnswerTemplate.objects.select_for_update(of=("self",)).select_related("department").get(
                pk=template.pk)
            if not may_edit(template.department):
                raise PermissionDenied
        else:
            template = AnswerTemplate()
        if not may_edit(values.get("department")):
            raise PermissionDenied
        for name in FIELDS:
            if name in values:
                setattr(template, name, values[name])
        template.full_clean()
        template.save()
    return template
