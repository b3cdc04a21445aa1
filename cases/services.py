"""Writes of the case lifecycle: create, change status, messages, departments, notes, merge,
reassign.

Each service runs in one transaction and writes a `CaseEvent`; notifications go through the
outbox (`cases.notify`) and are sent only after commit, so a rolled-back write sends
nothing. Errors are the classes of `cases.errors` (400/404/409/413/415). Attachments are
checked (`cases.attachments`) before anything is written.
"""
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from reporter.service_levels import working_days_add
from routing_rules.models import Department

from . import notify
from .attachments import AttachmentInfo, attachments_validate
from .delivery import case_deliver
from .errors import CaseInputError, TransitionNotAllowed
from .models import Case, CaseAttachment, CaseDepartment, CaseEvent, CaseLink, CaseMessage
from .selectors import case_for_token
from .types import CaseType, case_type_get

__all__ = [
    "case_create", "case_status_change", "case_message_add", "case_department_add", "case_department_done",
    "case_note_add", "case_merge_into", "case_reassign", "reference_next", "case_message_add_by_token",
    "case_messages_mark_read", "case_messages_mark_read_by_token", "case_link_add", "case_link_remove",
]


# Longest accepted input per field (characters): the column sizes of `Case`.
_MAX_LENGTHS = {"title": 200, "contact_name": 200, "contact_email": 254, "contact_phone": 50, "form_version": 60,
                "submission_key": 100, "description": 20000}


def _text(value, *, field: str, max_length: int | None = None) -> str:
    """`value` stripped; CaseInputError (400) for NUL characters (PostgreSQL text cannot hold
    them) or text longer than `max_length`."""
    value = str(value or "").strip()
    if "\x00" in value:
        raise CaseInputError(_("Der Text enthält ein unzulässiges Zeichen."), field=field)
    max_length = max_length or _MAX_LENGTHS.get(field)
    if max_length and len(value) > max_length:
        raise CaseInputError(_("Der Text ist zu lang (höchstens %(n)s Zeichen).") % {"n": max_length}, field=field)
    return value


def _case_type(service: str) -> CaseType:
    case_type = case_type_get(service)
    if case_type is None:
        raise CaseInputError(_("Diese Leistung nimmt keine Vorgänge an."), field="service")
    return case_type


def reference_next(*, prefix: str, year: int) -> str:
    """The next reference number "<PREFIX>-<YEAR>-<6 digits>" (e.g. "AN-2026-000042").

    One UPDATE … RETURNING on the counter row of the prefix and year: it holds the row lock
    until commit, so two cases never get the same number; a rolled-back case leaves a gap.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_referencecounter (prefix, year, last) VALUES (%s, %s, 0) "
            "ON CONFLICT (prefix, year) DO NOTHING", [prefix, year])
        cursor.execute(
            "UPDATE cases_referencecounter SET last = last + 1 WHERE prefix = %s AND year = %s RETURNING last",
            [prefix, year])
        (number,) = cursor.fetchone()
    return f"{prefix}-{year}-{number:06d}"


def _attachments_store(*, case: Case, files: list[AttachmentInfo], uploaded_by: str, message=None) -> None:
    for info in files:
        info.upload.seek(0)
        attachment = CaseAttachment(case=case, message=message, original_name=info.original_name,
                                    content_type=info.content_type, size=info.size, uploaded_by=uploaded_by)
        attachment.file.save("attachment", info.upload, save=False)
        attachment.save()


def _bump(case: Case) -> None:
    """Count a write in `version` (the ETag) and touch updated_at."""
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1, updated_at=timezone.now())
    case.version += 1


def _locked(case: Case) -> Case:
    """The case re-read under a row lock (concurrent writes to one case queue up)."""
    return Case.objects.select_for_update(of=("self",)).select_related("department", "owner").get(pk=case.pk)


def _resent(existing: Case, *, service: str) -> tuple[Case, bool]:
    """The answer to a re-send: the stored case, if it is of the same service. A key of another
    service's case is refused (409) rather than handing that case (and its tracking link) out."""
    if existing.service != service:
        raise TransitionNotAllowed(_("Diese Einsendung wurde bereits für eine andere Leistung verwendet."),
                                   field="submission_key")
    return existing, False


