"""The inbox `/sachbearbeitung/`: every item of every service in the clerk's departments
(reports, cases, …; `portal.inbox`), with tabs and counts, filters, search, a sortable paged
list and bulk actions.

Filters are GET parameters with the report queue's names (bookmarks and email links such as
`?ansicht=ueberfaellig` keep their meaning). A bulk action is a POST to `aktion/` carrying the
inbox's query string: success redirects (303) to the same inbox; invalid input or an item the
action fails on shows the inbox with an error summary (400) and writes nothing; an item
outside the clerk's departments answers 404 and writes nothing.
"""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from portal import inbox

from ..forms import INBOX_SORT_CHOICES, TAB_LABELS, InboxActionForm, InboxFilterForm
from .access import not_found, staff_required
from .listing import page_links, query_with, sort_links, tab_links

__all__ = ["inbox_list", "inbox_action"]

PAGE_SIZE = 25
# Column headers that sort the list: (first click, second click).
SORTABLE_COLUMNS = {
    "nummer": ("nummer", "-nummer"),
    "leistung": ("leistung", "leistung"),
    "status": ("status", "status"),
    "eingang": ("-eingang", "eingang"),
    "faellig": ("faellig", "-faellig"),
}


def _anchor(item: str) -> str:
    return "select-" + item.replace(":", "-")


def _render(request, *, action_form=None, errors=(), status=200):
    params = request.GET.dict()
    filter_form = InboxFilterForm(request.GET or None, user=request.user)
    filters = filter_form.inbox_filter()
    errors = list(errors)
    if filter_form.is_bound and not filter_form.is_valid():
        status = 400 if status == 200 else status
        errors += [(f"id_{name}", f"{filter_form.fields[name].label}: {' '.join(msgs)}")
                   for name, msgs in filter_form.errors.items()]
    today = timezone.localdate()
    counts = inbox.inbox_counts(user=request.user, filters=filters, today=today)
    items = inbox.inbox_items(user=request.user, filters=filters, today=today, count=counts[filters.tab])
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("seite"))
    rows = inbox.inbox_rows(page.object_list, today=today)
    tabs = tab_links(params, labels=TAB_LABELS, counts=counts, current=filters.tab)
    sort = filters.sort or inbox.default_sort(filters.tab)
    columns = sort_links(params, columns=SORTABLE_COLUMNS, sort=sort)
    action_form = action_form or InboxActionForm()
    query_string = query_with(params)
    return render(request, "backoffice/inbox.html", {
        "filter_form": filter_form,
        "filters": filters,
        "department": filter_form.cleaned_data.get("fachbereich") if filter_form.is_valid() else None,
        "tabs": tabs,
        "current_tab_label": TAB_LABELS[filters.tab],
        "columns": columns,
        "sort_label": dict(INBOX_SORT_CHOICES).get(sort, ""),
        "page": page,
        "rows": rows,
        "page_links": page_links(params, page),
        "action_form": action_form,
        "selected": set(action_form.data.getlist("auswahl")) if action_form.is_bound else set(),
        "errors": errors,
        "action_url": reverse("backoffice:inbox-action") + query_string,
    }, status=status)


@staff_required
@require_http_methods(["GET", "HEAD"])
def inbox_list(request):
    return _render(request)


@require_POST
@staff_required
def inbox_action(request):
    """Run one bulk action on the selected items (see the module docstring)."""
    form = InboxActionForm(request.POST)
    if not form.is_valid():
        anchors = {"auswahl": "inbox-table", "aktion": "id_aktion", "ziel": "id_ziel", "begruendung": "id_begruendung"}
        errors = [(anchors.get(name, "inbox-actions"), message if name == "__all__" else
                   f"{form.fields[name].label}: {message}")
                  for name, msgs in form.errors.items() for message in msgs]
        return _render(request, action_form=form, errors=errors, status=400)
    action = form.actions[form.cleaned_data["aktion"]]
    try:
        done, failed = inbox.inbox_act(user=request.user, action=action.key, items=form.cleaned_data["auswahl"],
                                       department=form.cleaned_data.get("ziel"),
                                       reason=form.cleaned_data.get("begruendung") or "")
    except inbox.InboxItemNotFound as exc:
        return not_found(request, ngettext(
            "Diesen Eintrag gibt es nicht in Ihren Fachbereichen: %(items)s. Es wurde nichts geändert.",
            "Diese Einträge gibt es nicht in Ihren Fachbereichen: %(items)s. Es wurde nichts geändert.",
            len(exc.items)) % {"items": ", ".join(exc.items)})
    if failed:
        errors = [(_anchor(error.item), f"{error.label}: {error.message}") for error in failed]
        errors.append(("inbox-actions", _("Es wurde nichts geändert. Bitte nehmen Sie die genannten Einträge aus der "
                                          "Auswahl oder wählen Sie eine andere Aktion.")))
        return _render(request, action_form=form, errors=errors, status=400)
    messages.success(request, ngettext("„%(action)s“: %(n)s Eintrag erledigt.",
                                       "„%(action)s“: %(n)s Einträge erledigt.", done)
                     % {"action": action.label, "n": done})
    response = redirect(reverse("backoffice:inbox") + query_with(request.GET.dict()).rstrip("?"))
    response.status_code = 303
    return response
