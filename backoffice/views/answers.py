"""Answer templates in the back office `/sachbearbeitung/vorlagen/`: clerks list, create and edit
their own departments' templates (plain forms, no JavaScript needed).

Another department's template answers 404 (like its reports); a template for every department
is shown read-only to clerks and answers 403 on edit (administrators change it).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..answers import CASE_PLACEHOLDERS, PLACEHOLDERS, answer_templates_editable, answer_templates_shared
from ..forms import AnswerTemplateForm
from ..models import AnswerTemplate
from ..services import answer_template_save
from .access import not_found, staff_required


def _errors_of(form) -> list[tuple[str, str]]:
    return [(form[name].auto_id if name in form.fields else "template-form",
             f"{form.fields[name].label}: {m}" if name in form.fields else m)
            for name, msgs in form.errors.items() for m in msgs]


def _form_page(request, *, form, template=None, status=200):
    return render(request, "backoffice/answer_form.html", {
        "form": form, "template": template, "errors": _errors_of(form) if form.is_bound else [],
        "placeholders": ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
        "case_placeholders": ", ".join(f"{{{p}}}" for p in CASE_PLACEHOLDERS)}, status=status)


@staff_required
def answer_list(request):
    editable = list(answer_templates_editable(user=request.user))
    shared = [] if request.user.is_superuser else list(answer_templates_shared())
    return render(request, "backoffice/answers.html", {"editable": editable, "shared": shared})


def _save(request, *, template=None):
    form = AnswerTemplateForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form=form, template=template, status=400)
    data = form.cleaned_data
    values = {**data, "status": data["status"] or "", "order": data["order"]}
    try:
        saved = answer_template_save(user=request.user, values=values, template=template)
    except PermissionDenied:
        return render(request, "backoffice/forbidden.html", status=403)
    messages.success(request, _("Die Vorlage „%(title)s“ wurde gespeichert.") % {"title": saved.title})
    return redirect("backoffice:answers")


@staff_required
def answer_new(request):
    if request.method == "POST":
        return _save(request)
    return _form_page(request, form=AnswerTemplateForm(user=request.user))


@staff_required
def answer_edit(request, pk: int):
    template = AnswerTemplate.objects.select_related("department", "category").filter(pk=pk).first()
    missing = _("Diese Vorlage gibt es nicht in Ihren Fachbereichen.")
    if template is None:
        return not_found(request, missing)
    if template.department_id is None and not request.user.is_superuser:
        return render(request, "backoffice/forbidden.html", status=403)
    if not answer_templates_editable(user=request.user).filter(pk=pk).exists():
        return not_found(request, missing)  # another department's: not disclosed, like its reports
    if request.method == "POST":
        return _save(request, template=template)
    form = AnswerTemplateForm(user=request.user, initial=AnswerTemplateForm.initial_from(template))
    return _form_page(request, form=form, template=template)