def case_create(
    *,
    service: str,
    department: Department,
    title: str = "",
    description: str = "",
    data: dict | None = None,
    form_version: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    owner=None,
    channel: str = Case.Channel.WEB,
    language: str = "de",
    submission_key: str | None = None,
    attachments=(),
    participants=(),
    actor=None,
) -> tuple[Case, bool]:
    """File a case of the service `service` with its lead department; returns (case, created).

    A re-send with the same `submission_key` returns the case stored first (created False),
    also when both arrive at the same time; the key is the client's secret (a random UUID),
    since a re-send is answered with the stored case. `participants` are further departments (routing
    rules naming several). Attachments are checked before anything is written. A delivery
    route configured for the department takes the case on commit (`cases.delivery`).
    """
    case_type = _case_type(service)
    if channel not in Case.Channel.values:
        raise CaseInputError(_("Unbekannter Eingangskanal."), field="channel")
    title, description = _text(title, field="title"), _text(description, field="description")
    contact_name, contact_phone = _text(contact_name, field="contact_name"), _text(contact_phone, field="contact_phone")
    contact_email, form_version = _text(contact_email, field="contact_email"), _text(form_version, field="form_version")
    submission_key = _text(submission_key, field="submission_key") or None
    if submission_key:
        existing = Case.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return _resent(existing, service=service)
    files = attachments_validate(uploads=attachments)
    try:
        with transaction.atomic():
            now = timezone.now()
            today = timezone.localdate(now)
            case = Case.objects.create(
                service=service, reference=reference_next(prefix=case_type.reference_prefix, year=today.year),
                submission_key=submission_key, status=case_type.initial_status, department=department,
                title=title, description=description, data=data or {}, form_version=form_version,
                contact_name=contact_name, contact_email=contact_email, contact_phone=contact_phone, owner=owner,
                channel=channel, language=language if language in ("de", "en") else "de",
                due_date=working_days_add(today, case_type.sla_days) if case_type.sla_days is not None else None,
            )
            CaseDepartment.objects.create(case=case, department=department, role=CaseDepartment.Role.LEAD)
            for other in participants:
                if other.pk != department.pk:
                    CaseDepartment.objects.get_or_create(case=case, department=other,
                                                         defaults={"role": CaseDepartment.Role.PARTICIPANT})
            CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.CREATED, to_status=case.status, actor=actor,
                                     details={"channel": channel})
            _attachments_store(case=case, files=files, uploaded_by=(
                CaseAttachment.UploadedBy.STAFF if actor is not None else CaseAttachment.UploadedBy.CITIZEN))
            case_deliver(case)
    except IntegrityError:
        # A concurrent re-send with the same key committed first: answer with its case.
        if submission_key:
            existing = Case.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return _resent(existing, service=service)
        raise
    return case, True


def case_status_change(*, case: Case, status: str, actor=None, note_public: str = "",
                       note_internal: str = "", expected_version: int | None = None) -> Case:
    """Move a case along its type's workflow; TransitionNotAllowed (409) otherwise, also when
    `expected_version` (the version the clerk saw, the ETag) is no longer current.
    Entering a closed status sets closed_at, leaving one clears it. The citizen is emailed
    when their overall status changes or a public note is added (unless they switched
    notifications off for the case)."""
    case_type = _case_type(case.service)
    note_public = _text(note_public, field="note_public", max_length=10000)
    note_internal = _text(note_internal, field="note_internal", max_length=10000)
    with transaction.atomic():
        case = _locked(case)
        if expected_version is not None and expected_version != case.version:
            raise TransitionNotAllowed(_("Der Vorgang wurde inzwischen geändert. Bitte prüfen Sie den neuen Stand."),
                                       field="status")
        if status not in case_type.transitions_from(case.status):
            raise TransitionNotAllowed(
                _("Der Status „%(from)s“ kann nicht zu „%(to)s“ geändert werden.")
                % {"from": case_type.status_label(case.status), "to": case_type.status_label(status)},
                field="status")
        old = case.status
        case.status = status
        case.closed_at = timezone.now() if case_type.is_closed(status) else None
        case.save(update_fields=["status", "closed_at"])
        _bump(case)
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.STATUS, from_status=old, to_status=status,
                                 note_public=note_public, note_internal=note_internal, actor=actor)
        # Internal steps that read the same to the citizen (public_labels) send nothing.
        if note_public or case_type.public_status_label(old) != case_type.public_status_label(status):
            notify.notify_citizen_status(case)
    return case


