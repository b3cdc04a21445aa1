"""Renewing cards: the reminder before a card ends, and the renewal application that reuses
the earlier one.

`renewal_reminders_send` (daily, beat entry "sozialcard-renewal-reminders") emails the account
holder once per card, `SOZIALCARD["RENEWAL_REMINDER_DAYS"]` before it ends, through the
notification outbox (sent after commit, retried by `notifications`); `Card.renewal_reminded_at`
makes it once. The mail names the programme, the first name and the last day, and links to
the renewal — nothing of the social data.

The renewal (`/sozialcard/verlaengern/<case id>/`, the owner of an approved application) is
the same form, prefilled from the earlier case: the applicant and the household members; the
benefit and the proof are asked again (a new benefit decision must be uploaded). It is filed as
a new case, linked to the earlier one (`cases.services.case_link_add`), so the clerk sees both.
"""
from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import Case
from notifications.models import Notification
from notifications.services import notification_queue

from .conf import SERVICE, sozialcard_setting
from .models import Card

__all__ = ["renewal_case_for_owner", "renewal_prefill", "renewal_reminders_send"]

#: The event of the reminder mails in the notification outbox.
REMINDER_EVENT = "sozialcard.renewal_reminder"


def _renewal_url(card: Card) -> str:
    if card.case_id is None:
        return settings.SITE_URL + reverse("sozialcard:start")
    return settings.SITE_URL + reverse("sozialcard:renew", kwargs={"pk": card.case_id})


def renewal_reminders_send(*, today: date | None = None) -> int:
    """Remind the owners of cards that end within the reminder days (once per card; revoked
    cards, cards without account or email address get none). Returns how many were queued.
    Rows are claimed with SKIP LOCKED, so two runs at once never remind twice."""
    today = today or timezone.localdate()
    last_day = today + timedelta(days=sozialcard_setting("RENEWAL_REMINDER_DAYS"))
    sent = 0
    with transaction.atomic():
        cards = (Card.objects.select_for_update(skip_locked=True, of=("self",))
                 .filter(renewal_reminded_at__isnull=True, revoked_at__isnull=True, owner__isnull=False,
                         valid_until__gte=today, valid_until__lte=last_day)
                 .exclude(owner__email="")
                 .select_related("owner", "programme", "case"))
        now = timezone.now()
        for card in cards:
            language = (card.case.language if card.case else "") or settings.LANGUAGE_CODE
            with translation.override(language):
                subject = _("Ihre %(programme)s endet am %(date)s") % {
                    "programme": card.programme.name, "date": f"{card.valid_until:%d.%m.%Y}"}
                body = _("Die Karte „%(programme)s“ von %(name)s gilt bis zum %(date)s. Wenn Sie die Leistung "
                         "weiter beziehen, beantragen Sie die Verlängerung rechtzeitig; Ihre bisherigen Angaben "
                         "sind schon eingetragen, nur der neue Bescheid fehlt: %(url)s") % {
                    "programme": card.programme.name, "name": card.given_name,
                    "date": f"{card.valid_until:%d.%m.%Y}", "url": _renewal_url(card)}
            notification_queue(channel=Notification.Channel.EMAIL, recipient=card.owner.email, event=REMINDER_EVENT,
                               object_id=str(card.pk), subject=subject, body=body)
            card.renewal_reminded_at = now
            card.save(update_fields=["renewal_reminded_at"])
            sent += 1
    return sent


def renewal_case_for_owner(*, user, pk: int) -> Case | None:
    """The approved Sozialcard application `pk` of `user` (the one a renewal reuses), else None."""
    if user is None or not user.is_authenticated:
        return None
    return Case.objects.filter(pk=pk, owner=user, service=SERVICE, status="approved").first()


def _as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def renewal_prefill(case: Case) -> tuple[dict, list[dict]]:
    """(applicant, members) of an earlier application, for the renewal form: the applicant as
    identity claims (given_name, family_name, birthdate ISO, email), the household members as
    the group's first items (dates as dates). The benefit and the proof are not reused."""
    persons = list(case.data.get("persons") or [])
    applicant = persons[0] if persons else {}
    claims = {key: applicant.get(key, "") for key in ("given_name", "family_name", "birthdate")}
    if case.contact_email:
        claims["email"] = case.contact_email
    members = [{"given_name": person.get("given_name", ""), "family_name": person.get("family_name", ""),
                "birthdate": _as_date(person.get("birthdate"))} for person in persons[1:]]
    return {key: value for key, value in claims.items() if value}, members
