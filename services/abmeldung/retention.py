"""Retention of deregistrations abroad: form contents and documents are deleted
`ABMELDUNG["RETENTION_DAYS"]` days after completion (the case's `closed_at`).

What stays is the case itself with its reference, status, dates and history (events,
messages' texts), so that the office and the statistics still know it happened; what goes is
`Case.data` (replaced by a marker with the date of deletion), the description, and every file
of the case (the citizen's and the office's, e.g. the Abmeldebestätigung) from the private
storage. An event in the history records the deletion. Idempotent: a case already cleared is
not touched again. A case reopened before the deadline has no `closed_at` and is kept.
"""
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseAttachment, CaseEvent

from .conf import SERVICE, abmeldung_setting

__all__ = ["RETENTION_MARKER", "abmeldung_retention_apply"]

#: The key `Case.data` keeps after the deletion (its value: the ISO time of deletion).
RETENTION_MARKER = "contents_deleted_at"
_NOTE = "Formularinhalte und Dokumente nach Ablauf der Aufbewahrungsfrist gelöscht."


def abmeldung_retention_apply(*, now: datetime | None = None) -> int:
    """Clear the cases completed more than RETENTION_DAYS ago; returns how many were cleared."""
    now = now or timezone.now()
    deadline = now - timedelta(days=abmeldung_setting("RETENTION_DAYS"))
    due = (Case.objects.filter(service=SERVICE, closed_at__isnull=False, closed_at__lte=deadline)
           .exclude(data__has_key=RETENTION_MARKER).values_list("pk", flat=True))
    cleared = 0
    for pk in list(due):
        files = []
        with transaction.atomic():
            case = Case.objects.select_for_update().filter(pk=pk, closed_at__lte=deadline).first()
            if case is None or RETENTION_MARKER in (case.data or {}):
                continue
            attachments = list(CaseAttachment.objects.filter(case=case))
            files = [(a.file.storage, a.file.name) for a in attachments if a.file]
            CaseAttachment.objects.filter(case=case).delete()
            Case.objects.filter(pk=pk).update(data={RETENTION_MARKER: now.isoformat()}, description="",
                                              updated_at=now)
            CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, note_internal=_NOTE,
                                     details={"retention": {"files": len(attachments)}})
            transaction.on_commit(lambda files=files: _files_delete(files))
        cleared += 1
    return cleared


def _files_delete(files) -> None:
    """Remove the stored files once the rows are gone (after commit: a rollback keeps both)."""
    for storage, name in files:
        storage.delete(name)
