"""Writes of the report lifecycle: create, change status, re-route, moderate, support.

Each service runs in one transaction; notifications and photo processing are queued on
commit (through the outbox and Celery), so a failed request leaves nothing behind.
Errors users can meet are `ReportInputError` (HTTP 400, per-field messages),
`OutsideCity` (400, naming the responsible authority), `PhotoError` (413/415/400) and
`TransitionNotAllowed` (409).
"""
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.errors import ServiceError
from config.queueing import task_enqueue_on_commit
from geodata.selectors import address_nearest
from routing_rules.models import Category, Department
from routing_rules.questions import answers_validate
from routing_rules.selectors import OutsideCity, RoutingDecision, route_point

from . import notify
from .conf import stadtmelder_setting
from .history import history_record, report_save
from .models import Report, ReportOwnership, ReportPhoto, StatusChange, Support
from .photos import PhotoProcessingError, photo_blur, photo_validate
from .service_levels import due_date_for
from .workflow import CLOSED_STATUSES, TransitionNotAllowed, transitions_allowed

# Closed statuses a reporter may reopen ("not fixed"); duplicates and referrals are not theirs to undo.
REOPENABLE_BY_REPORTER = (Report.Status.RESOLVED, Report.Status.NOT_FIXABLE)

__all__ = [
    "ReportInputError", "OutsideCity", "TransitionNotAllowed", "report_create", "report_status_change",
    "report_reroute", "report_moderate", "report_support", "report_reopen_by_reporter", "supporter_key_make",
    "report_follow",
]


class ReportInputError(ServiceError):
    """Invalid input for a report (HTTP 400); `errors` maps field names to lists of messages,
    `message` is the first of them."""

    status = 400
    code = "invalid"

    def __init__(self, errors: dict):
        self.errors = {k: v if isinstance(v, list) else [v] for k, v in errors.items()}
        super().__init__(next(iter(self.errors.values()))[0] if self.errors else "")

    def body_extra(self) -> dict:
        return {"errors": self.errors}


@dataclass
class _ValidatedPhoto:
    upload: object
    info: object


def _photos_validate(*, uploads, category: Category) -> list[_ValidatedPhoto]:
    limit = stadtmelder_setting("PHOTO_MAX_PER_REPORT")
    if len(uploads) > limit:
        raise ReportInputError({"photos": _("Höchstens %(n)s Fotos pro Meldung.") % {"n": limit}})
    if category.photo_required and not uploads:
        raise ReportInputError({"photos": _("Für diese Kategorie ist ein Foto erforderlich.")})
    # PhotoError propagates with its own status code (413/415/400).
    return [_ValidatedPhoto(upload=u, info=photo_validate(upload=u)) for u in uploads]


def _route(*, point: Point, category: Category):
    try:
        return route_point(point=point, category=category)
    except OutsideCity as exc:
        if exc.authority:
            message = _("Dieser Ort liegt außerhalb des Stadtgebiets. Zuständig ist: %(a)s.") % {"a": exc.authority}
        else:
            message = _("Dieser Ort liegt außerhalb des Stadtgebiets.")
        raise ReportInputError({"location": message}) from exc


def _photos_store(*, report: Report, photos: list[_ValidatedPhoto], kind=ReportPhoto.Kind.REPORT) -> None:
    from .tasks import photo_process_task

    for p in photos:
        p.upload.seek(0)
        photo = ReportPhoto(
            report=report, kind=kind, content_type=p.info.content_type, original_bytes=p.info.bytes,
            width=p.info.width, height=p.info.height, exif_location=p.info.exif_location,
        )
        photo.original.save("original", p.upload, save=False)
        photo.save()
        task_enqueue_on_commit(photo_process_task, photo.pk)  # beat re-queues it if the broker is down


