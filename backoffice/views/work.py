"""The report work screen `/sachbearbeitung/meldungen/<id>/` and its actions (form POSTs).

Each action validates its form, calls one service of `reporter.services` / `reporter.dispatch`
and redirects back with a message (POST/redirect/GET). Invalid input re-renders the screen
with an error summary (400); a status change the workflow does not allow answers 409 and
lists the statuses that are possible. Photos (the private original too) are served to staff
by `photo`, never from a public URL.
"""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from config.private_files import private_file_response
from reporter import dispatch, services
from reporter.models import Report
from reporter.services import ReportInputError
from reporter.workflow import TransitionNotAllowed, transitions_allowed

from .. import selectors
from ..answers import PLACEHOLDERS, answer_render, answer_templates_for
from ..forms import (
    AcceptForm,
    AssignForm,
    BlurForm,
    DuplicateForm,
    ModerationForm,
    ReferForm,
    RerouteForm,
    StatusForm,
)
from .access import not_found, staff_required

STATUS_LABELS = dict(Report.Status.choices)
KIND_LABELS = {
    "created": _lazy("Eingang"), "status": _lazy("Status/Notiz"), "reroute": _lazy("Weiterleitung"),
    "moderation": _lazy("Moderation"), "assignment": _lazy("Zuweisung"),
    "unassignment": _lazy("Zuweisung aufgehoben"), "merge": _lazy("Dublette zusammengeführt"),
    "escalation": _lazy("Eskalation an die Leitung"), "reopen": _lazy("Vom Meldenden wieder geöffnet"),
}
DETAIL_LABELS = {
    "department": _lazy("Fachbereich"), "duplicate_of": _lazy("Dublette von Meldung"),
    "authority": _lazy("Abgegeben an"), "supporters_added": _lazy("übernommene Unterstützungen"),
    "moderation": _lazy("Veröffentlichung"), "public_description": _lazy("Öffentlicher Text (vorher → nachher)"),
    "description_original": _lazy("Originaltext (intern)"), "photos": _lazy("Fotos"),
    "blurred": _lazy("Verpixelt"), "crew_name": _lazy("Trupp"), "previous_crew": _lazy("vorheriger Trupp (Nr.)"),
    "duplicate": _lazy("Dublette"), "recipient": _lazy("Empfänger"), "due_date": _lazy("fällig am"),
    "from": _lazy("vorher"), "to": _lazy("nachher"), "reason": _lazy("Begründung"),
}
HIDDEN_DETAILS = {"crew"}


def _detail_value(value) -> str:
    if isinstance(value, list) and len(value) == 2:
        return f"{value[0] or '–'} → {value[1] or '–'}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return "–" if value in (None, "") else str(value)


def _history_rows(history):
    """History entries with German labels for their kind and details (staff only: internal data)."""
    rows = []
    for h in history:
        details = [(DETAIL_LABELS.get(k, k), _detail_value(v)) for k, v in (h.details or {}).items()
                   if k not in HIDDEN_DETAILS and not (k == "reason" and v == h.note_internal)]
        rows.append({"entry": h, "kind": KIND_LABELS.get(h.kind, h.kind), "details": details,
                     "status_changed": h.from_status != h.to_status,
                     "from_label": STATUS_LABELS.get(h.from_status, ""),
                     "to_label": STATUS_LABELS.get(h.to_status, "")})
    return rows


def _forms(report, user, templates):
    """Unbound forms of every action, with their prefixes (so field ids are unique on the page)."""
    photos = list(report.photos.all())
    return {
        "accept": AcceptForm(prefix="accept", templates=templates),
        "status": StatusForm(prefix="status", templates=templates, initial={"status": _next_status(report)}),
        "reroute": RerouteForm(prefix="reroute", initial={"category": report.category.slug}),
        "duplicate": DuplicateForm(prefix="duplicate", user=user),
        "refer": ReferForm(prefix="refer"),
        "assign": AssignForm(prefix="assign", report=report, user=user),
        "moderation": ModerationForm(prefix="moderation", photos=photos, initial={
            "moderation": Report.Moderation.APPROVED if report.moderation == Report.Moderation.PENDING
            else report.moderation,
            "public_description": report.public_description or report.description}),
        "blur": {p.pk: BlurForm(prefix=f"blur-{p.pk}") for p in photos},
    }


def _next_status(report) -> str:
    allowed = transitions_allowed(report.status)
    for candidate in (Report.Status.IN_PROGRESS, Report.Status.OPEN, Report.Status.RESOLVED):
        if candidate in allowed:
            return candidate
    return report.status


def _errors_of(form) -> list[tuple[str, str]]:
    """(anchor id, message) pairs for the error summary."""
    errors = []
    for name, msgs in form.errors.items():
        anchor = form[name].auto_id if name in form.fields else f"{form.prefix}-form"
        errors += [(anchor, m if name == "__all__" or name not in form.fields else f"{form[name].label}: {m}")
                   for m in msgs]
    return errors


