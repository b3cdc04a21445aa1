"""Writes of the Open311 interface: issuing client keys and filing service requests.

A service request is filed through `reporter.services.report_create` (validation of the
category's questions, routing, due date, notifications on commit) with channel "api", and
the client that sent it is recorded, in one transaction.
"""
import secrets

from django.db import transaction
from django.utils import timezone

from reporter.models import Report
from reporter.services import report_create

from .models import Open311Client, Open311Submission
from .params import ServiceRequestInput

__all__ = ["client_create", "service_request_create"]


def client_create(*, name: str) -> tuple[Open311Client, str]:
    """A new client with a fresh key. Returns the row and the key, which is not stored and
    cannot be shown again."""
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        client = Open311Client.objects.create(name=name, key_hash=Open311Client.digest(raw), key_prefix=raw[:8])
    return client, raw


def service_request_create(*, client: Open311Client, data: ServiceRequestInput, language: str = "de") -> Report:
    """File the report `data` describes on behalf of `client`.

    Raises what `report_create` raises (ReportInputError, PhotoError) before anything is
    written.
    """
    with transaction.atomic():
        report = report_create(
            category=data.category, point=data.point, address=data.address, description=data.description,
            answers=data.answers, photos=data.photos, reporter_name=data.reporter_name,
            reporter_email=data.reporter_email, reporter_phone=data.reporter_phone,
            channel=Report.Channel.API, language=language,
        )
        Open311Submission.objects.create(client=client, report=report)
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return report
