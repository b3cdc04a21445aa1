"""Writes of the general request: file one (online or recorded by a clerk), and make sure the
form definition is in the database.

`anliegen_file` checks the topic, chooses the department by the topic rules (or takes the
one a clerk picked) and files the case through `cases.services.case_create` (one
transaction, attachments checked first, a re-send with the same submission key returns the
case stored first). Errors are `cases.errors.CaseError` (400/409/413/415, German message).
"""
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from cases.errors import CaseInputError
from cases.models import Case
from cases.services import case_create
from eforms.models import FormDefinition
from eforms.selectors import definition_current
from eforms.services import form_definition_create
from routing_rules.models import Department

from .conf import SERVICE, anliegen_setting
from .routing import definition_bundled, department_for, topic_choices

__all__ = ["anliegen_file", "form_definition_ensure"]


def form_definition_ensure() -> FormDefinition:
    """The newest active version of the form; version 1 from the bundled file if there is none."""
    slug = anliegen_setting("FORM_SLUG")
    current = definition_current(slug=slug)
    if current is not None:
        return current
    with transaction.atomic():
        return form_definition_create(slug=slug, definition=definition_bundled())


def anliegen_file(
    *,
    topic: str,
    description: str,
    title: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    attachments=(),
    owner=None,
    channel: str = Case.Channel.WEB,
    language: str = "de",
    submission_key: str | None = None,
    department: Department | None = None,
    form_version: str = "",
    data: dict | None = None,
    actor=None,
) -> tuple[Case, bool]:
    """File a general request; returns (case, created). `department` None: the topic rules
    decide on the title and the description (else the triage department); a clerk may name
    one instead. `title` empty: the topic's label (a mail's subject is its title)."""
    with translation.override(settings.LANGUAGE_CODE):  # stored for the clerks: the site's language
        topics = dict(topic_choices())
        triage_note = _("Triage (keine Themenregel passt)")
    if topic not in topics:
        raise CaseInputError(_("Bitte wählen Sie ein Thema."), field="topic")
    description = str(description or "").strip()
    if not description:
        raise CaseInputError(_("Bitte beschreiben Sie Ihr Anliegen."), field="description")
    routed_by = ""
    if department is None:
        decision = department_for(topic=topic, text=f"{title}\n{description}")
        department = decision.department
        routed_by = decision.rule.name if decision.rule else triage_note
    values = {"topic": topic, **(data or {})}
    if routed_by:
        values["routed_by"] = routed_by
    return case_create(
        service=SERVICE, department=department, title=(title or str(topics[topic]))[:200], description=description,
        data=values, form_version=form_version, contact_name=contact_name, contact_email=contact_email,
        contact_phone=contact_phone, owner=owner, channel=channel, language=language,
        submission_key=submission_key, attachments=attachments, actor=actor,
    )
