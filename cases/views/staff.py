"""The clerks' case work screen: one case with its actions (status, message, note,
departments, reassign, merge, links to related cases). The list of cases is the back-office
inbox (`cases.inbox`); `/sachbearbeitung/vorgaenge/` redirects there. The answer templates of
the case's service and department fill the message or the public note: "Vorlage einfügen"
shows the form again with the text (no JavaScript needed), nothing is saved.

Every read goes through `cases.selectors` (scoped to the clerk's departments: a case of
another department answers 404); every POST calls one service and redirects (303) or shows
the page again with the error and its status code.
"""
from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backoffice.answers import answer_render_case, answer_templates_for_case
from backoffice.views.access import not_found, staff_required
from routing_rules.access import departments_of

from .. import services
from ..actions import case_actions
from ..errors import CaseError, CaseInputError, CaseNotFound
from ..inbox import CaseInboxSource
from ..models import CaseMessage
from ..selectors import (
    case_attachment_get_for_staff,
    case_get_for_staff,
    case_get_for_staff_by_reference,
    case_links_for_staff,
    case_overall_status,
    case_status_label,
    department_get,
    department_options,
)
from ..types import case_type_get
from .files import attachment_response

__all__ = ["case_list", "case_detail", "case_action", "attachment"]


def _case_not_found(request):
    return not_found(request, _("Diesen Vorgang gibt es nicht in Ihren Fachbereichen."))


# The case list's old parameters → the inbox's (bookmarks keep working).
_INBOX_TABS = {"new": "neu", "open": "offen", "overdue": "ueberfaellig", "all": "alle"}


@staff_required
@require_http_methods(["GET", "HEAD"])
def case_list(request):
    """The cases are listed in the back-office inbox (`/sachbearbeitung/`, one list for every
    service): this old address redirects there, filtered to cases, keeping its filters."""
    query = QueryDict(mutable=True)
    query["art"] = CaseInboxSource.kind
    if request.GET.get("tab") in _INBOX_TABS:
        query["ansicht"] = _INBOX_TABS[request.GET["tab"]]
    for name in ("leistung", "fachbereich", "suche"):  # the same names in both
        if request.GET.get(name):
            query[name] = request.GET[name][:200]
    return redirect(reverse("backoffice:inbox") + "?" + query.urlencode())


def _detail(request, case, *, errors=(), status=200, filled=None):
    """The work screen; `filled`: values put into the forms again (an inserted template:
    "body", "note_public", "status", "template_nachricht", "template_status")."""
    case_type = case_type_get(case.service)
    targets = [(s, case_type.status_label(s)) for s in case_type.transitions_from(case.status)] if case_type else []
    mine = {d.pk for d in departments_of(user=request.user)}
    return render(request, "cases/staff_detail.html", {
        "case": case, "status_label": case_status_label(case), "overall_status": case_overall_status(case),
        "targets": targets, "errors": list(errors), "departments": department_options(),
        "events": [(e, case_type.status_label(e.to_status) if case_type and e.to_status else e.to_status)
                   for e in case.events.all()],
        "case_messages": list(case.messages.all()),
        "participations": list(case.participations.all()),
        "my_open_parts": [p for p in case.participations.all()
                          if p.role == "participant" and p.state == "open"
                          and (request.user.is_superuser or p.department_id in mine)],
        "can_merge": bool(case_type and case_type.merged_status),
        "links": case_links_for_staff(user=request.user, case=case),
        "service_actions": case_actions(case=case, user=request.user),
        "answer_templates": list(answer_templates_for_case(case=case)),
        "filled": filled or {},
    }, status=status)


@staff_required
@require_http_methods(["GET", "HEAD"])
def case_detail(request, pk: int):
    try:
        case = case_get_for_staff(user=request.user, pk=pk)
    except CaseNotFound:
        return _case_not_found(request)
    services.case_messages_mark_read(case_id=case.pk, direction=CaseMessage.Direction.FROM_CITIZEN)
    return _detail(request, case)