def _render(request, report, *, bound=None, errors=(), status=200):
    templates_qs = answer_templates_for(report=report)
    templates = list(templates_qs)
    forms = _forms(report, request.user, templates_qs)
    if bound is not None:
        key, form = bound
        if key.startswith("blur-"):
            forms["blur"][int(key[5:])] = form
        else:
            forms[key] = form
    today = timezone.localdate()
    allowed = transitions_allowed(report.status)
    template_data = {str(t.pk): {"text": answer_render(body=t.body, report=report, today=today),
                                 "status": t.status} for t in templates}
    photos = list(report.photos.all())
    history = _history_rows(report.history.all())
    district = None
    if report.district_id:
        district = selectors.district_list().filter(pk=report.district_id).first()
    return render(request, "backoffice/report.html", {
        "report": report,
        "forms": forms,
        "blur_forms": [(p, forms["blur"][p.pk]) for p in photos],
        "photos": photos,
        "history": history,
        "district": district,
        "allowed_statuses": [(s, STATUS_LABELS[s]) for s in allowed],
        "current_status_label": STATUS_LABELS[report.status],
        "templates_json": template_data,
        "placeholders": ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
        "errors": list(errors),
        "today": today,
    }, status=status)


def _report_or_404(request, pk):
    return selectors.report_for_work(user=request.user, pk=pk)


@staff_required
def report_detail(request, pk: int):
    report = _report_or_404(request, pk)
    if report is None:
        return not_found(request)
    return _render(request, report)


def _transition_message(exc: TransitionNotAllowed) -> str:
    allowed = ", ".join(f"„{STATUS_LABELS.get(s, s)}“" for s in exc.allowed) or _("keiner")
    return _("Der Statuswechsel von „%(current)s“ nach „%(requested)s“ ist nicht erlaubt. Möglich: %(allowed)s.") % {
        "current": STATUS_LABELS.get(exc.current, exc.current),
        "requested": STATUS_LABELS.get(exc.requested, exc.requested), "allowed": allowed}


def _perform(request, report, key, form, action, success, *, after=None):
    """Validate `form`, run `action(form)` and redirect, or re-render with errors (400/409).

    `after` (optional) returns the response after success instead of the work screen.
    """
    if not form.is_valid():
        return _render(request, report, bound=(key, form), errors=_errors_of(form), status=400)
    try:
        action(form)
    except TransitionNotAllowed as exc:
        return _render(request, report, bound=(key, form), errors=[(f"{key}-form", _transition_message(exc))],
                       status=409)
    except ReportInputError as exc:
        for field, msgs in exc.errors.items():
            for message in msgs:
                form.add_error(field if field in form.fields else None, message)
        return _render(request, report, bound=(key, form), errors=_errors_of(form), status=400)
    if after is not None:
        return after()
    messages.success(request, success)
    return redirect("backoffice:report", pk=report.pk)


def _with_report(handler):
    @require_POST
    @staff_required
    def view(request, pk: int, **kwargs):
        report = _report_or_404(request, pk)
        if report is None:
            return not_found(request)
        return handler(request, report, **kwargs)

    view.__name__ = handler.__name__
    view.__doc__ = handler.__doc__
    return view


@_with_report
def report_accept(request, report):
    """Accept a new report (submitted → open)."""
    form = AcceptForm(request.POST, prefix="accept", templates=answer_templates_for(report=report))
    return _perform(request, report, "accept", form, lambda f: dispatch.report_accept(
        report=report, actor=request.user, note_public=f.cleaned_data["note_public"],
        note_internal=f.cleaned_data["note_internal"]), _("Die Meldung wurde angenommen."))


@_with_report
def report_status(request, report):
    """Change the status with public/internal note; "Vorlage einfügen" fills the note without saving."""
    templates = answer_templates_for(report=report)
    form = StatusForm(request.POST, prefix="status", templates=templates)
    if "apply_template" in request.POST:
        if form.is_valid() and form.cleaned_data["template"] is not None:
            template = form.cleaned_data["template"]
            data = request.POST.copy()
            data["status-note_public"] = answer_render(body=template.body, report=report)
            if template.status and template.status in transitions_allowed(report.status):
                data["status-status"] = template.status
            form = StatusForm(data, prefix="status", templates=templates)
            form.is_valid()
            return _render(request, report, bound=("status", form))
        form.is_valid()
        form.add_error("template", _("Bitte eine Vorlage auswählen."))
        return _render(request, report, bound=("status", form), errors=_errors_of(form), status=400)

    def action(f):
        services.report_status_change(report=report, to_status=f.cleaned_data["status"],
                                      note_public=f.cleaned_data["note_public"],
                                      note_internal=f.cleaned_data["note_internal"], actor=request.user)

    return _perform(request, report, "status", form, action, _("Der Status wurde geändert."))


