"""Reads of the citizen account: the identities of a user and the data export (DSGVO Art. 15)."""
from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from portal import hooks

from .models import Identity

__all__ = ["account_export", "identity_list_for_user"]


def identity_list_for_user(*, user) -> QuerySet[Identity]:
    """The OpenID Connect identities of `user`, newest login first."""
    return Identity.objects.filter(user=user).order_by("-last_login_at")


def account_export(*, user) -> dict:
    """Everything the portal holds about `user`, as JSON-ready data: the account, its
    identities with their claims, and what each ``register_account_export`` hook returns
    as `(key, data)` (the services' cases)."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "identities": [
            {
                "issuer": identity.issuer,
                "subject": identity.subject,
                "trust_level": identity.trust_level,
                "claims": identity.claims,
                "created_at": identity.created_at.isoformat(),
                "last_login_at": identity.last_login_at.isoformat(),
            }
            for identity in identity_list_for_user(user=user)
        ],
    }
    for fn in hooks.get_hooks("register_account_export"):
        result = fn(user)
        if result is not None:
            key, value = result
            data[key] = value
    return data
