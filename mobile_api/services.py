"""Writes of the field-crew API: crew tokens (login, revoke) and a crew's action on a task.

`task_transition` runs in one transaction: it locks the report, checks the version the app
had (`If-Match`), stores before/after photos (processed by Celery after commit) and moves the
report through `reporter.services.report_status_change`, which records the history and
queues the Rückkanal message to the reporter for public changes. Errors users can meet:
`ReportInputError` (400), `PhotoError` (413/415/400), `ActionNotAllowed` (409),
`VersionMismatch` (412), `CrewTokenRefused` (403).

Pruning (beat, `mobile_api.tasks.mobile_api_prune_task`): `idempotency_keys_prune` and
`sync_log_prune` delete what no request can need any more.
"""
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.lockout import lockout_message
from config.queueing import task_enqueue_on_commit
from notifications.models import Notification
from notifications.services import notification_queue
from reporter.dispatch import report_unassign
from reporter.models import Crew, Report, ReportPhoto
from reporter.photos import photo_validate
from reporter.services import ReportInputError, report_status_change
from reporter.workflow import TransitionNotAllowed

from .actions import ACTIONS, NOTE_REQUIRED, action_target
from .conf import mobile_setting
from .errors import ActionNotAllowed, VersionMismatch
from .models import CrewMemberInterval, CrewToken, IdempotencyKey, TaskChange, TaskListInterval

__all__ = [
    "CrewTokenRefused", "InvalidCredentials", "LoginLocked", "crew_token_create", "crew_token_login",
    "crew_token_revoke", "task_transition", "idempotency_keys_prune", "sync_log_prune",
]


class CrewTokenRefused(Exception):
    """The user may not get a crew token: not active, or not a member of an active crew (HTTP 403)."""


class InvalidCredentials(Exception):
    """Wrong username or password (HTTP 400)."""


class LoginLocked(Exception):
    """Too many wrong passwords for this user name from this address (django-axes; HTTP 429)."""


def crew_token_create(*, user, name: str = "") -> tuple[CrewToken, str]:
    """A new token for a crew member: (token, raw token). The raw token is shown once, never stored."""
    if not user.is_active:
        raise CrewTokenRefused(_("Das Benutzerkonto ist deaktiviert."))
    if not Crew.objects.filter(members=user, is_active=True).exists():
        raise CrewTokenRefused(_("Sie gehören zu keinem aktiven Trupp."))
    raw = CrewToken.generate()
    token = CrewToken.objects.create(user=user, name=name[:200], token_hash=CrewToken.digest(raw),
                                     prefix=raw[:12])
    return token, raw


def crew_token_login(*, username: str, password: str, name: str = "", request=None) -> tuple[CrewToken, str]:
    """The app's login: check username and password, then `crew_token_create`. The login
    lockout (django-axes, `settings.AXES_*`) counts the failures and refuses a locked pair."""
    user = authenticate(request, username=username, password=password)
    if user is None and getattr(request, "axes_locked_out", False):
        raise LoginLocked(lockout_message())
    if user is None:
        raise InvalidCredentials(_("Benutzername oder Passwort ist falsch."))
    token, raw = crew_token_create(user=user, name=name)
    # A token login is a login: last_login is updated and the lockout's failure count reset.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return token, raw


def crew_token_revoke(*, token: CrewToken) -> None:
    """Revoke a token (logout, lost phone); it is refused from now on."""
    CrewToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def _photos_validate(*, photos_before: list, photos_after: list) -> list[tuple[str, object, object]]:
    limit = mobile_setting("PHOTOS_PER_KIND")
    for field, uploads in (("photos_before", photos_before), ("photos_after", photos_after)):
        if len(uploads) > limit:
            raise ReportInputError({field: _("Höchstens %(n)s Fotos je Art.") % {"n": limit}})
    # PhotoError (413/415/400) propagates with its own status code, before anything is written.
    return [(kind, upload, photo_validate(upload=upload))
            for kind, uploads in ((ReportPhoto.Kind.BEFORE, photos_before), (ReportPhoto.Kind.AFTER, photos_after))
            for upload in uploads]


def _photos_store(*, report: Report, photos: list) -> None:
    from reporter.tasks import photo_process_task

    for kind, upload, info in photos:
        upload.seek(0)
        photo = ReportPhoto(report=report, kind=kind, content_type=info.content_type, original_bytes=info.bytes,
                            width=info.width, height=info.height, exif_location=info.exif_location)
        photo.original.save("original", upload, save=False)
        photo.save()
        task_enqueue_on_commit(photo_process_task, photo.pk)  # beat re-queues it if the broker is down