def report_create(
    *,
    category: Category,
    point: Point | None = None,
    address: str = "",
    location_text: str = "",
    description: str = "",
    answers: dict | None = None,
    photos: list | None = None,
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    channel: str = Report.Channel.WEB,
    language: str = "de",
    submission_key: str | None = None,
    owner=None,
) -> Report:
    """File a report: validate, take the location from the photo's EXIF if none given, route, save.

    `owner` is the citizen account filing it (the caller passes it only for a citizen login,
    never for staff): the report is recorded in that account (`ReportOwnership`, one insert).

    With a `submission_key` already used, the earlier report is returned unchanged (its
    `was_resubmitted` attribute is True) — a retried or offline-queued send is stored once.

    `point` is WGS 84 (lon, lat). Photos are validated here; resizing and metadata stripping
    run in Celery after commit.
    """
    if point is not None and point.srid != 4326:
        raise ValueError("report_create expects EPSG:4326")
    if submission_key:
        existing = Report.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            existing.was_resubmitted = True
            return existing
    try:
        cleaned_answers = answers_validate(questions=category.questions, answers=answers)
    except Exception as exc:  # django ValidationError with a dict
        raise ReportInputError(getattr(exc, "message_dict", {"answers": [str(exc)]})) from exc
    validated = _photos_validate(uploads=photos or [], category=category)
    location_source = "given"
    if point is None:
        exif_points = [p.info.exif_location for p in validated if p.info.exif_location is not None]
        if not exif_points:
            raise ReportInputError({"location": _("Bitte einen Ort angeben (Karte, Koordinaten oder Foto mit GPS).")})
        point, location_source = exif_points[0], "photo_exif"
    decision = _route(point=point, category=category)
    explanation = {**decision.as_explanation(), "location_source": location_source}
    if not address.strip():  # reverse lookup: the nearest house (within GEODATA["ADDRESS_NEAREST_MAX_M"])
        nearest = address_nearest(point=point)
        address = nearest.address.name if nearest else ""
    try:
        report = _report_insert(
            point=point, address=address, location_text=location_text, category=category,
            description=description, answers=cleaned_answers, decision=decision, explanation=explanation,
            reporter_name=reporter_name, reporter_email=reporter_email, reporter_phone=reporter_phone,
            channel=channel, language=language, submission_key=submission_key, validated=validated, owner=owner)
    except IntegrityError:
        # A concurrent send with the same submission_key committed first (its unique index
        # refused ours; our savepoint is rolled back): answer with the stored report.
        existing = Report.objects.filter(submission_key=submission_key).first() if submission_key else None
        if existing is None:
            raise
        existing.was_resubmitted = True
        return existing
    return report


def _report_insert(*, point, address, location_text, category, description, answers, decision, explanation,
                   reporter_name, reporter_email, reporter_phone, channel, language, submission_key,
                   validated, owner) -> Report:
    """Write a new report with its first history entry and photos, in one savepoint."""
    with transaction.atomic():
        report = Report.objects.create(
            location=point, address=address[:300], location_text=location_text[:500], category=category,
            description=description, answers=answers, department_id=decision.department_id,
            routing_explanation=explanation, reporter_name=reporter_name, reporter_email=reporter_email,
            reporter_phone=reporter_phone, channel=channel, language=language if language in ("de", "en") else "de",
            submission_key=submission_key or None,
            due_date=due_date_for(category=category, filed_at=timezone.now()),
        )
        history_record(report, kind="created", from_status="", details={"department": decision.department_slug})
        if owner is not None and not (owner.is_staff or owner.is_superuser):
            ReportOwnership.objects.create(report=report, user=owner, how=ReportOwnership.How.FILED)
        _photos_store(report=report, photos=validated)
        notify.notify_report_created(report)
    return report


def report_status_change(
    *, report: Report, to_status: str, note_public: str = "", note_internal: str = "", actor=None,
    duplicate_of: Report | None = None,
) -> StatusChange:
    """Move a report along the workflow (or add a note when `to_status` equals the current status)."""
    if to_status not in Report.Status.values:
        raise ReportInputError({"status": _("Unbekannter Status „%(s)s“.") % {"s": to_status}})
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("category", "department").get(pk=report.pk)
        previous = report.status
        if to_status != previous and to_status not in transitions_allowed(previous):
            raise TransitionNotAllowed(current=previous, requested=to_status)
        if to_status == previous and not (note_public or note_internal):
            raise ReportInputError({"status": _("Keine Änderung: gleicher Status und keine Notiz.")})
        if to_status == Report.Status.DUPLICATE:
            if duplicate_of is None or duplicate_of.pk == report.pk:
                raise ReportInputError({"duplicate_of": _("Bitte die Originalmeldung angeben.")})
            report.duplicate_of = duplicate_of
        report.status = to_status
        if to_status in CLOSED_STATUSES:
            report.closed_at = report.closed_at if previous in CLOSED_STATUSES else timezone.now()
        else:
            report.closed_at = None
        report_save(report, fields=["status", "closed_at", "duplicate_of"])
        change = history_record(
            report, kind="status", from_status=previous, note_public=note_public, note_internal=note_internal,
            actor=actor, details={"duplicate_of": duplicate_of.pk} if duplicate_of else {},
        )
        if to_status != previous or note_public:
            notify.notify_status_changed(report, note_public=note_public)
    return change