def case_message_add(*, case: Case, body: str, direction: str, author=None, attachments=()) -> CaseMessage:
    """Add a message: to the citizen (who is emailed the tracking link) or from the citizen
    (the lead department is emailed). Closed cases take no messages from the citizen."""
    body = _text(body, field="body", max_length=10000)
    if not body:
        raise CaseInputError(_("Bitte schreiben Sie eine Nachricht."), field="body")
    if direction not in CaseMessage.Direction.values:
        raise CaseInputError(_("Unbekannte Richtung der Nachricht."), field="direction")
    files = attachments_validate(uploads=attachments)
    case_type = _case_type(case.service)
    with transaction.atomic():
        case = _locked(case)
        from_citizen = direction == CaseMessage.Direction.FROM_CITIZEN
        if from_citizen and case_type.is_closed(case.status):
            raise TransitionNotAllowed(_("Dieser Vorgang ist abgeschlossen und nimmt keine Nachrichten mehr an."),
                                       field="body")
        message = CaseMessage.objects.create(case=case, direction=direction, body=body, author=author)
        _attachments_store(case=case, files=files, message=message, uploaded_by=(
            CaseAttachment.UploadedBy.CITIZEN if from_citizen else CaseAttachment.UploadedBy.STAFF))
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.MESSAGE, actor=author,
                                 details={"direction": direction, "message": message.pk})
        _bump(case)
        if from_citizen:
            notify.notify_department_message(case)
        else:
            notify.notify_citizen_message(case)
    return message


def case_department_add(*, case: Case, department: Department, actor=None, note: str = "") -> CaseDepartment:
    """A clerk asks another department to take part; it is notified. 409 if it already does."""
    note = _text(note, field="note", max_length=2000)
    with transaction.atomic():
        case = _locked(case)
        if case.participations.filter(department=department).exists():
            raise TransitionNotAllowed(_("Der Fachbereich %(name)s ist bereits beteiligt.") % {"name": department.name},
                                       field="department")
        participation = CaseDepartment.objects.create(case=case, department=department, added_by=actor,
                                                      role=CaseDepartment.Role.PARTICIPANT, note=note.strip())
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.DEPARTMENT, actor=actor, note_internal=note.strip(),
                                 details={"added": department.slug})
        _bump(case)
        notify.notify_department_added(case, department)
    return participation


def case_department_done(*, case: Case, department: Department, actor=None, note: str = "") -> CaseDepartment:
    """A participating department marks its part done (409 if it is not open or is the lead)."""
    note = _text(note, field="note", max_length=2000)
    with transaction.atomic():
        case = _locked(case)
        participation = case.participations.select_for_update().filter(
            department=department, role=CaseDepartment.Role.PARTICIPANT, state=CaseDepartment.State.OPEN).first()
        if participation is None:
            raise TransitionNotAllowed(_("Dieser Fachbereich hat hier keinen offenen Teil."), field="department")
        participation.state = CaseDepartment.State.DONE
        participation.save(update_fields=["state"])
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.DEPARTMENT, actor=actor, note_internal=note.strip(),
                                 details={"done": department.slug})
        _bump(case)
    return participation


def case_note_add(*, case: Case, note: str, actor=None) -> CaseEvent:
    """An internal note (never shown to the citizen)."""
    note = _text(note, field="note", max_length=10000)
    if not note:
        raise CaseInputError(_("Bitte schreiben Sie eine Notiz."), field="note")
    with transaction.atomic():
        case = _locked(case)
        event = CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, note_internal=note, actor=actor)
        _bump(case)
    return event


def case_merge_into(*, case: Case, original: Case, actor=None, note_public: str = "") -> Case:
    """Close `case` as a duplicate of `original` (same service, not itself, not closed): the
    merged status of its type, a link to the original, an event on both."""
    case_type = _case_type(case.service)
    note_public = _text(note_public, field="note_public", max_length=10000)
    if original.pk == case.pk:
        raise CaseInputError(_("Ein Vorgang kann nicht mit sich selbst zusammengeführt werden."), field="original")
    if original.service != case.service:
        raise CaseInputError(_("Nur Vorgänge derselben Leistung können zusammengeführt werden."), field="original")
    if not case_type.merged_status:
        raise TransitionNotAllowed(_("Vorgänge dieser Leistung können nicht zusammengeführt werden."),
                                   field="original")
    with transaction.atomic():
        case = _locked(case)
        if case_type.is_closed(case.status):
            raise TransitionNotAllowed(_("Dieser Vorgang ist bereits abgeschlossen."), field="original")
        old = case.status
        case.status = case_type.merged_status
        case.merged_into = original
        case.closed_at = timezone.now()
        case.save(update_fields=["status", "merged_into", "closed_at"])
        _bump(case)
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.MERGE, from_status=old, to_status=case.status,
                                 actor=actor, note_public=note_public.strip(),
                                 details={"into": original.reference})
        CaseEvent.objects.create(case=original, kind=CaseEvent.Kind.MERGE, actor=actor,
                                 details={"duplicate": case.reference})
    return case


