"""The report queue `/sachbearbeitung/meldungen/`: tabs, filters, a sortable paged list, the map of the same set,
bulk assignment to a crew, and the crew load `/sachbearbeitung/trupps/`.

Filters are GET parameters (bookmarkable, work without JavaScript); the map fetches
`karte.geojson` with the same parameters. Bulk assignment is a POST to `zuweisen/` carrying
the queue's query string, answered with a redirect to the same queue (or the queue with an
error summary, 400). `export.csv` streams the filtered queue (all pages) as CSV.
"""
import csv
from datetime import date, datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from reporter import dispatch
from reporter.models import Report
from reporter.services import ReportInputError

from .. import selectors
from ..forms import SORT_CHOICES, TAB_LABELS, BulkAssignForm, QueueFilterForm
from .access import staff_required
from .listing import page_links, query_with, sort_links, tab_links

PAGE_SIZE = 25
# Column headers that sort the list: (first click, second click).
SORTABLE_COLUMNS = {
    "nummer": ("nummer", "-nummer"),
    "kategorie": ("kategorie", "kategorie"),
    "status": ("status", "status"),
    "eingang": ("eingang", "-eingang"),
    "faellig": ("faellig", "-faellig"),
}


def _render(request, *, bulk_form=None, errors=(), status=200):
    params = request.GET.dict()
    filter_form = QueueFilterForm(request.GET or None, user=request.user)
    filters = filter_form.queue_filter()
    errors = list(errors)
    if filter_form.is_bound and not filter_form.is_valid():
        status = 400
        errors += [(f"id_{name}", f"{filter_form.fields[name].label}: {' '.join(msgs)}")
                   for name, msgs in filter_form.errors.items()]
    today = timezone.localdate()
    reports = selectors.queue_reports(user=request.user, filters=filters, today=today)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("seite"))
    districts = {d.pk: d.name for d in selectors.district_list()}
    rows = list(page.object_list)
    for report in rows:
        report.district_name = districts.get(report.district_id, "")
    # Tab counters: the same filters without the tab, one aggregate query.
    base = selectors.queue_reports(user=request.user, today=today,
                                   filters=selectors.QueueFilter(**{**filters.__dict__, "tab": "alle"}))
    counts = base.order_by().aggregate(
        offen=Count("id", filter=Q(status__in=Report.OPEN_STATUSES)),
        neu=Count("id", filter=Q(status=Report.Status.SUBMITTED)),
        ueberfaellig=Count("id", filter=Q(status__in=Report.OPEN_STATUSES, due_date__lt=today)),
        alle=Count("id"),
    )
    tabs = tab_links(params, labels=TAB_LABELS, counts=counts, current=filters.tab)
    columns = sort_links(params, columns=SORTABLE_COLUMNS, sort=filters.sort)
    department = filter_form.cleaned_data.get("fachbereich") if filter_form.is_valid() else None
    query_string = query_with(params)
    return render(request, "backoffice/queue.html", {
        "filter_form": filter_form,
        "filters": filters,
        "department": department,
        "tabs": tabs,
        "current_tab_label": TAB_LABELS[filters.tab],
        "columns": columns,
        "sort_label": dict(SORT_CHOICES).get(filters.sort, ""),
        "page": page,
        "rows": rows,
        "show_department": len({r.department_id for r in rows}) > 1,
        "page_links": page_links(params, page),
        "bulk_form": bulk_form or BulkAssignForm(user=request.user),
        # The crews the filter form has loaded already: no second query for the bulk select.
        "crew_options": [(c.pk, f"{c.name} ({c.department.name})") for c in filter_form.crews],
        "selected": set(bulk_form.data.getlist("reports")) if bulk_form is not None else set(),
        "errors": errors,
        "query_string": query_string,
        "geojson_url": reverse("backoffice:queue-geojson") + query_with(params, seite=None),
        "csv_url": reverse("backoffice:queue-csv") + query_with(params, seite=None),
        "assign_url": reverse("backoffice:bulk-assign") + query_string,
        "today": today,
    }, status=status)


@staff_required
def queue(request):
    return _render(request)


@staff_required
def queue_geojson(request):
    """The filtered queue (all pages, at most QUEUE_MAP_LIMIT reports) as GeoJSON for the map."""
    filters = QueueFilterForm(request.GET or None, user=request.user).queue_filter()
    reports = selectors.queue_reports(user=request.user, filters=filters)
    response = HttpResponse(selectors.queue_geojson(queryset=reports), content_type="application/geo+json")
    response["Cache-Control"] = "private, no-store"
    return response


class _Echo:
    """A file-like object whose write returns the line (csv.writer into a streaming response)."""

    def write(self, value: str) -> str:
        return value


# Spreadsheet programs run cells starting with these as formulas (CSV injection, OWASP):
# citizens' free text gets a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"  # the export is German, like its column headers
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.6f}"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


@staff_required
def queue_csv(request):
    """The filtered queue (all pages) as CSV, streamed; only the clerk's departments.

    Semicolon-separated UTF-8 with a byte order mark, so spreadsheet programs set to German
    open it correctly; dates ISO 8601 in the site's time zone, coordinates WGS 84 lon/lat.
    """
    form = QueueFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return _render(request)  # the queue with its error summary (400)
    reports = selectors.queue_reports(user=request.user, filters=form.queue_filter())
    districts = {d.pk: d.name for d in selectors.district_list()}
    with translation.override("de"):  # the export is German, like its column headers
        statuses = {k: str(v) for k, v in Report.Status.choices}
        moderation = {k: str(v) for k, v in Report.Moderation.choices}
    columns = [path for _header, path in selectors.EXPORT_COLUMNS]
    labels = {"status": statuses, "moderation": moderation, "district_id": districts}

    def rows():
        writer = csv.writer(_Echo(), delimiter=";")
        yield "\ufeff" + writer.writerow([header for header, _path in selectors.EXPORT_COLUMNS])
        for row in selectors.queue_export_rows(queryset=reports):
            yield writer.writerow([_csv_cell(labels[c].get(v, v) if c in labels else v)
                                   for c, v in zip(columns, row, strict=True)])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meldungen-{timezone.localdate().isoformat()}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@staff_required
def bulk_assign(request):
    form = BulkAssignForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            changed = dispatch.report_assign(reports=form.cleaned_data["reports"], crew=form.cleaned_data["crew"],
                                             actor=request.user)
        except ReportInputError as exc:
            for field, msgs in exc.errors.items():
                for message in msgs:
                    form.add_error(field if field in form.fields else None, message)
        else:
            crew = form.cleaned_data["crew"]
            messages.success(request, ngettext(
                "%(n)s Meldung dem Trupp „%(crew)s“ zugewiesen.", "%(n)s Meldungen dem Trupp „%(crew)s“ zugewiesen.",
                len(changed)) % {"n": len(changed), "crew": crew.name} if changed else
                _("Die ausgewählten Meldungen waren schon dem Trupp „%(crew)s“ zugewiesen.") % {"crew": crew.name})
            return redirect(reverse("backoffice:queue") + query_with(request.GET.dict()))
    errors = []
    for field, msgs in form.errors.items():
        anchor = {"crew": "id_crew", "reports": "queue-table"}.get(field, "bulk-assign")
        errors += [(anchor, m) for m in msgs]
    return _render(request, bulk_form=form, errors=errors, status=400)


@staff_required
def crew_load(request):
    return render(request, "backoffice/crews.html", {"loads": selectors.crew_load(user=request.user)})
