"""Writes of the monitor: `ozg_service_save` (one entry, with its history row) and
`portal_services_sync` (an entry for every registered plug-in service; entries of services no
longer registered are retired). Both run in one transaction each.

A history row (`OzgServiceChange`) is written when an entry is created and whenever its status
or overall maturity level changes; it is dated `changed_on` (default: today; a new entry that is
already online with a go-live date is dated on that day, so imported services appear in the
progress chart since they went online).
"""
from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from portal.selectors import service_list

from .maturity import maturity_errors, overall_level
from .models import Origin, OzgService, OzgServiceChange, ServiceStatus

__all__ = ["ozg_service_save", "portal_services_sync"]


def _history_date(service: OzgService, *, created: bool, changed_on: date | None) -> date:
    if changed_on is not None:
        return changed_on
    if created and service.status == ServiceStatus.ONLINE and service.go_live_date:
        return service.go_live_date
    return timezone.localdate()


def ozg_service_save(*, service: OzgService, changed_on: date | None = None) -> OzgService:
    """Validate and save `service` (maturity per criterion; overall level = lowest criterion)
    and write a history row if it is new or its status or level changed. Raises
    ValidationError (nothing written) for a bad maturity assessment."""
    errors = maturity_errors(service.maturity_model, service.maturity or {})
    if errors:
        raise ValidationError({"maturity": errors})
    service.maturity_level = overall_level(service.maturity or {})
    with transaction.atomic():
        created = service.pk is None
        service.save()
        last = service.changes.order_by("-changed_on", "-id").first() if not created else None
        if last is None or (last.status, last.maturity_level) != (service.status, service.maturity_level):
            OzgServiceChange.objects.create(
                service=service, status=service.status, maturity_level=service.maturity_level,
                changed_on=_history_date(service, created=created, changed_on=changed_on))
    return service


def portal_services_sync(*, today: date | None = None) -> tuple[int, int]:
    """An entry (status online since `today`) for each registered plug-in service that has
    none; entries of plug-in services that are no longer registered become retired (and online
    again when registered again).
    Returns (created, retired)."""
    today = today or timezone.localdate()
    declared = {service.slug: service for service in service_list()}
    created = retired = 0
    with transaction.atomic():
        existing = {row.key: row for row in OzgService.objects.select_for_update()
                    .filter(Q(key__in=list(declared)) | Q(origin=Origin.PORTAL))}
        for slug, service in declared.items():
            if slug in existing:
                entry = existing[slug]
                if entry.origin == Origin.PORTAL and entry.status == ServiceStatus.RETIRED:  # registered again
                    entry.status = ServiceStatus.ONLINE
                    ozg_service_save(service=entry, changed_on=today)
                continue
            with translation.override(settings.LANGUAGE_CODE):  # stored in the source language
                title = str(service.title)[:300]
            entry = OzgService(key=slug, origin=Origin.PORTAL, title=title,
                               status=ServiceStatus.ONLINE, go_live_date=today,
                               leika_key=service.leika_key, topic=service.ozg_topic,
                               maturity_model=service.ozg_maturity_model, maturity=dict(service.ozg_maturity))
            ozg_service_save(service=entry, changed_on=today)
            created += 1
        for key, entry in existing.items():
            if entry.origin == Origin.PORTAL and key not in declared and entry.status != ServiceStatus.RETIRED:
                entry.status = ServiceStatus.RETIRED
                ozg_service_save(service=entry, changed_on=today)
                retired += 1
    return created, retired
