"""The till verification API `/api/pos/v1/` (DRF, documented in /api/schema/).

`POST /api/pos/v1/verify` with `{"code": "<scanned or typed code>"}` and the till's key in
`Authorization: Till <key>`. The answer is 200 for every checked code: `valid` true with the
programme, discount category, first name, year of birth and card type; or `valid` false with
`reason` (one of `verification.REFUSALS`) and a message in the request's language — and then
nothing about the person. A missing or unknown key answers 401, a revoked one 401 too; a
missing code 400; more than `TILL_RATE` checks per till 429.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from config.throttling import WindowRateThrottle

from .conf import sozialcard_setting
from .models import Till
from .selectors import till_for_key
from .verification import REFUSALS, card_verify

__all__ = ["TillKeyAuthentication", "TillRateThrottle", "VerifyView"]

MESSAGES = {
    "valid": _("Gültig."),
    "unknown": _("Unbekannter Code: Das ist keine Karte eines Programms der Stadt."),
    "revoked": _("Diese Karte ist gesperrt."),
    "expired": _("Diese Karte ist abgelaufen."),
    "not_yet_valid": _("Diese Karte gilt noch nicht."),
    "device_replaced": _("Diese Karte wurde auf ein anderes Handy übertragen; dieser Code gilt nicht mehr."),
    "replayed": _("Dieser Code wurde schon verwendet. Bitte den aktuellen Code zeigen lassen."),
    "invalid_code": _("Der Code ist nicht gültig. Bitte den aktuellen Code zeigen lassen."),
    "wrong_partner": _("Für dieses Programm gibt es hier keine Ermäßigung."),
}


class TillKeyAuthentication(BaseAuthentication):
    """`Authorization: Till <key>`: the till whose key hash matches and is not revoked;
    `request.auth` is the Till (the user stays anonymous)."""

    keyword = "Till"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Ungültiger Kassenschlüssel."))
        till = till_for_key(key=parts[1].decode("latin-1"))
        if till is None:
            raise AuthenticationFailed(_("Ungültiger Kassenschlüssel."))
        return (None, till)

    def authenticate_header(self, request):
        return self.keyword


class IsTill(BasePermission):
    """Only requests authenticated with a till key."""

    def has_permission(self, request, view):
        return isinstance(request.auth, Till)


class TillRateThrottle(WindowRateThrottle):
    """At most `SOZIALCARD["TILL_RATE"]` checks per till (e.g. "120/min"), through the API and
    the checker page together (one count per till)."""

    scope = "sozialcard_till"

    def get_rate(self):
        return sozialcard_setting("TILL_RATE")

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, Till):
            return None
        return self.till_key(request.auth)

    def till_key(self, till: Till) -> str:
        """The count's key of `till`."""
        return self.cache_format % {"scope": self.scope, "ident": till.pk}


class VerifyRequestSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=200, trim_whitespace=True,
                                 help_text="The scanned or typed code (SC1D.… dynamic, SC1S.… static).")


class NamedSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class VerifyResponseSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    reason = serializers.ChoiceField(choices=REFUSALS, allow_null=True,
                                     help_text="Null when valid, else why the card is refused.")
    message = serializers.CharField(help_text="For the cashier, in the request's language.")
    card_type = serializers.ChoiceField(choices=("dynamic", "static"), allow_null=True)
    programme = NamedSerializer(allow_null=True)
    category = NamedSerializer(allow_null=True)
    given_name = serializers.CharField(allow_null=True)
    birth_year = serializers.IntegerField(allow_null=True)


class VerifyView(APIView):
    """Check a scanned card code at a till (see the module docstring)."""

    authentication_classes = [TillKeyAuthentication]
    permission_classes = [IsTill]
    throttle_classes = [TillRateThrottle]

    @extend_schema(operation_id="pos_v1_verify", request=VerifyRequestSerializer,
                   responses={200: VerifyResponseSerializer}, tags=["pos"],
                   description="Check a Sozialcard (or other programme's) code. 200 for every checked code; "
                               "`valid` false comes with `reason` and nothing about the person.")
    def post(self, request):
        body = VerifyRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        verification = card_verify(code=body.validated_data["code"], till=request.auth)
        card = verification.card if verification.valid else None
        return Response({
            "valid": verification.valid, "reason": None if verification.valid else verification.result,
            "message": str(MESSAGES[verification.result]),
            "card_type": verification.card_type if verification.valid else None,
            "programme": {"slug": card.programme.slug, "name": card.programme.name} if card else None,
            "category": {"slug": card.category.slug, "name": card.category.name} if card else None,
            "given_name": card.given_name if card else None, "birth_year": card.birth_year if card else None,
        })
