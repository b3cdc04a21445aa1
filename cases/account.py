"""The citizen account's part of cases: the section "Meine Anliegen und Anträge" of `/konto/`,
the owner's reads (their cases, the department's documents) and writes (email notifications
per case), and the data export (DSGVO Art. 15) and erasure (Art. 17) of a citizen's cases.

`cases.portal_hooks` registers the hook functions; the account never imports cases. Every
read here is scoped to `owner=user`: another citizen's case is CaseNotFound (404), whether it
exists or not.

Erasure keeps the case for the department (its file, DSGVO Art. 17 (3) b: the city keeps it
under its records retention rules) but without the person's account and contact data; see
docs/cases.md.
"""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.sections import AccountSection
from portal.selectors import service_titles

from .errors import CaseNotFound
from .models import Case, CaseAttachment, CaseDepartment, CaseEvent, CaseMessage
from .selectors import case_for_token, case_list_for_owner, case_overall_status

__all__ = [
    "account_section", "case_account_erase", "case_account_export", "case_attachment_get_for_owner",
    "case_get_for_owner", "case_list_for_account", "case_notify_set", "case_notify_set_by_token",
]

# Longest reference accepted in a URL ("<PREFIX>-<YEAR>-<6 digits>" is 16; the column holds 32).
_REFERENCE_MAX = 32


def _owned(user):
    """The cases of `user` (none for anonymous visitors)."""
    if user is None or not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(owner=user)


def case_list_for_account(*, user) -> list[Case]:
    """The cases of a citizen account, newest first, for the account page: each with
    `unread_messages` (the department's messages the citizen has not opened yet) and
    `documents` (the files a department sent with its messages). Three queries in all."""
    unread = Count("messages", filter=Q(messages__direction=CaseMessage.Direction.TO_CITIZEN,
                                        messages__read_at__isnull=True))
    documents = CaseAttachment.objects.filter(uploaded_by=CaseAttachment.UploadedBy.STAFF,
                                              message__isnull=False).only(
        "pk", "case_id", "original_name", "content_type", "size", "created_at")
    return list(
        _owned(user)
        .only("pk", "reference", "service", "title", "status", "created_at", "tracking_token", "notify_citizen")
        .annotate(unread_messages=unread)
        .prefetch_related(
            Prefetch("participations", queryset=CaseDepartment.objects.only("pk", "case_id", "role", "state")),
            Prefetch("attachments", queryset=documents, to_attr="documents"),
        )
        .order_by("-created_at", "-pk")
    )


def case_get_for_owner(*, user, reference: str) -> Case:
    """The case with this reference number if `user` owns it; CaseNotFound (404) otherwise."""
    reference = str(reference or "")[:_REFERENCE_MAX]
    case = _owned(user).filter(reference=reference).first()
    if case is None:
        raise CaseNotFound()
    return case


def case_attachment_get_for_owner(*, user, reference: str, pk: int) -> CaseAttachment:
    """A file of a message of the owner's case (the files the tracking page offers, the
    department's documents among them); CaseNotFound (404) for anyone else."""
    cases = _owned(user).filter(reference=str(reference or "")[:_REFERENCE_MAX])
    attachment = CaseAttachment.objects.filter(pk=pk, case__in=cases, message__isnull=False).first()
    if attachment is None:
        raise CaseNotFound()
    return attachment


def _notify_store(case: Case, notify: bool) -> Case:
    # A preference, not a change of the case: no event, no new version (like reading a message).
    Case.objects.filter(pk=case.pk).update(notify_citizen=notify)
    case.notify_citizen = notify
    return case


@transaction.atomic
def case_notify_set(*, user, reference: str, notify: bool) -> Case:
    """The owner switches the emails of one case on or off (`Case.notify_citizen`)."""
    return _notify_store(case_get_for_owner(user=user, reference=reference), notify)


@transaction.atomic
def case_notify_set_by_token(*, token: str, notify: bool) -> Case:
    """The same from the tracking page: whoever holds the link is the citizen of the case."""
    return _notify_store(case_for_token(token=token), notify)


def account_section(request) -> AccountSection:
    """The section "Meine Anliegen und Anträge": every case of the account with its service,
    overall status, filing date, unread messages, the department's documents and the
    notification switch."""
    titles = service_titles()
    items = [{"case": case, "service_title": titles.get(case.service, case.service),
              "status": case_overall_status(case)} for case in case_list_for_account(user=request.user)]
    return AccountSection(title=gettext_lazy("Meine Anliegen und Anträge"), template_name="cases/account_section.html",
                          context={"items": items}, order=10)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def case_account_export(user) -> tuple[str, list]:
    """("vorgaenge", […]): every case of the account with what the citizen may see of it —
    their own data and form contents, the public history, the messages both ways and the
    names of all files; no internal notes, no clerks' names (DSGVO Art. 15)."""
    titles = service_titles()
    own = {case.reference: case for case in _owned(user).only(
        "pk", "reference", "service", "status", "channel", "contact_name", "contact_email", "contact_phone",
        "data", "form_version", "notify_citizen", "closed_at")}
    files: dict[int, list] = {}
    for attachment in CaseAttachment.objects.filter(case__in=own.values()).only(
            "case_id", "original_name", "content_type", "size", "uploaded_by", "created_at"):
        files.setdefault(attachment.case_id, []).append({
            "name": attachment.original_name, "content_type": attachment.content_type, "size": attachment.size,
            "from": attachment.uploaded_by, "created_at": _iso(attachment.created_at)})
    cases = []
    for view in case_list_for_owner(user=user):
        case = own[view.reference]
        cases.append({
            "reference": view.reference, "service": view.service, "service_title": str(titles.get(view.service, "")),
            "title": view.title, "description": view.description, "status": view.overall_status,
            "created_at": _iso(view.created_at), "closed_at": _iso(case.closed_at), "channel": case.channel,
            "contact": {"name": case.contact_name, "email": case.contact_email, "phone": case.contact_phone},
            "form_version": case.form_version, "form_data": case.data, "email_notifications": case.notify_citizen,
            "history": [{"created_at": _iso(e.created_at), "status": e.status_label, "note": e.note_public}
                        for e in view.events],
            "messages": [{"created_at": _iso(m.created_at), "direction": m.direction, "body": m.body,
                          "files": [a.original_name for a in m.attachments.all()]} for m in view.messages],
            "files": files.get(case.pk, []),
        })
    return "vorgaenge", cases


def case_account_erase(user) -> int:
    """Anonymise the cases of an account about to be deleted (DSGVO Art. 17), inside the
    deletion's transaction: the owner link and the contact data (name, email, phone) are
    removed; the case, its form contents, history, messages and files stay with the
    department (its file under the records retention rules, Art. 17 (3) b), and an internal
    note says why the contact is gone. Returns how many cases were anonymised."""
    pks = list(_owned(user).select_for_update().values_list("pk", flat=True))
    if not pks:
        return 0
    Case.objects.filter(pk__in=pks).update(owner=None, contact_name="", contact_email="", contact_phone="",
                                           version=F("version") + 1, updated_at=timezone.now())
    with translation.override(settings.LANGUAGE_CODE):  # internal notes are in the site language
        note = _("Das Bürgerkonto wurde gelöscht; Konto und Kontaktdaten wurden aus dem Vorgang entfernt "
                 "(DSGVO Art. 17).")
    CaseEvent.objects.bulk_create([CaseEvent(case_id=pk, kind=CaseEvent.Kind.NOTE, note_internal=note)
                                   for pk in pks])
    return len(pks)
