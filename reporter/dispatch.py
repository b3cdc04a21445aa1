"""Writes of the back office's dispatch work: accept, assign to a crew, mark as duplicate, refer.

Each service runs in one transaction, increments the `version` of every report it changes
(the ETag of the field-crew API) and records a history row (`StatusChange` with a `kind` and
its `details`) through `reporter.history`, and queues its messages in the notification outbox, which sends them after
commit. Bad input raises `ReportInputError` (per-field German messages) before anything is
written; a status the workflow does not allow raises `TransitionNotAllowed` (HTTP 409).
Re-routing is `services.report_reroute`.
"""
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import notify
from .history import history_entry, history_record, history_record_many, report_save, reports_update
from .models import Crew, Report, StatusChange
from .services import ReportInputError, report_status_change, supporter_key_make
from .workflow import TransitionNotAllowed

__all__ = ["report_accept", "report_assign", "report_unassign", "report_mark_duplicate", "report_refer"]


def _ids(reports: Iterable) -> list[int]:
    return sorted({r if isinstance(r, int) else r.pk for r in reports})


def _id_list(ids) -> str:
    return ", ".join(f"#{pk}" for pk in ids)


def report_accept(*, report: Report, actor=None, note_public: str = "", note_internal: str = "") -> StatusChange:
    """Accept a new report: submitted → open (the reporter hears of it with the public note)."""
    current = Report.objects.filter(pk=report.pk).values_list("status", flat=True).first()
    if current != Report.Status.SUBMITTED:
        raise TransitionNotAllowed(current=current, requested=Report.Status.OPEN)
    return report_status_change(report=report, to_status=Report.Status.OPEN, note_public=note_public,
                                note_internal=note_internal, actor=actor)


def report_assign(*, reports: Iterable, crew: Crew, actor=None) -> list[Report]:
    """Assign one or many open reports (instances or ids) to `crew`; returns the reports changed.

    The crew must be active and belong to every report's department; otherwise nothing is
    written. Reports already assigned to this crew are left as they are. The crew members
    get one email listing the new tasks.
    """
    ids = _ids(reports)
    if not ids:
        raise ReportInputError({"reports": _("Bitte mindestens eine Meldung auswählen.")})
    if crew is None:
        raise ReportInputError({"crew": _("Bitte einen Trupp auswählen.")})
    if not crew.is_active:
        raise ReportInputError({"crew": _("Der Trupp „%(crew)s“ ist nicht aktiv.") % {"crew": crew.name}})
    now = timezone.now()
    with transaction.atomic():
        locked = list(Report.objects.select_for_update(of=("self",)).select_related("category")
                      .filter(pk__in=ids).order_by("pk"))
        missing = sorted(set(ids) - {r.pk for r in locked})
        if missing:
            raise ReportInputError({"reports": ngettext(
                "Meldung nicht gefunden: %(ids)s", "Meldungen nicht gefunden: %(ids)s", len(missing))
                % {"ids": _id_list(missing)}})
        foreign = [r.pk for r in locked if r.department_id != crew.department_id]
        if foreign:
            raise ReportInputError({"crew": _(
                "Der Trupp „%(crew)s“ gehört zu %(department)s; diese Meldungen gehören zu einem anderen "
                "Fachbereich: %(ids)s") % {"crew": crew.name, "department": crew.department.name,
                                             "ids": _id_list(foreign)}})
        closed = [r.pk for r in locked if not r.is_open]
        if closed:
            raise ReportInputError({"reports": _(
                "Abgeschlossene Meldungen können keinem Trupp zugewiesen werden: %(ids)s") % {"ids": _id_list(closed)}})
        changed = [r for r in locked if r.crew_id != crew.pk]
        if not changed:
            return []
        reports_update([r.pk for r in changed], crew=crew, assigned_at=now)
        history_record_many([
            history_entry(r, kind="assignment", actor=actor,
                          details={"crew": crew.pk, "crew_name": crew.name, "previous_crew": r.crew_id})
            for r in changed
        ])
        for r in changed:
            r.crew, r.assigned_at, r.version = crew, now, r.version + 1
        notify.notify_crew_assigned(crew=crew, reports=changed)
    return changed


