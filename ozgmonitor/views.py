"""`/ozg-monitor/`: the public OZG monitor. The state of every service (filterable by topic,
status, maturity and department), the progress over time (inline SVG with a table), and key
figures aggregated from the cases (`ozgmonitor.figures`). GET only; a bad filter is a 400 with
the form's message. Nothing here reads a person's data."""
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .chart import SERIES, progress_chart
from .figures import online_applications_per_month, processing_time_median_per_service
from .forms import MonitorFilterForm
from .models import ServiceStatus
from .selectors import monitor_entries, monitor_entries_filter, progress_by_month

__all__ = ["monitor"]

PROGRESS_MONTHS = 24
FIGURE_MONTHS = 12


@require_safe
def monitor(request):
    """200 with the (filtered) monitor; 400 with the form's messages for a bad filter."""
    form = MonitorFilterForm(request.GET or None)
    entries = monitor_entries()
    status = 200
    if form.is_bound and not form.is_valid():
        shown, status = [], 400
    else:
        filters = form.cleaned_data if form.is_bound else {}
        shown = monitor_entries_filter(entries, topic=filters.get("topic", ""), status=filters.get("status", ""),
                                       level=filters.get("level"), department=filters.get("department", ""))
    today = timezone.localdate()
    months, counts = progress_by_month(months=PROGRESS_MONTHS, today=today)
    figure_months, monthly = online_applications_per_month(months=FIGURE_MONTHS, today=today)
    online = [e for e in entries if e.status == ServiceStatus.ONLINE]
    context = {
        "form": form, "entries": shown, "total": len(entries), "online_count": len(online),
        "compliant_count": sum(1 for e in online if e.maturity_level is not None and e.maturity_level >= 3),
        "filtered": form.is_bound and any(form.data.get(name) for name in form.fields),
        "months": months, "chart": progress_chart(months, counts),
        "progress_rows": [(month, [counts[s][i] for s, _c, _d in SERIES]) for i, month in enumerate(months)],
        "series": [(s, ServiceStatus(s).label, colour, dash) for s, colour, dash in SERIES],
        "figure_months": figure_months, "monthly": monthly,
        "application_rows": [(month, [row.counts[i] for row in monthly], sum(row.counts[i] for row in monthly))
                             for i, month in enumerate(figure_months)],
        "medians": processing_time_median_per_service(),
    }
    return render(request, "ozgmonitor/monitor.html", context, status=status)
