"""The one place that writes a report's history and bumps its version.

Every write of a report through a service increments `Report.version` (the ETag of the
field-crew API, `If-Match`) and touches `updated_at` (what sync clients ask for), and leaves
one `StatusChange` row saying what happened, by whom. Services call these helpers inside
their transaction instead of writing the three steps themselves.
"""
from collections.abc import Iterable

from django.db.models import F
from django.utils import timezone

from .models import Report, StatusChange

__all__ = ["actor_or_none", "report_save", "reports_update", "history_entry", "history_record",
           "history_record_many"]


def actor_or_none(actor):
    """The user to record as actor: anonymous users and None are recorded as nobody."""
    return actor if getattr(actor, "is_authenticated", False) else None


def report_save(report: Report, *, fields: Iterable[str]) -> None:
    """Save `fields` of a (locked) report, increment its version and touch `updated_at`."""
    report.version += 1
    report.save(update_fields=sorted({*fields, "updated_at", "version"}))


def reports_update(report_ids: Iterable[int], **values) -> int:
    """One UPDATE of several reports: `values`, version + 1, updated_at now; returns the row count."""
    return Report.objects.filter(pk__in=list(report_ids)).update(
        **values, version=F("version") + 1, updated_at=timezone.now())


def history_entry(
    report: Report, *, kind: str, actor=None, from_status: str | None = None, to_status: str | None = None,
    note_public: str = "", note_internal: str = "", details: dict | None = None,
) -> StatusChange:
    """An unsaved history row; statuses default to the report's current one (no status change)."""
    return StatusChange(
        report=report, kind=kind, actor=actor_or_none(actor),
        from_status=report.status if from_status is None else from_status,
        to_status=report.status if to_status is None else to_status,
        note_public=note_public, note_internal=note_internal, details=details or {},
    )


def history_record(report: Report, **fields) -> StatusChange:
    """Write one history row (arguments of `history_entry`)."""
    entry = history_entry(report, **fields)
    entry.save()
    return entry


def history_record_many(entries: list[StatusChange]) -> list[StatusChange]:
    """Write several `history_entry` rows in one INSERT."""
    return StatusChange.objects.bulk_create(entries)
