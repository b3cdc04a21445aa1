"""Writes of the citizen account: logins (OpenID Connect, email link), the email link itself,
and erasing an account. Each runs in one transaction; the login email is queued on commit
through the notification outbox.
"""
from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Notification
from notifications.services import notification_queue
from portal import hooks
from portal.catalogue import TrustLevel

from .conf import accounts_setting
from .identity import claims_minimal
from .models import EmailLoginToken, Identity

__all__ = [
    "EmailLinkInvalid", "LoginRateLimited", "StaffAccountRefused", "account_erase", "citizen_login_oidc",
    "email_login_link_request", "email_login_redeem", "email_login_tokens_prune",
]

User = get_user_model()


class StaffAccountRefused(Exception):
    """The identity belongs to a staff account, which never logs in as a citizen."""


class EmailLinkInvalid(Exception):
    """The email login link is unknown, used or expired."""


class LoginRateLimited(Exception):
    """Too many login links asked for one address or from one client."""


def _new_citizen(*, email: str = "") -> User:
    user = User(username=f"buerger-{uuid.uuid4().hex}", email=email, is_staff=False, is_superuser=False)
    user.set_unusable_password()
    user.save()
    return user


def _refuse_staff(user) -> None:
    if user.is_staff or user.is_superuser:
        raise StaffAccountRefused


@transaction.atomic
def citizen_login_oidc(*, issuer: str, subject: str, claims: dict, trust_level: TrustLevel) -> User:
    """The citizen account of the identity (issuer, subject), created on its first login; its
    claims snapshot and level are refreshed. Raises `StaffAccountRefused` for a staff user."""
    snapshot = claims_minimal(claims)
    identity = (Identity.objects.select_for_update().select_related("user")
                .filter(issuer=issuer, subject=subject).first())
    now = timezone.now()
    if identity is None:
        user = _new_citizen(email=snapshot.get("email", ""))
        identity = Identity(user=user, issuer=issuer, subject=subject)
    _refuse_staff(identity.user)
    identity.trust_level = TrustLevel(trust_level).value
    identity.claims = snapshot
    identity.last_login_at = now
    identity.save()
    return identity.user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _rate_exceeded(key: str) -> bool:
    """Count one request under `key` in the shared cache; whether it is over
    ACCOUNTS["EMAIL_LOGIN_RATE"] ("<n>/<second|minute|hour|day>")."""
    rate = accounts_setting("EMAIL_LOGIN_RATE")
    if not rate:
        return False
    count, period = rate.split("/")
    seconds = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}[period.strip()]
    cache_key = f"accounts:email-login:{hashlib.sha256(key.encode()).hexdigest()}"
    cache.add(cache_key, 0, seconds)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, seconds)
        used = 1
    return used > int(count)


def email_login_link_request(*, email: str, client_ip: str, site_url: str) -> None:
    """Queue an email with a one-time login link for `email`. Raises `LoginRateLimited` when
    the address or the client asked too often. A staff address gets no link, and no sign of
    that either (the answer must not tell which addresses have staff accounts)."""
    email = User.objects.normalize_email(email).strip().lower()
    limited_address = _rate_exceeded(f"address:{email}")
    limited_client = _rate_exceeded(f"ip:{client_ip}")
    if limited_address or limited_client:
        raise LoginRateLimited
    if User.objects.filter(Q(is_staff=True) | Q(is_superuser=True), email__iexact=email).exists():
        return
    token = secrets.token_urlsafe(32)
    link = site_url + reverse("accounts:email-login-confirm", kwargs={"token": token})
    minutes = accounts_setting("EMAIL_LOGIN_MAX_AGE") // 60
    with transaction.atomic():
        login_token = EmailLoginToken.objects.create(email=email, token_hash=_token_hash(token),
                                                     created_at=timezone.now())
        notification_queue(
            channel=Notification.Channel.EMAIL,
            recipient=email,
            event="account.login_link",
            object_id=str(login_token.pk),
            subject=_("Ihr Anmeldelink"),
            body=_("Guten Tag,\n\nmit diesem Link melden Sie sich bei Ihrem Bürgerkonto an. Er gilt "
                   "%(minutes)d Minuten und nur einmal:\n\n%(link)s\n\nWenn Sie keinen Link angefordert "
                   "haben, ignorieren Sie diese E-Mail.") % {"minutes": minutes, "link": link},
        )


@transaction.atomic
def email_login_redeem(*, token: str) -> User:
    """Use up the login link `token` and return the citizen account of its address (created
    on first use). Raises `EmailLinkInvalid` (unknown, used or expired) or
    `StaffAccountRefused`."""
    login_token = EmailLoginToken.objects.select_for_update().filter(token_hash=_token_hash(token)).first()
    now = timezone.now()
    max_age = timedelta(seconds=accounts_setting("EMAIL_LOGIN_MAX_AGE"))
    if login_token is None or login_token.used_at is not None or login_token.created_at + max_age < now:
        raise EmailLinkInvalid
    login_token.used_at = now
    login_token.save(update_fields=["used_at"])
    users = list(User.objects.filter(email__iexact=login_token.email).order_by("pk")[:2])
    for user in users:
        _refuse_staff(user)
    return users[0] if users else _new_citizen(email=login_token.email)


def email_login_tokens_prune(*, now=None) -> int:
    """Delete login links past their validity (used or not): they hold an email address and
    serve no purpose once expired (data minimisation). Returns how many were deleted."""
    cutoff = (now or timezone.now()) - timedelta(seconds=accounts_setting("EMAIL_LOGIN_MAX_AGE"))
    deleted, _by_model = EmailLoginToken.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def account_erase(*, user) -> None:
    """Erase a citizen account (DSGVO Art. 17): every ``register_account_erase`` hook is
    called with the user first (services anonymise their cases, keeping them for the
    department), then the identities, login links and the user are deleted. Staff accounts
    are never erased here."""
    _refuse_staff(user)
    for fn in hooks.get_hooks("register_account_erase"):
        fn(user)
    Identity.objects.filter(user=user).delete()
    if user.email:
        EmailLoginToken.objects.filter(email__iexact=user.email).delete()
    user.delete()