@_with_report
def report_reroute(request, report):
    """Re-route: another category, place and/or department, with a reason.

    Without a chosen department the routing rules decide. If the report then belongs to a
    department the clerk does not work for, the answer is the queue with a message, not a 404.
    """
    form = RerouteForm(request.POST, prefix="reroute")
    done = {}

    def action(f):
        done["report"] = services.report_reroute(
            report=report, category=f.cleaned_data["category"], point=f.point(), reason=f.cleaned_data["reason"],
            department=f.cleaned_data["department"], actor=request.user)

    def after():
        department = done["report"].department
        if selectors.report_visible_to(user=request.user, pk=report.pk):
            messages.success(request, _("Die Meldung wurde an „%(department)s“ weitergeleitet.") % {
                "department": department.name})
            return redirect("backoffice:report", pk=report.pk)
        # Handed to a department the clerk does not work for: the work screen would be a 404.
        messages.success(request, _("Die Meldung #%(id)s wurde an „%(department)s“ weitergeleitet und liegt nicht "
                                    "mehr in Ihren Fachbereichen.") % {"id": report.pk, "department": department.name})
        return redirect("backoffice:queue")

    return _perform(request, report, "reroute", form, action, "", after=after)


@_with_report
def report_duplicate(request, report):
    """Close as a duplicate of another report; supporters move to the original."""
    form = DuplicateForm(request.POST, prefix="duplicate", user=request.user)
    return _perform(request, report, "duplicate", form, lambda f: dispatch.report_mark_duplicate(
        report=report, original=f.cleaned_data["original"], actor=request.user,
        note_public=f.cleaned_data["note_public"]), _("Die Meldung wurde als Dublette geschlossen."))


@_with_report
def report_refer(request, report):
    """Hand over to another authority; the reporter is told which."""
    form = ReferForm(request.POST, prefix="refer")
    return _perform(request, report, "refer", form, lambda f: dispatch.report_refer(
        report=report, authority=f.cleaned_data["authority"], note=f.cleaned_data["note"], actor=request.user),
        _("Die Meldung wurde abgegeben."))


@_with_report
def report_assign(request, report):
    """Assign to a crew of the report's department."""
    form = AssignForm(request.POST, prefix="assign", report=report, user=request.user)
    return _perform(request, report, "assign", form, lambda f: dispatch.report_assign(
        reports=[report], crew=f.cleaned_data["crew"], actor=request.user), _("Die Meldung wurde zugewiesen."))


@_with_report
def report_unassign(request, report):
    """Take the report away from its crew."""
    try:
        dispatch.report_unassign(report=report, actor=request.user)
    except ReportInputError as exc:
        return _render(request, report, errors=[("assign-form", m) for msgs in exc.errors.values() for m in msgs],
                       status=400)
    messages.success(request, _("Die Zuweisung wurde aufgehoben."))
    return redirect("backoffice:report", pk=report.pk)


@_with_report
def report_moderate(request, report):
    """Publish/hide, edit the public text, approve or reject photos."""
    form = ModerationForm(request.POST, prefix="moderation", photos=list(report.photos.all()))
    return _perform(request, report, "moderation", form, lambda f: services.report_moderate(
        report=report, moderation=f.cleaned_data["moderation"], public_description=f.cleaned_data["public_description"],
        photo_decisions=f.photo_decisions(), actor=request.user), _("Die Moderation wurde gespeichert."))


@_with_report
def report_photo_blur(request, report, photo_pk: int):
    """Blur an area (or all) of a photo's public image; the original stays untouched."""
    if not any(p.pk == photo_pk for p in report.photos.all()):
        return not_found(request)
    form = BlurForm(request.POST, prefix=f"blur-{photo_pk}")
    return _perform(request, report, f"blur-{photo_pk}", form, lambda f: services.report_moderate(
        report=report, photo_blurs={photo_pk: f.box()}, actor=request.user),
        _("Das Foto wurde verpixelt. Das Original bleibt unverändert und nur intern sichtbar."))


PHOTO_VARIANTS = {"original": "original", "bild": "image", "vorschau": "thumbnail"}


@staff_required
def photo(request, pk: int, variant: str):
    """A photo of a report the user works on: the private original or a public derivative."""
    field = PHOTO_VARIANTS.get(variant)
    found = selectors.report_photo_for_staff(user=request.user, pk=pk)
    if field is None or found is None:
        return not_found(request)
    file = getattr(found, field)
    content_type = found.content_type if field == "original" else "image/jpeg"
    return private_file_response(file, content_type=content_type,
                                 filename=f"original-{found.pk}" if field == "original" else "")