def report_reopen_by_reporter(*, report: Report, note: str) -> StatusChange:
    """The reporter says a closed report is not fixed: it comes back to its department as new.

    Status "submitted" (the back office's "neu" tab) with a new due date (the category's
    target in working days, counted from today), the reporter's note as the reason in the
    history (internal: it is their free text), and an email and webhook to the department.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update(of=("self",)).select_related("category", "department").get(
            pk=report.pk)
        if report.status not in REOPENABLE_BY_REPORTER:
            raise TransitionNotAllowed(current=report.status, requested=Report.Status.SUBMITTED)
        previous = report.status
        report.status = Report.Status.SUBMITTED
        report.closed_at = None
        report.due_date = due_date_for(category=report.category, filed_at=timezone.now())
        report.escalated_at = None
        report_save(report, fields=["status", "closed_at", "due_date", "escalated_at"])
        with translation.override(settings.LANGUAGE_CODE):  # internal notes are in the site language
            note_internal = _("Vom Meldenden wieder geöffnet: %s") % note
        change = history_record(report, kind="reopen", from_status=previous, note_internal=note_internal,
                                details={"due_date": report.due_date.isoformat()})
        notify.notify_reopened(report, note=note)
        notify.notify_followers(report)
    return change


def report_reroute(
    *, report: Report, category: Category | None = None, point: Point | None = None, reason: str = "", actor=None,
    department: Department | None = None,
) -> Report:
    """Change category, location and/or department; notify a new department.

    Without `department` the routing rules decide for the (new) category and place; with it,
    staff choose the target department themselves (the place must still lie in the city),
    and the routing explanation says so (reason "staff").
    """
    if category is None and point is None and department is None:
        raise ReportInputError({"category": _("Kategorie, Ort oder Fachbereich angeben.")})
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("category", "department").get(pk=report.pk)
        new_category = category or report.category
        new_point = point or report.location
        decision = _route(point=new_point, category=new_category)
        explanation = {**decision.as_explanation(), "location_source": "staff"}
        if department is not None:
            decision = RoutingDecision(department_id=department.pk, department_slug=department.slug,
                                       department_name=department.name, reason="staff",
                                       district=decision.district)
            explanation = {**decision.as_explanation(), "location_source": "staff"}
        previous_department = report.department
        details = {
            "from": {"category": report.category.slug, "lon": report.location.x, "lat": report.location.y,
                     "department": previous_department.slug},
            "to": {"category": new_category.slug, "lon": new_point.x, "lat": new_point.y,
                   "department": decision.department_slug},
            "reason": reason,
        }
        if new_category.pk != report.category_id:
            # The target is the new category's, counted from the day the report was filed.
            report.due_date = due_date_for(category=new_category, filed_at=report.created_at)
            report.escalated_at = None
        if decision.department_id != previous_department.pk and report.crew_id is not None:
            # A crew works for its own department only.
            details["from"]["crew"] = report.crew_id
            report.crew, report.assigned_at = None, None
        report.category, report.location = new_category, new_point
        report.department_id = decision.department_id
        report.routing_explanation = explanation
        report_save(report, fields=["category", "location", "department", "routing_explanation", "due_date",
                                    "escalated_at", "crew", "assigned_at"])
        history_record(report, kind="reroute", note_internal=reason, details=details, actor=actor)
        if decision.department_id != previous_department.pk:
            report.refresh_from_db(fields=["department"])
            notify.notify_rerouted(report, previous_department=previous_department.name)
    return report


def report_moderate(
    *, report: Report, moderation: str | None = None, public_description: str | None = None,
    photo_decisions: dict | None = None, photo_blurs: dict | None = None, actor=None,
) -> Report:
    """Approve/hide a report, set its public text, approve/reject and blur photos. The original text stays.

    `photo_blurs` maps photo ids to a box (left, top, right, bottom as fractions 0–1 of the
    picture) or None for the whole picture; the public image and thumbnail are rendered
    again, blurred, from the private original, which is not changed (`photos.photo_blur`).
    The history entry keeps the original description for staff.
    """
    photo_decisions = photo_decisions or {}
    photo_blurs = photo_blurs or {}
    if moderation is not None and moderation not in Report.Moderation.values:
        raise ReportInputError({"moderation": _("Unbekannter Moderationsstatus „%(s)s“.") % {"s": moderation}})
    for decision in photo_decisions.values():
        if decision not in (ReportPhoto.Moderation.APPROVED, ReportPhoto.Moderation.REJECTED):
            raise ReportInputError({"photos": _("Foto-Entscheidung muss approved oder rejected sein.")})
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        photos = {p.pk: p for p in report.photos.all()}
        unknown = [pk for pk in [*photo_decisions, *photo_blurs] if pk not in photos]
        if unknown:
            raise ReportInputError({"photos": _("Unbekannte Foto-IDs: %(ids)s") % {"ids": unknown}})
        details = {}
        if moderation is not None:
            details["moderation"] = [report.moderation, moderation]
            report.moderation = moderation
        if public_description is not None:
            details["public_description"] = [report.public_description, public_description]
            details["description_original"] = report.description
            report.public_description = public_description
        report_save(report, fields=["moderation", "public_description"])
        for pk, decision in photo_decisions.items():
            ReportPhoto.objects.filter(pk=pk).update(moderation=decision)
        if photo_decisions:
            details["photos"] = {str(k): v for k, v in photo_decisions.items()}
        for pk, box in photo_blurs.items():
            if photos[pk].processing != ReportPhoto.Processing.DONE:
                raise ReportInputError({"photos": _("Foto %(id)s ist noch nicht verarbeitet.") % {"id": pk}})
            try:
                photo_blur(photo=photos[pk], box=box)
            except ValueError as exc:
                raise ReportInputError({"blur": _("Ungültiger Bereich zum Verpixeln.")}) from exc
            except PhotoProcessingError as exc:
                message = _("Das Original von Foto %(id)s ist nicht lesbar.") % {"id": pk}
                raise ReportInputError({"blur": message}) from exc
        if photo_blurs:
            details["blurred"] = {str(k): list(v) if v else "all" for k, v in photo_blurs.items()}
        history_record(report, kind="moderation", details=details, actor=actor)
    return report


def supporter_key_make(*, client_token: str = "", remote_addr: str = "", user_agent: str = "") -> str:
    """A salted hash identifying a supporter without storing who they are."""
    source = client_token or f"{remote_addr}|{user_agent}"
    return hmac.new(settings.SECRET_KEY.encode(), source.encode(), hashlib.sha256).hexdigest()


def report_follow(*, report: Report, email: str, language: str = "de") -> bool:
    """Someone (a supporter) wants status changes of an open report by email; True if new.

    No double opt-in: each message carries an unsubscribe link (`notify.notify_followers`).
    """
    from notifications.services import subscription_add

    if not report.is_open:
        raise TransitionNotAllowed(current=report.status, requested="follow")
    _subscription, created = subscription_add(topic=notify.FOLLOW_TOPIC, object_id=str(report.pk), email=email,
                                              language=language)
    return created


def report_support(*, report, supporter_key: str) -> tuple:
    """Add a "me too" to `report` (a `Report` or its public view); returns (report, created).
    Closed reports cannot be supported."""
    if not report.is_open:
        raise TransitionNotAllowed(current=report.status, requested="support")
    try:
        with transaction.atomic():
            Support.objects.create(report_id=report.pk, supporter_key=supporter_key)
            Report.objects.filter(pk=report.pk).update(supporter_count=F("supporter_count") + 1)
    except IntegrityError:
        return report, False
    report.refresh_from_db(fields=["supporter_count"])
    return report, True