def _notify_department_handback(*, report: Report, crew_name: str, note: str) -> None:
    """The department learns that its crew handed the report back (it needs another department)."""
    with translation.override("de"):
        subject = _("[Stadtmelder] Trupp gibt Meldung zurück: #%(id)s %(category)s") % {
            "id": report.pk, "category": report.category.name}
        body = "\n".join([
            _("Der Trupp „%(crew)s“ hat die Meldung #%(id)s zurückgegeben: ein anderer Fachbereich ist nötig.") % {
                "crew": crew_name, "id": report.pk},
            "",
            _("Begründung: %s") % note,
            _("Adresse: %s") % (report.address or report.location_text or "–"),
        ])
    notification_queue(channel=Notification.Channel.EMAIL, recipient=report.department.email,
                       event="report.crew_handback", object_id=str(report.pk), subject=subject, body=body)


def task_transition(
    *, report: Report, user, action: str, note_public: str = "", note_internal: str = "",
    photos_before: list | None = None, photos_after: list | None = None, expected_version: int | None = None,
) -> Report:
    """Apply a crew member's action (see `mobile_api.actions`) to a task; returns the report.

    `expected_version` is the `If-Match` version; a different current version raises
    `VersionMismatch` and nothing is written. `note_public` reaches the reporter.
    """
    if action not in ACTIONS:
        raise ReportInputError({"action": _("Unbekannte Aktion „%(a)s“. Möglich: %(all)s.") % {
            "a": action, "all": ", ".join(ACTIONS)}})
    if action in NOTE_REQUIRED and not (note_public.strip() or note_internal.strip()):
        raise ReportInputError({"note": _("Bitte eine Begründung angeben.")})
    photos = _photos_validate(photos_before=photos_before or [], photos_after=photos_after or [])
    with transaction.atomic():
        report = (Report.objects.select_for_update(of=("self",)).select_related("crew", "category", "department")
                  .get(pk=report.pk))
        if expected_version is not None and expected_version != report.version:
            raise VersionMismatch(expected=expected_version, current=report.version)
        target = action_target(action=action, status=report.status)
        if target is None:
            raise ActionNotAllowed(action=action, current=report.status)
        crew_name = report.crew.name if report.crew else ""
        internal = note_internal.strip()
        with translation.override(settings.LANGUAGE_CODE):  # internal notes are in the site language
            if action == "accept":
                prefix = _("Vom Trupp „%(crew)s“ angenommen.") % {"crew": crew_name}
            elif action == "needs_other_department":
                prefix = _("Vom Trupp „%(crew)s“ zurückgegeben: anderer Fachbereich nötig.") % {"crew": crew_name}
            else:
                prefix = ""
        internal = "\n".join(filter(None, [prefix, internal]))
        _photos_store(report=report, photos=photos)
        try:
            report_status_change(report=report, to_status=target, note_public=note_public.strip(),
                                 note_internal=internal, actor=user)
        except TransitionNotAllowed as exc:  # a race the row lock rules out; answered like our own check
            raise ActionNotAllowed(action=action, current=exc.current) from exc
        if action == "needs_other_department":
            report_unassign(report=report, actor=user)
            _notify_department_handback(report=report, crew_name=crew_name,
                                        note=note_internal.strip() or note_public.strip())
        report.refresh_from_db(fields=["status", "version", "crew", "updated_at"])
    return report


def idempotency_keys_prune() -> int:
    """Delete stored Idempotency-Key answers older than MOBILE_API["IDEMPOTENCY_TTL_HOURS"];
    returns how many. A request repeated later is new again — its If-Match version (the app
    always sends one) then refuses a change that was already made (412)."""
    cutoff = timezone.now() - timedelta(hours=float(mobile_setting("IDEMPOTENCY_TTL_HOURS")))
    with transaction.atomic():
        deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def sync_log_prune() -> dict[str, int]:
    """Delete the delta-sync log rows that no answerable `since` needs; returns how many of each.

    A `since` older than MOBILE_API["SYNC_LOG_RETENTION_DAYS"] is refused (410, see
    `selectors.sync_window_start`); younger ones read only task-list and membership intervals
    that ended at or after `since` (or are still open) and task changes at or after it. So
    intervals that ended, and changes logged, before the start of that window can go.
    """
    cutoff = timezone.now() - timedelta(days=float(mobile_setting("SYNC_LOG_RETENTION_DAYS")))
    with transaction.atomic():
        return {
            "task_list_intervals": TaskListInterval.objects.filter(left_at__lt=cutoff).delete()[0],
            "crew_member_intervals": CrewMemberInterval.objects.filter(left_at__lt=cutoff).delete()[0],
            "task_changes": TaskChange.objects.filter(changed_at__lt=cutoff).delete()[0],
        }
