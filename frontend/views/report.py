"""The report flow `/melden/` and its confirmation page.

Without JavaScript the flow is a plain HTML form in two steps on the same page:
1. what and where (category; a place name resolved through the gazetteer — ambiguous names
   show the candidates to choose from —, or lon/lat; the place is checked to be in the city),
2. nearby open reports of the same category ("support instead"), the category's questions,
   photos, description, optional email, and the final send.
Photos come in step 2 so that no round trip can lose them. Invalid input re-renders the
page with an error summary and HTTP 400 (413/415 for photos), and nothing is stored.
With JavaScript (static/frontend/js/report.js) both steps are one page that sends the
report through the JSON API, or keeps it in the browser while offline.
"""
from django.db import transaction
from django.forms import RadioSelect
from django.forms.boundfield import BoundField
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.trust import citizen_user
from reporter import selectors, services
from reporter.photos import PhotoError
from reporter.throttling import ReportCreateThrottle
from routing_rules.selectors import category_list

from ..forms import (
    PHOTO_LABEL_OPTIONAL,
    PHOTO_LABEL_REQUIRED,
    ReportDetailsForm,
    ReportLocationForm,
    question_fields,
    submission_key_new,
)

STEP_LOCATION, STEP_SEND = "ort", "senden"


def report_new(request):
    """GET: the empty form (prefilled from ?kategorie=&lon=&lat=). POST: one step of the flow."""
    if request.method != "POST":
        initial = {"category": request.GET.get("kategorie") or request.GET.get("category"),
                   "lon": request.GET.get("lon"), "lat": request.GET.get("lat")}
        location = ReportLocationForm(initial={k: v for k, v in initial.items() if v})
        return _render(request, step=STEP_LOCATION, location=location)
    location = ReportLocationForm(request.POST)
    if request.POST.get("action") == "edit":  # back from step 2 to change what and where
        initial = request.POST.dict()
        if initial.get("address"):  # the point came from the place search: search again, not these numbers
            for name in ("lon", "lat", "address"):
                initial.pop(name, None)
        return _render(request, step=STEP_LOCATION, location=ReportLocationForm(initial=initial))
    if not location.is_valid():
        return _render(request, step=STEP_LOCATION, location=location, status=400)
    if location.candidates:
        return _render(request, step=STEP_LOCATION, location=location)
    category = location.cleaned_data["category"]
    if request.POST.get("step") != STEP_SEND:
        details = ReportDetailsForm(category=category, initial={"submission_key": submission_key_new()})
        return _render(request, step=STEP_SEND, location=location, details=details)
    details = ReportDetailsForm(request.POST, request.FILES, category=category)
    if not details.is_valid():
        return _render(request, step=STEP_SEND, location=location, details=details, status=400)
    throttle = ReportCreateThrottle()
    if not throttle.allow_request(request, None):
        minutes = max(1, round((throttle.wait() or 60) / 60))
        details.add_error(None, _("Zu viele Meldungen von diesem Anschluss. Bitte versuchen Sie es in "
                                  "%(minutes)s Minuten erneut.") % {"minutes": minutes})
        return _render(request, step=STEP_SEND, location=location, details=details, status=429)
    data, more = location.cleaned_data, details.cleaned_data
    try:
        report = services.report_create(
            category=category, point=location.point, address=data.get("address", ""),
            location_text=data.get("location_text", ""), description=more.get("description", ""),
            answers=more.get("answers"), photos=more.get("photos", []), reporter_email=more.get("email", ""),
            language=(translation.get_language() or "de")[:2], submission_key=more.get("submission_key") or None,
            owner=citizen_user(request),
        )
    except PhotoError as exc:
        details.add_error("photos", exc.message)
        return _refused(request, location=location, details=details, status=exc.status)
    except services.ReportInputError as exc:
        for key, messages in exc.errors.items():
            details.add_error("photos" if key == "photos" else None, messages)
        return _refused(request, location=location, details=details, status=400)
    return redirect("frontend:report-done", token=report.tracking_token)


def report_done(request, token: str):
    """The confirmation: tracking link, responsible department, target time, what happens next."""
    report = selectors.report_get_by_token(token=token)
    if report is None:
        raise Http404
    tracking_url = request.build_absolute_uri(reverse("frontend:report-track", args=[token]))
    return render(request, "frontend/report_done.html", {"report": report, "token": token,
                                                         "tracking_url": tracking_url})


def _refused(request, *, location, details, status):
    """The service refused the report: show why, and make sure nothing of this request is kept."""
    response = _render(request, step=STEP_SEND, location=location, details=details, status=status)
    transaction.set_rollback(True)  # after rendering: the page itself still reads from the database
    return response


def _render(request, *, step, location, details=None, status=200):
    """The report page; `step` is "ort" (what and where) or "senden" (details and send)."""
    categories = list(category_list())
    category = location.cleaned_data.get("category") if location.is_bound and location.is_valid() else None
    nearby = []
    if step == STEP_SEND:
        nearby = list(selectors.report_nearby(point=location.point, category=category, limit=5))
    elif details is None:
        details = ReportDetailsForm(initial={"submission_key": submission_key_new()})
        preselected = next((c for c in categories if c.slug == _selected(location)), None)
        if preselected is not None and preselected.photo_required:
            details.photos_require()
    # Every category's questions are in the page; JavaScript shows the chosen one's.
    question_groups = [
        {"category": c, "fields": [(details[name] if name in details.fields else _unbound(name, field), question)
                                   for name, question, field in question_fields(c)]}
        for c in categories if c.questions
    ]
    errors = _error_list(location, details)
    context = {
        "step": step, "location": location, "details": details, "categories": categories, "category": category,
        "nearby": nearby, "question_groups": question_groups, "errors": errors,
        "selected_category": _selected(location),
        # JavaScript switches the photo label and `required` when another category is chosen.
        "photo_labels": {"optional": PHOTO_LABEL_OPTIONAL, "required": PHOTO_LABEL_REQUIRED},
    }
    return render(request, "frontend/report_new.html", context, status=status)


def _unbound(name, field):
    """A question of another category than the chosen one: rendered empty (JavaScript may show it)."""
    return BoundField(ReportDetailsForm(), field, name)


def _selected(location) -> str:
    value = location.data.get("category") if location.is_bound else location.initial.get("category")
    return str(value or "")


def _error_list(*forms) -> list[tuple[str, str]]:
    """(anchor id, message) for the error summary, in the order of the page."""
    out = []
    for form in forms:
        if form is None or not form.is_bound:
            continue
        for name, messages in form.errors.items():
            if name == "__all__":
                anchor = "report-form"
            elif name == "category":
                anchor = "id_category_0"
            elif name == "place":
                anchor = "place-candidates"
            elif name not in form.fields:
                anchor = "report-form"
            elif isinstance(form.fields[name].widget, RadioSelect):
                anchor = f"{form[name].auto_id}_0"
            else:
                anchor = form[name].auto_id
            out.extend((anchor, str(m)) for m in messages)
    return out