def _act(request, case, action: str) -> str:
    """Run one action; returns the success message. Raises CaseError."""
    post, user = request.POST, request.user
    if action == "status":
        version = post.get("version", "")
        services.case_status_change(case=case, status=post.get("status", ""), actor=user,
                                    expected_version=int(version) if version.isdigit() else None,
                                    note_public=post.get("note_public", ""),
                                    note_internal=post.get("note_internal", ""))
        return _("Der Status wurde geändert.")
    if action == "nachricht":
        services.case_message_add(case=case, body=post.get("body", ""), direction=CaseMessage.Direction.TO_CITIZEN,
                                  author=user, attachments=request.FILES.getlist("attachments"))
        return _("Die Nachricht wurde gesendet.")
    if action == "notiz":
        services.case_note_add(case=case, note=post.get("note", ""), actor=user)
        return _("Die Notiz wurde gespeichert.")
    if action == "beteiligen":
        services.case_department_add(case=case, department=department_get(slug=post.get("department", "")),
                                     actor=user, note=post.get("note", ""))
        return _("Der Fachbereich wurde beteiligt und benachrichtigt.")
    if action == "erledigt":
        department = department_get(slug=post.get("department", ""))
        if not (user.is_superuser or departments_of(user=user).filter(pk=department.pk).exists()):
            raise CaseInputError(_("Bitte wählen Sie einen Ihrer Fachbereiche."), field="department")
        services.case_department_done(case=case, department=department, actor=user, note=post.get("note", ""))
        return _("Der Teil Ihres Fachbereichs ist erledigt.")
    if action == "weiterleiten":
        services.case_reassign(case=case, department=department_get(slug=post.get("department", "")),
                               reason=post.get("reason", ""), actor=user)
        return _("Der Vorgang wurde weitergeleitet.")
    if action == "zusammenfuehren":
        try:
            original = case_get_for_staff_by_reference(user=user, reference=post.get("original", ""))
        except CaseNotFound as exc:
            raise CaseInputError(_("Einen Vorgang mit dieser Nummer gibt es nicht in Ihren Fachbereichen."),
                                 field="original") from exc
        services.case_merge_into(case=case, original=original, actor=user, note_public=post.get("note_public", ""))
        return _("Der Vorgang wurde als Dublette abgeschlossen.")
    if action == "verknuepfen":
        services.case_link_add(case=case, other=_other_case(user, post.get("other", "")), actor=user)
        return _("Die Vorgänge wurden verknüpft.")
    if action == "verknuepfung-loesen":
        services.case_link_remove(case=case, other=_other_case(user, post.get("other", "")), actor=user)
        return _("Die Verknüpfung wurde gelöst.")
    raise CaseNotFound()


def _other_case(user, reference: str):
    """A case of the clerk's departments by reference, for linking (400 otherwise)."""
    try:
        return case_get_for_staff_by_reference(user=user, reference=reference)
    except CaseNotFound as exc:
        raise CaseInputError(_("Einen Vorgang mit dieser Nummer gibt es nicht in Ihren Fachbereichen."),
                             field="other") from exc


# Where an inserted template goes: the message text or the public note of a status change.
_TEMPLATE_TARGETS = {"nachricht": ("body", "id_template_message"), "status": ("note_public", "id_template_status")}


def _template_insert(request, case, action: str):
    """"Vorlage einfügen": the work screen again with the template's text in the form (200),
    or the error summary (400) without a template of this case's service and department."""
    target, anchor = _TEMPLATE_TARGETS[action]
    pk = request.POST.get("template", "")
    template = answer_templates_for_case(case=case).filter(pk=int(pk)).first() if pk.isdigit() else None
    if template is None:
        return _detail(request, case, errors=[(anchor, _("Bitte eine Vorlage auswählen."))], status=400)
    filled = {target: answer_render_case(body=template.body, case=case), f"template_{action}": template.pk}
    if action == "status" and template.status:
        filled["status"] = template.status
    return _detail(request, case, filled=filled)


_ANCHORS = {"status": "id_status", "body": "id_body", "attachments": "id_attachments", "note": "id_note",
            "reason": "id_reason", "original": "id_original", "other": "id_other"}
# The department select of each form (the field name is the same in three forms).
_DEPARTMENT_ANCHORS = {"beteiligen": "id_department_add", "weiterleiten": "id_department_lead"}


@staff_required
@require_POST
def case_action(request, pk: int, action: str):
    try:
        case = case_get_for_staff(user=request.user, pk=pk)
    except CaseNotFound:
        return _case_not_found(request)
    if "apply_template" in request.POST and action in _TEMPLATE_TARGETS:
        return _template_insert(request, case, action)
    try:
        message = _act(request, case, action)
    except CaseNotFound:
        return _case_not_found(request)
    except CaseError as exc:
        case = case_get_for_staff(user=request.user, pk=pk)
        if exc.field == "department":
            anchor = _DEPARTMENT_ANCHORS.get(action, "main")
        else:
            anchor = _ANCHORS.get(exc.field, "main")
        return _detail(request, case, errors=[(anchor, exc.message)],
                       status=exc.status_code)
    messages.success(request, message)
    try:
        case_get_for_staff(user=request.user, pk=pk)
    except CaseNotFound:  # handed to a department the clerk is not in
        response = redirect(reverse("cases:staff-list"))
    else:
        response = redirect(reverse("cases:staff-detail", args=[pk]))
    response.status_code = 303
    return response


@staff_required
@require_http_methods(["GET", "HEAD"])
def attachment(request, pk: int):
    try:
        return attachment_response(case_attachment_get_for_staff(user=request.user, pk=pk))
    except CaseNotFound:
        return _case_not_found(request)
