"""Who is asking: crew tokens in `Authorization: Crew <token>`, accepted by the field-crew API only.

A token works while it is not revoked, its user is active and the user is a member of at
least one active crew; otherwise the request is refused with 401. The staff API (DRF's
`Token` keyword and the session) and the admin (session only) never look at this header,
so a crew token opens nothing there.
"""
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from reporter.models import Crew

from .models import TOKEN_KEYWORD, CrewToken

__all__ = ["CrewTokenAuthentication", "LAST_USED_RESOLUTION"]

# last_used_at is written at most once per minute per token.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class CrewTokenAuthentication(BaseAuthentication):
    keyword = TOKEN_KEYWORD

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Ungültiger Authorization-Header: „Crew <Token>“ erwartet."))
        try:
            raw = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Ungültiges Token.")) from None
        token = (
            CrewToken.objects.select_related("user")
            .annotate(has_active_crew=Exists(Crew.objects.filter(members=OuterRef("user_id"), is_active=True)))
            .filter(token_hash=CrewToken.digest(raw))
            .first()
        )
        if token is None or token.is_revoked:
            raise exceptions.AuthenticationFailed(_("Das Token ist ungültig oder wurde widerrufen."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Das Benutzerkonto ist deaktiviert."))
        if not token.has_active_crew:
            raise exceptions.AuthenticationFailed(_("Sie gehören zu keinem aktiven Trupp."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            CrewToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="mobile"'
