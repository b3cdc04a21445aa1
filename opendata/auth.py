"""Who is asking: CKAN-style API tokens, and what a user may see and edit.

A token comes in the `Authorization` header, raw (`Authorization: <token>`, what ckanapi
sends) or as `Bearer <token>`, or in the legacy `X-CKAN-API-Key` header. An unknown or
revoked token makes the request anonymous, as in CKAN (so a write answers 403). The
session cookie is honoured for GET only: the Action API is CSRF-exempt, so a cookie must
never authorise a write.

Permissions follow CKAN: superusers are sysadmins; organisation admins and editors may
create and edit the organisation's datasets; any member may read its private datasets.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from .models import ApiToken, Organization, OrganizationMember

__all__ = ["Actor", "actor_from_request", "token_from_request"]

# last_used is written at most once per minute per token.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_from_request(request) -> str:
    """The raw API token sent with the request, or ""."""
    value = request.headers.get("Authorization", "").strip()
    if value.lower().startswith("bearer "):
        value = value[7:].strip()
    return value or request.headers.get("X-CKAN-API-Key", "").strip()


@dataclass
class Actor:
    """The requesting user and, computed once per request, their organisation roles."""

    user: object = field(default_factory=AnonymousUser)
    _roles: dict | None = None

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user and self.user.is_authenticated)

    @property
    def is_sysadmin(self) -> bool:
        return self.is_authenticated and self.user.is_superuser

    @property
    def name(self) -> str:
        return self.user.get_username() if self.is_authenticated else ""

    def roles(self) -> dict:
        """{organization_id: capacity} for the user's memberships (one query)."""
        if self._roles is None:
            self._roles = {} if not self.is_authenticated else dict(
                OrganizationMember.objects.filter(user=self.user).values_list("organization_id", "capacity")
            )
        return self._roles

    def member_org_ids(self) -> list:
        return list(self.roles())

    def can_read_private(self, org_id) -> bool:
        return self.is_sysadmin or org_id in self.roles()

    def can_edit(self, org_id) -> bool:
        return self.is_sysadmin or self.roles().get(org_id) in OrganizationMember.EDIT_CAPACITIES

    def can_edit_org(self, org: Organization) -> bool:
        return self.can_edit(org.pk)


def _user_for_token(raw_token: str):
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=ApiToken.digest(raw_token), revoked=False, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used is None or now - token.last_used > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user


def actor_from_request(request) -> Actor:
    """The Actor for a request: token user, else (GET/HEAD only) the session user."""
    raw = token_from_request(request)
    if raw:
        user = _user_for_token(raw)
        return Actor(user=user) if user is not None else Actor()
    session_user = getattr(request, "user", None)
    if request.method in ("GET", "HEAD") and session_user is not None and session_user.is_authenticated:
        return Actor(user=session_user)
    return Actor()