def case_reassign(*, case: Case, department: Department, reason: str, actor=None) -> Case:
    """Give the lead to another department; a reason is required (kept internal)."""
    reason = _text(reason, field="reason", max_length=2000)
    if not reason:
        raise CaseInputError(_("Bitte geben Sie einen Grund für die Weiterleitung an."), field="reason")
    with transaction.atomic():
        case = _locked(case)
        if department.pk == case.department_id:
            raise CaseInputError(_("Der Vorgang liegt bereits bei diesem Fachbereich."), field="department")
        old = case.department
        case.participations.filter(department=department).delete()
        case.participations.filter(role=CaseDepartment.Role.LEAD).update(department=department,
                                                                          state=CaseDepartment.State.OPEN)
        case.department = department
        case.save(update_fields=["department"])
        _bump(case)
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.ASSIGN, actor=actor, note_internal=reason,
                                 details={"from": old.slug, "to": department.slug})
    return case


def _link_pair(case: Case, other: Case) -> tuple[int, int]:
    if other.pk == case.pk:
        raise CaseInputError(_("Ein Vorgang kann nicht mit sich selbst verknüpft werden."), field="other")
    return (case.pk, other.pk) if case.pk < other.pk else (other.pk, case.pk)


def case_link_add(*, case: Case, other: Case, actor=None) -> CaseLink:
    """Link two related cases (both stay as they are; merging is `case_merge_into`): one row
    for the pair, an event on each. 409 if they are linked already."""
    first, second = _link_pair(case, other)
    with transaction.atomic():
        case = _locked(case)
        if CaseLink.objects.filter(first_id=first, second_id=second).exists():
            raise TransitionNotAllowed(_("Die Vorgänge %(a)s und %(b)s sind bereits verknüpft.")
                                       % {"a": case.reference, "b": other.reference}, field="other")
        link = CaseLink.objects.create(first_id=first, second_id=second, created_by=actor)
        for this, that in ((case, other), (other, case)):
            CaseEvent.objects.create(case=this, kind=CaseEvent.Kind.LINK, actor=actor,
                                     details={"linked": that.reference})
        _bump(case)
    return link


def case_link_remove(*, case: Case, other: Case, actor=None) -> None:
    """Remove the link between two cases (an event on each); 404-like input error if none."""
    first, second = _link_pair(case, other)
    with transaction.atomic():
        case = _locked(case)
        deleted, _rows = CaseLink.objects.filter(first_id=first, second_id=second).delete()
        if not deleted:
            raise CaseInputError(_("Diese Vorgänge sind nicht verknüpft."), field="other")
        for this, that in ((case, other), (other, case)):
            CaseEvent.objects.create(case=this, kind=CaseEvent.Kind.LINK, actor=actor,
                                     details={"unlinked": that.reference})
        _bump(case)


def case_message_add_by_token(*, token: str, body: str, attachments=()) -> CaseMessage:
    """A citizen's answer from the tracking page: the case is found by its tracking token
    (CaseNotFound, 404, otherwise)."""
    case = case_for_token(token=token)
    return case_message_add(case=case, body=body, direction=CaseMessage.Direction.FROM_CITIZEN,
                            attachments=attachments)


def case_messages_mark_read(*, case_id: int, direction: str) -> int:
    """Mark the unread messages of one direction read now (the recipient opened the case);
    returns how many. No event and no new version: reading changes nothing of the case."""
    with transaction.atomic():
        return CaseMessage.objects.filter(case_id=case_id, direction=direction, read_at__isnull=True).update(
            read_at=timezone.now())


def case_messages_mark_read_by_token(*, token: str) -> int:
    """The citizen opened the tracking page: the department's messages are read."""
    case = case_for_token(token=token)
    return case_messages_mark_read(case_id=case.pk, direction=CaseMessage.Direction.TO_CITIZEN)
