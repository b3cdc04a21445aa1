"""The application for a card and the social welfare office's decision on it.

`application_file` files the case (service "sozialcard", lead department: the programme's
deciding office) through `cases.services.case_create`: one transaction, the proof checked
before anything is written, a re-send with the same submission key stored once. What the
form cannot say is checked here: every person at least the programme's minimum age today,
no person twice. The case keeps the persons and the benefit type for the office; the cards
keep neither.

The clerk decides (`application_approve`, `application_proof_request`, `application_reject`):
approval issues one card per person with the validity the clerk sets (at most the
programme's longest) and closes the case; a missing proof is asked for through the case's
messages; a rejection closes the case with the reason as a public note.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.errors import CaseInputError
from cases.models import Case, CaseMessage
from cases.services import case_create, case_link_add, case_message_add, case_status_change
from eforms.models import FormDefinition
from eforms.selectors import definition_current
from eforms.services import form_definition_create

from .conf import SERVICE, sozialcard_setting
from .errors import CardInvalid
from .models import Card, DiscountCategory, Programme
from .services import card_issue

__all__ = ["DEFINITION_FILE", "PersonDecision", "application_approve", "application_file",
           "application_persons", "application_proof_request", "application_reject", "form_definition_ensure"]

DEFINITION_FILE = Path(__file__).resolve().parents[2] / "eforms" / "definitions" / "sozialcard.json"


def form_definition_ensure() -> FormDefinition:
    """The newest active version of the form; version 1 from the bundled file if there is none."""
    slug = sozialcard_setting("FORM_SLUG")
    current = definition_current(slug=slug)
    if current is not None:
        return current
    with transaction.atomic():
        return form_definition_create(slug=slug, definition=json.loads(DEFINITION_FILE.read_text(encoding="utf-8")))


def _age_on(birthdate: date, day: date) -> int:
    return day.year - birthdate.year - ((day.month, day.day) < (birthdate.month, birthdate.day))


def _persons(values: dict) -> list[dict]:
    applicant = {key: values.get(key) for key in ("given_name", "family_name", "birthdate")}
    members = [{key: member.get(key) for key in ("given_name", "family_name", "birthdate")}
               for member in values.get("members") or []]
    return [{key: str(value or "").strip() for key, value in person.items()} for person in [applicant, *members]]


def application_file(*, programme: Programme, values: dict, owner, language: str = "de",
                     submission_key: str | None = None, form_version: str = "",
                     renewal_of: Case | None = None) -> tuple[Case, bool]:
    """File an application for the cards of `values` (the validated form); returns
    (case, created). CaseInputError (400) for a person below the minimum age or named twice.
    `renewal_of`: the earlier application this one renews — named in the data and linked to
    the new case (one transaction)."""
    today = timezone.localdate()
    persons = _persons(values)
    seen = set()
    for index, person in enumerate(persons):
        field = "birthdate" if index == 0 else f"members-{index - 1}-birthdate"
        try:
            born = date.fromisoformat(person["birthdate"])
        except ValueError:
            raise CaseInputError(_("Bitte geben Sie das Geburtsdatum an."), field=field) from None
        if _age_on(born, today) < programme.minimum_age:
            raise CaseInputError(
                _("%(name)s ist jünger als %(age)s Jahre: Eine Karte gibt es erst ab %(age)s Jahren.")
                % {"name": person["given_name"], "age": programme.minimum_age}, field=field)
        identity = (person["given_name"].casefold(), person["family_name"].casefold(), person["birthdate"])
        if identity in seen:
            raise CaseInputError(_("%(name)s steht zweimal im Antrag.") % {"name": person["given_name"]}, field=field)
        seen.add(identity)
    applicant = persons[0]
    data = {"programme": programme.slug, "persons": persons, "benefit": values.get("benefit"),
            "declaration": bool(values.get("declaration"))}
    if renewal_of is not None:
        data["renewal_of"] = renewal_of.reference
    with transaction.atomic():
        case, created = case_create(
            service=SERVICE, department=programme.department,
            title=ngettext("%(programme)s für %(count)s Person", "%(programme)s für %(count)s Personen",
                           len(persons)) % {"programme": programme.name_de, "count": len(persons)},
            data=data, form_version=form_version,
            contact_name=f"{applicant['given_name']} {applicant['family_name']}",
            contact_email=values.get("email") or "", owner=owner, language=language, submission_key=submission_key,
            attachments=values.get("proof") or [])
        if created and renewal_of is not None:
            case_link_add(case=case, other=renewal_of)
    return case, created


def application_persons(case: Case) -> list[dict]:
    """The persons of an application (first name, family name, date of birth as ISO text)."""
    return list(case.data.get("persons") or [])


@dataclass(frozen=True)
class PersonDecision:
    """The clerk's decision for one person of an application: a card or none."""

    index: int
    approved: bool
    category: DiscountCategory | None = None
    valid_from: date | None = None
    valid_until: date | None = None


def application_approve(*, case: Case, decisions: list[PersonDecision], actor) -> list[Card]:
    """Approve: one card per approved person (validity as decided, checked by `card_issue`),
    the case to "approved". At least one person; CardInvalid / CaseInputError name the
    person's fields (`p<index>-…`). One transaction: one wrong person, no card at all."""
    programme = Programme.objects.get(slug=case.data.get("programme"))
    persons = application_persons(case)
    chosen = [decision for decision in decisions if decision.approved]
    if not chosen:
        raise CaseInputError(_("Bitte wählen Sie mindestens eine Person, die eine Karte bekommt."), field="p0-approved")
    with transaction.atomic():
        cards = []
        for decision in chosen:
            person = persons[decision.index]
            if decision.category is None or decision.valid_from is None or decision.valid_until is None:
                raise CaseInputError(_("Bitte geben Sie für %(name)s Ermäßigungsstufe und Gültigkeit an.")
                                     % {"name": person["given_name"]}, field=f"p{decision.index}-valid_from")
            try:
                cards.append(card_issue(
                    programme=programme, category=decision.category, given_name=person["given_name"],
                    family_name=person["family_name"], birthdate=date.fromisoformat(person["birthdate"]),
                    valid_from=decision.valid_from, valid_until=decision.valid_until, owner=case.owner, case=case))
            except CardInvalid as exc:  # say whose card it is
                raise CardInvalid(f"{person['given_name']}: {exc.message}",
                                  field=f"p{decision.index}-{exc.field}") from None
        names = ", ".join(card.given_name for card in cards)
        case_status_change(case=case, status="approved", actor=actor, note_public=_(
            "Bewilligt: Karten für %(names)s. Sie finden sie in Ihrem Konto unter „Meine Karten“.") % {"names": names})
    return cards


def application_proof_request(*, case: Case, text: str, actor) -> Case:
    """Ask for a missing proof: a message to the citizen and the case to "proof_missing"."""
    if not (text or "").strip():
        raise CaseInputError(_("Bitte schreiben Sie, welcher Nachweis fehlt."), field="text")
    with transaction.atomic():
        case_message_add(case=case, body=text, direction=CaseMessage.Direction.TO_CITIZEN, author=actor)
        return case_status_change(case=case, status="proof_missing", actor=actor)


def application_reject(*, case: Case, reason: str, actor) -> Case:
    """Reject with a reason (the citizen reads it as the public note of the status)."""
    if not (reason or "").strip():
        raise CaseInputError(_("Bitte geben Sie einen Grund für die Ablehnung an."), field="reason")
    return case_status_change(case=case, status="rejected", actor=actor, note_public=reason)
