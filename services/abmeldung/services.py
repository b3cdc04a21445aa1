"""Writes of the deregistration abroad: make sure the form is in the database, and file one.

`abmeldung_file` checks what the form definition cannot say — the moving date's window of
§ 17 (2) BMG (deregistration at the earliest one week before and at the latest two weeks after
moving out, so the date lies between 14 days before and 7 days after today, local date) and a
country other than Germany — and files the case through `cases.services.case_create` (one
transaction; a re-send with the same submission key stores one case). Errors are
`cases.errors.CaseInputError` (400) with the field they are about.
"""
import json
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cases.errors import CaseError, CaseInputError
from cases.models import Case
from cases.services import case_create
from eforms.models import FormDefinition
from eforms.selectors import definition_current
from eforms.services import form_definition_create
from routing_rules.models import Department
from services.meldewesen import RegisteredPerson

from .conf import SERVICE, abmeldung_setting

__all__ = ["DAYS_AFTER_MOVE", "DAYS_BEFORE_MOVE", "DEFINITION_FILE", "abmeldung_file", "form_definition_ensure",
           "move_date_window"]

DEFINITION_FILE = Path(__file__).resolve().parents[2] / "eforms" / "definitions" / "abmeldung.json"
#: § 17 (2) BMG: at the earliest one week before moving out, at the latest two weeks after.
DAYS_BEFORE_MOVE = 7
DAYS_AFTER_MOVE = 14


class ServiceUnavailable(CaseError):
    """The registration office is not configured (503)."""

    status_code = 503


def form_definition_ensure() -> FormDefinition:
    """The newest active version of the form; version 1 from the bundled file if there is none."""
    slug = abmeldung_setting("FORM_SLUG")
    current = definition_current(slug=slug)
    if current is not None:
        return current
    with transaction.atomic():
        return form_definition_create(slug=slug, definition=json.loads(DEFINITION_FILE.read_text(encoding="utf-8")))


def move_date_window(today: date | None = None) -> tuple[date, date]:
    """The earliest and latest moving date one may deregister for today (both included)."""
    today = today or timezone.localdate()
    return today - timedelta(days=DAYS_AFTER_MOVE), today + timedelta(days=DAYS_BEFORE_MOVE)


def _department() -> Department:
    department = Department.objects.filter(slug=abmeldung_setting("DEPARTMENT")).first()
    if department is None:
        raise ServiceUnavailable(_("Diese Leistung ist im Moment nicht verfügbar. Bitte versuchen Sie es später."))
    return department


def abmeldung_file(*, person: RegisteredPerson, values: dict, owner, contact_email: str = "", language: str = "de",
                   submission_key: str | None = None, form_version: str = "") -> tuple[Case, bool]:
    """File a deregistration abroad; returns (case, created)."""
    earliest, latest = move_date_window()
    try:
        moved = date.fromisoformat(str(values.get("move_date") or ""))
    except ValueError:
        raise CaseInputError(_("Bitte geben Sie den Tag des Auszugs an."), field="move_date") from None
    if not earliest <= moved <= latest:
        raise CaseInputError(
            _("Der Tag des Auszugs muss zwischen dem %(earliest)s und dem %(latest)s liegen: Die Abmeldung ist "
              "frühestens eine Woche vor und spätestens zwei Wochen nach dem Auszug möglich.")
            % {"earliest": formats.date_format(earliest, "d.m.Y"), "latest": formats.date_format(latest, "d.m.Y")},
            field="move_date")
    if values.get("new_country") == "DE":
        raise CaseInputError(_("Bitte wählen Sie den Staat im Ausland, in den Sie ziehen. Für einen Umzug innerhalb "
                               "Deutschlands melden Sie sich am neuen Wohnort an."), field="new_country")
    department = _department()
    data = {"move_date": moved.isoformat(), "person": person.as_data(),
            "new_address": {"street": values["new_street"], "postcode": values.get("new_postcode") or "",
                            "city": values["new_city"], "country": values["new_country"]},
            "members": values.get("members") or [], "documents": values.get("documents") or []}
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Abmeldung ins Ausland")
    return case_create(service=SERVICE, department=department, title=title, data=data, form_version=form_version,
                       contact_name=person.full_name, contact_email=contact_email, owner=owner, language=language,
                       submission_key=submission_key)