def report_unassign(*, report: Report, actor=None) -> Report:
    """Take a report away from its crew."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.crew_id is None:
            raise ReportInputError({"crew": _("Die Meldung ist keinem Trupp zugewiesen.")})
        previous = report.crew_id
        report.crew, report.assigned_at = None, None
        report_save(report, fields=["crew", "assigned_at"])
        history_record(report, kind="unassignment", details={"previous_crew": previous}, actor=actor)
    return report


def _public_url(report: Report) -> str:
    return f"{settings.SITE_URL}/meldungen/{report.pk}/"


def report_mark_duplicate(
    *, report: Report, original: Report, actor=None, note_public: str = "", note_internal: str = "",
) -> StatusChange:
    """Close `report` as a duplicate of `original` and move its supporters over.

    Supporters (`Support` rows) are copied to the original unless the same supporter key
    is there already, and the duplicate's reporter becomes one more supporter; the
    original's `supporter_count` grows by the number added. The duplicate's reporter (with
    an email address) and its followers follow the original from now on. The
    reporter is told with a public note (a default naming the original if none is given).
    The original gets a history row (kind "merge").
    """
    if original is None or original.pk == report.pk:
        raise ReportInputError({"duplicate_of": _("Bitte die Originalmeldung angeben.")})
    with transaction.atomic():
        # Both rows locked in id order: two merges in opposite directions cannot deadlock.
        rows = {r.pk: r for r in Report.objects.select_for_update().filter(pk__in=[report.pk, original.pk])
                .order_by("pk")}
        if original.pk not in rows:
            raise ReportInputError({"duplicate_of": _("Die Originalmeldung gibt es nicht.")})
        report, original = rows[report.pk], rows[original.pk]
        if original.status == Report.Status.DUPLICATE:
            raise ReportInputError({"duplicate_of": _(
                "Meldung #%(id)s ist selbst eine Dublette von #%(root)s; bitte diese angeben.")
                % {"id": original.pk, "root": original.duplicate_of_id}})
        if not note_public:
            with translation.override(report.language):
                note_public = _("Vielen Dank! Dieser Mangel wurde bereits gemeldet (Meldung #%(id)s). "
                                "Wir bearbeiten ihn dort weiter.") % {"id": original.pk}
                if original.moderation != Report.Moderation.HIDDEN:
                    note_public += " " + _("Stand: %(url)s") % {"url": _public_url(original)}
        change = report_status_change(report=report, to_status=Report.Status.DUPLICATE, note_public=note_public,
                                      note_internal=note_internal, actor=actor, duplicate_of=original)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO reporter_support (report_id, supporter_key, created_at) "
                "SELECT %s, supporter_key, created_at FROM reporter_support WHERE report_id = %s "
                "ON CONFLICT (report_id, supporter_key) DO NOTHING",
                [original.pk, report.pk],
            )
            added = cursor.rowcount
            # The duplicate's reporter saw the same defect: they count as a supporter of the original.
            cursor.execute(
                "INSERT INTO reporter_support (report_id, supporter_key, created_at) VALUES (%s, %s, now()) "
                "ON CONFLICT (report_id, supporter_key) DO NOTHING",
                [original.pk, supporter_key_make(client_token=f"reporter-of-report:{report.pk}")],
            )
            added += cursor.rowcount
        _followers_move(duplicate=report, original=original)
        reports_update([original.pk], supporter_count=F("supporter_count") + added)
        history_record(original, kind="merge", details={"duplicate": report.pk, "supporters_added": added},
                       actor=actor)
        change.details = {**change.details, "supporters_added": added}
        change.save(update_fields=["details"])
    return change


def _followers_move(*, duplicate: Report, original: Report) -> None:
    """The duplicate's reporter (if they left an address) and its followers follow the original."""
    from notifications.selectors import subscription_list
    from notifications.services import subscription_add

    followers = [(f.email, f.language) for f in subscription_list(topic=notify.FOLLOW_TOPIC,
                                                                  object_id=str(duplicate.pk))]
    if duplicate.reporter_email:
        followers.insert(0, (duplicate.reporter_email, duplicate.language))
    for email, language in followers:
        subscription_add(topic=notify.FOLLOW_TOPIC, object_id=str(original.pk), email=email, language=language)


def report_refer(
    *, report: Report, authority: str, note: str = "", actor=None, note_internal: str = "",
) -> StatusChange:
    """Hand a report over to another authority (status "referred"); the reporter is told who.

    The public note names the authority, followed by `note` if given.
    """
    authority = (authority or "").strip()
    if not authority:
        raise ReportInputError({"authority": _("Bitte die zuständige Stelle angeben.")})
    with translation.override(report.language):
        note_public = _("Für Ihr Anliegen ist eine andere Stelle zuständig. Wir haben Ihre Meldung "
                        "abgegeben an: %(authority)s.") % {"authority": authority}
    if note.strip():
        note_public += "\n\n" + note.strip()
    with transaction.atomic():
        change = report_status_change(report=report, to_status=Report.Status.REFERRED, note_public=note_public,
                                      note_internal=note_internal, actor=actor)
        change.details = {**change.details, "authority": authority}
        change.save(update_fields=["details"])
    return change
