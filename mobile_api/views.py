"""HTTP endpoints of the field-crew API (/api/mobile/v1/). Views parse input, fetch through a
permission-checking selector, call one service and serialize the result.

Authentication is the crew token only (`Authorization: Crew <token>`): no session, so no
CSRF and no way in with a staff login. Tasks outside the user's list answer 404, not 403:
a crew member learns nothing about other reports.

Task JSON comes from PostgreSQL as text (`selectors.task_page_json`, `mobile_api.task_json`)
and is sent as it is; `serializers.TaskSerializer` documents it.
"""
import json
import re
from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import NotFound, ParseError, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback

from config.db_router import primary_reads
from config.lockout import lockout_minutes
from config.throttling import ClientRateThrottle
from reporter.models import ReportPhoto

from . import idempotency, selectors, services
from . import serializers as s
from .authentication import CrewTokenAuthentication
from .conf import mobile_setting
from .errors import SyncExpired, VersionMismatch
from .models import CrewToken

_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,10})"?\s*$')

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="random key per change (e.g. a UUID); a repeated request returns the first answer")
IF_MATCH_HEADER = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description='"<version>" of the task the app shows (its ETag); an older version answers 412')


class IsCrewMember(permissions.BasePermission):
    message = _("Nur für Mitglieder eines Trupps.")

    def has_permission(self, request, view):
        return isinstance(request.auth, CrewToken)


@primary_reads()  # Idempotency-Key answers, sync tokens and ETags must be fresh (config.db_router)
class MobileAPIView(APIView):
    authentication_classes = [CrewTokenAuthentication]
    permission_classes = [IsCrewMember]


def _etag(version: int) -> dict:
    return {"ETag": f'"{version}"'}


def _media_url(request) -> str:
    """Absolute base URL of the public photo files (what the task JSON puts before a file name)."""
    return request.build_absolute_uri(ReportPhoto._meta.get_field("image").storage.url(""))


def _json(text: str, *, headers: dict | None = None) -> HttpResponse:
    """A 200 answer of JSON text as PostgreSQL built it."""
    return HttpResponse(text, headers=headers, content_type="application/json")


class LoginThrottle(ClientRateThrottle):
    """Logins per client address (MOBILE_API["LOGIN_RATE"]), against password guessing."""

    scope = "crew_login"

    def get_rate(self):
        return mobile_setting("LOGIN_RATE") or None

    def get_cache_key(self, request, view):
        if request.method != "POST":
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenView(MobileAPIView):
    throttle_classes = [LoginThrottle]

    def get_authenticators(self):
        # The login itself needs no token (and a stale one in the header must not block it).
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return super().get_permissions()

    @extend_schema(operation_id="mobile_token_create", request=s.LoginSerializer, auth=[],
                   responses={201: s.TokenSerializer, 400: s.ErrorSerializer, 403: s.ErrorSerializer,
                              429: s.ErrorSerializer},
                   summary=gettext_lazy("Anmelden: Trupp-Token für Benutzername und Passwort"))
    def post(self, request):
        form = s.LoginSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        try:
            token, raw = services.crew_token_login(username=v["username"], password=v["password"],
                                                   name=v.get("name", ""), request=request)
        # Both answered here, not raised: a raised error rolls the request's transaction back,
        # and the failed attempt django-axes just recorded must stay for the lockout to count.
        except services.InvalidCredentials as exc:
            return Response({"detail": str(exc), "errors": {"password": [str(exc)]}},
                            status=status.HTTP_400_BAD_REQUEST)
        except services.LoginLocked as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_429_TOO_MANY_REQUESTS,
                            headers={"Retry-After": str(lockout_minutes() * 60)})
        except services.CrewTokenRefused as exc:
            raise PermissionDenied(str(exc)) from None
        user = token.user
        body = {"token": raw, "token_type": "Crew",
                "user": s.MeSerializer({"get_username": user.get_username(), "get_full_name": user.get_full_name(),
                                        "crews": selectors.crews_for_user(user=user)}).data}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="mobile_token_revoke", request=None, responses={204: None, 401: s.ErrorSerializer},
                   summary=gettext_lazy("Abmelden: Token widerrufen"))
    def delete(self, request):
        services.crew_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(MobileAPIView):
    @extend_schema(operation_id="mobile_me", responses={200: s.MeSerializer, 401: s.ErrorSerializer},
                   summary=gettext_lazy("Angemeldete Person und Trupps"))
    def get(self, request):
        user = request.user
        return Response(s.MeSerializer({"get_username": user.get_username(), "get_full_name": user.get_full_name(),
                                        "crews": selectors.crews_for_user(user=user)}).data)


