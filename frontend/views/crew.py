"""The field crews' web app under /crew/: login, task list (by distance), task detail.

The pages are shells: the data comes from the field-crew API (/api/mobile/v1/) with the
crew token the login stored in the browser, so the app also opens offline. Its own service
worker (`crew-sw.js`, scope /crew/) and manifest make it installable next to the citizen
app, which keeps the root service worker. Changes made offline are queued in IndexedDB and
sent with Idempotency-Keys when the connection is back (crew.js).
"""
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control

from reporter.models import Report

from .pwa import manifest_response, service_worker_response


def _plural(text) -> dict:
    """Both forms of a counted text (`text(n)` calls ngettext); the scripts pick "one" for 1 and
    "other" otherwise, the plural rule of German and English."""
    return {"one": text(1), "other": text(2)}


def _strings() -> dict:
    """Texts the scripts show, translated here (one place for German and English)."""
    return {
        "actions": {
            "accept": _("Annehmen"), "start": _("Arbeit beginnen"), "done": _("Erledigt"),
            "cannot_fix": _("Nicht behebbar"), "needs_other_department": _("Anderer Fachbereich nötig"),
        },
        "statuses": dict(Report.Status.choices),
        "loading": _("Aufgaben werden geladen …"),
        "loaded": _plural(lambda n: ngettext("%(n)s Aufgabe, Stand %(time)s.", "%(n)s Aufgaben, Stand %(time)s.", n)),
        "offline_cached": _("Offline: gespeicherter Stand von %(time)s."),
        "no_tasks": _("Keine offenen Aufgaben für Ihren Trupp."),
        "position_wait": _("Position wird bestimmt …"),
        "position_ok": _("Sortiert nach Entfernung von Ihrem Standort (± %(acc)s m)."),
        "position_none": _("Ohne Standort: sortiert nach Fälligkeit."),
        "distance": _("%(d)s entfernt"),
        "due": _("fällig am %(date)s"),
        "overdue": _("überfällig seit %(date)s"),
        "queued": _("Gespeichert. Wird gesendet, sobald eine Verbindung besteht."),
        "sending": _("Wird gesendet …"),
        "sent": _("Übertragen: %(action)s."),
        "pending_count": _plural(lambda n: ngettext("%(n)s Änderung wartet auf Übertragung.",
                                                    "%(n)s Änderungen warten auf Übertragung.", n)),
        "conflict": _("Konflikt: Die Aufgabe wurde inzwischen im Büro geändert (jetzt: %(status)s). "
                      "Ihre Änderung „%(action)s“ wurde nicht übertragen."),
        "conflict_discard": _("Meine Änderung verwerfen"),
        "conflict_resend": _("Meine Änderung trotzdem senden"),
        "error": _("Nicht übertragen: %(detail)s"),
        "gone": _("Diese Aufgabe ist Ihrem Trupp nicht mehr zugewiesen."),
        "login_again": _("Bitte melden Sie sich erneut an. Ihre gespeicherten Änderungen bleiben erhalten."),
        "login_failed": _("Anmeldung fehlgeschlagen: %(detail)s"),
        "network": _("Keine Verbindung zum Server."),
        "not_found": _("Aufgabe nicht gefunden."),
        "note_required": _("Bitte eine Begründung angeben."),
        "photo_selected": _plural(lambda n: ngettext("%(n)s Foto ausgewählt.", "%(n)s Fotos ausgewählt.", n)),
        "task_title": _("%(category)s #%(id)s"),
        "marker": _("Aufgabe %(id)s: %(category)s"),
        "you_are_here": _("Ihr Standort"),
        "map_offline": _("Offline: Die Karte braucht eine Verbindung. Ihre Aufgaben stehen in der Liste unten."),
        "photo_kinds": {"report": _("Foto der Meldung"), "before": _("Foto vorher"), "after": _("Foto nachher")},
    }


def _context() -> dict:
    return {"crew_strings": _strings()}


def login(request):
    return render(request, "frontend/crew/login.html", _context())


def tasks(request):
    return render(request, "frontend/crew/tasks.html", _context())


def task(request):
    """One task; its id is in the query string (`?id=`), so one cached shell serves all offline."""
    return render(request, "frontend/crew/task.html", _context())


def manifest(request):
    tasks_url = reverse("frontend:crew-tasks")
    return manifest_response(
        request, name=_("Stadtmelder Außendienst"), short_name=_("Außendienst"),
        description=_("Aufgaben der Trupps: nach Entfernung sortiert, auch offline."),
        id=tasks_url, start_url=tasks_url, scope=tasks_url, theme_color="#1e4d2b")


@cache_control(no_cache=True)
def service_worker(request):
    return service_worker_response(static_path="frontend/js/crew-sw.js", scope=reverse("frontend:crew-tasks"))