class TaskListView(MobileAPIView):
    @extend_schema(operation_id="mobile_tasks_list", parameters=[s.TaskListQuerySerializer],
                   responses={200: s.TaskPageSerializer, 400: s.ErrorSerializer, 401: s.ErrorSerializer,
                              410: s.ErrorSerializer},
                   summary=gettext_lazy("Meine Aufgaben (nach Entfernung, seitenweise; Abgleich mit since)"))
    def get(self, request):
        query = s.TaskListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        if "since" in q and q["since"] < selectors.sync_window_start():
            raise SyncExpired(days=mobile_setting("SYNC_LOG_RETENTION_DAYS"))
        # First: every change before the token is visible to the reads that follow.
        sync_token = selectors.sync_token_now()
        limit = q.get("limit") or mobile_setting("PAGE_SIZE")
        offset = q["offset"]
        tasks, more = selectors.task_page_json(
            user=request.user, media_url=_media_url(request), offset=offset, limit=limit, near=q.get("near"),
            within_m=q.get("within_m"), changed_since=q.get("since"))
        next_url = None
        if more:
            params = request.query_params.copy()
            params["offset"], params["limit"] = offset + limit, limit
            next_url = f"{request.build_absolute_uri(request.path)}?{urlencode(params)}"
        removed = selectors.task_ids_removed_since(user=request.user, since=q["since"]) if "since" in q else []
        rest = json.dumps({"next": next_url, "removed": removed, "sync_token": s.rfc3339(sync_token)},
                          separators=(",", ":"))
        return _json('{"results":[' + ",".join(tasks) + "]," + rest[1:])


class TaskDetailView(MobileAPIView):
    @extend_schema(operation_id="mobile_task_retrieve",
                   responses={200: s.TaskSerializer, 401: s.ErrorSerializer, 404: s.ErrorSerializer},
                   summary=gettext_lazy("Eine Aufgabe (ETag: ihre Version)"))
    def get(self, request, pk: int):
        task = selectors.task_json_get_for_user(user=request.user, pk=pk, media_url=_media_url(request))
        if task is None:
            raise NotFound(_("Aufgabe nicht gefunden."))
        return _json(task.text, headers=_etag(task.version))


def _if_match(request) -> int | None:
    value = request.headers.get("If-Match")
    if value is None or value.strip() == "*":
        return None
    match = _IF_MATCH.match(value)
    if match is None:
        raise ParseError(_('If-Match: die Version der Aufgabe in Anführungszeichen erwartet, z. B. "3".'))
    return int(match.group(1))


class TaskTransitionView(MobileAPIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        operation_id="mobile_task_transition",
        parameters=[IDEMPOTENCY_HEADER, IF_MATCH_HEADER],
        request={"multipart/form-data": s.TransitionSerializer, "application/json": s.TransitionSerializer},
        responses={200: s.TaskSerializer, 400: s.ErrorSerializer, 401: s.ErrorSerializer, 404: s.ErrorSerializer,
                   409: s.ConflictSerializer, 412: s.StaleSerializer, 413: s.ErrorSerializer,
                   415: s.ErrorSerializer, 422: s.ErrorSerializer},
        summary=gettext_lazy("Status ändern: annehmen, beginnen, erledigt, nicht behebbar, anderer Fachbereich"),
    )
    def post(self, request, pk: int):
        if not hasattr(request.data, "get"):
            raise ParseError(_("Ein JSON-Objekt oder Formular wird erwartet."))
        files = {name: request.FILES.getlist(name) for name in ("photos_before", "photos_after")} \
            if request.FILES else {}
        data = {k: request.data.get(k) for k in ("action", "note", "note_internal") if k in request.data}
        form = s.TransitionSerializer(data={**data, **files})
        form.is_valid(raise_exception=True)
        v = form.validated_data
        expected_version = _if_match(request)
        record = None
        key = request.headers.get("Idempotency-Key")
        if key is not None:
            if not idempotency.KEY_PATTERN.match(key):
                raise ParseError(_("Idempotency-Key: 8 bis 200 druckbare Zeichen ohne Leerzeichen erwartet."))
            fingerprint = idempotency.request_fingerprint(method=request.method, path=request.path, fields=data,
                                                          files=files)
            record, is_new = idempotency.idempotency_claim(user=request.user, key=key, request_hash=fingerprint)
            if not is_new:
                headers = {"Idempotent-Replayed": "true"}
                if isinstance(record.response_body, dict) and "version" in record.response_body:
                    headers.update(_etag(record.response_body["version"]))
                return Response(record.response_body, status=record.status_code, headers=headers)
        task = selectors.task_get_for_user(user=request.user, pk=pk)
        if task is None:
            raise NotFound(_("Aufgabe nicht gefunden."))
        try:
            services.task_transition(
                report=task, user=request.user, action=v["action"], note_public=v.get("note", ""),
                note_internal=v.get("note_internal", ""), photos_before=v.get("photos_before", []),
                photos_after=v.get("photos_after", []), expected_version=expected_version,
            )
        except VersionMismatch as exc:
            current = selectors.task_json_get_for_user(user=request.user, pk=pk, media_url=_media_url(request))
            if current is None:  # changed and no longer theirs (closed, reassigned)
                raise NotFound(_("Aufgabe nicht gefunden.")) from None
            body = {"detail": _("Die Aufgabe wurde inzwischen geändert (Version %(current)s, Ihre Version "
                                "%(expected)s). Bitte prüfen Sie den aktuellen Stand.") % {
                        "current": exc.current, "expected": exc.expected},
                    "current_version": exc.current,
                    "task": json.loads(current.text)}
            set_rollback()
            return Response(body, status=status.HTTP_412_PRECONDITION_FAILED, headers=_etag(exc.current))
        body = json.loads(selectors.task_json_after_write(pk=pk, media_url=_media_url(request)).text)
        if record is not None:
            idempotency.idempotency_store(record=record, status_code=status.HTTP_200_OK, body=body)
        return Response(body, headers=_etag(body["version"]))


__all__ = ["TokenView", "MeView", "TaskListView", "TaskDetailView", "TaskTransitionView"]
