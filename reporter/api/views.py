"""HTTP endpoints of the citizen/staff API (/api/v1/). Views parse input, fetch through a
permission-checking selector, call one service and serialize the result."""
import json
from urllib.parse import urlencode

from django.contrib.gis.geos import Point
from django.http import HttpResponse, QueryDict
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, ParseError, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.trust import citizen_user
from config.client_ip import client_ip
from config.openapi import ConflictSerializer, GeoJSONRenderer
from reporter import selectors, services
from reporter.conf import stadtmelder_setting
from reporter.models import Report
from reporter.throttling import ReportCreateThrottle
from routing_rules.selectors import OutsideCity, category_list, department_list, route_point

from . import serializers as s


def _lang() -> str:
    return (translation.get_language() or "de")[:2]


class CategoryListView(APIView):
    @extend_schema(responses=s.CategorySerializer(many=True), summary=gettext_lazy("Kategorien"))
    def get(self, request):
        return Response(s.CategorySerializer(category_list(), many=True).data)


class DepartmentListView(APIView):
    @extend_schema(responses=s.DepartmentSerializer(many=True), summary=gettext_lazy("Fachbereiche"))
    def get(self, request):
        return Response(s.DepartmentSerializer(department_list(), many=True).data)


# Deeper pages than this are refused (400): PostgreSQL's OFFSET is a bigint, and nobody pages
# through a billion reports.
OFFSET_MAX = 1_000_000_000


def _request_fields(request):
    """The request's fields as a fresh mutable mapping, to add the uploaded photos to.

    A multipart body is copied key by key, never deep-copied: its uploaded files (temporary
    files above FILE_UPLOAD_MAX_MEMORY_SIZE) cannot be copied. A JSON body must be an object.
    """
    data = request.data
    if isinstance(data, QueryDict):
        fields = QueryDict(mutable=True)
        for key in data:
            fields.setlist(key, data.getlist(key))
        return fields
    if not isinstance(data, dict):
        raise ParseError(_("Der Inhalt der Anfrage muss ein JSON-Objekt sein."))
    return dict(data)


class ReportListQuerySerializer(serializers.Serializer):
    bbox = serializers.CharField(required=False, help_text="minLon,minLat,maxLon,maxLat (WGS 84)")
    status = serializers.CharField(required=False, help_text="comma-separated statuses")
    category = serializers.CharField(required=False, help_text="comma-separated category slugs")
    created_after = serializers.CharField(required=False, help_text="ISO date or datetime (inclusive)")
    created_before = serializers.CharField(required=False, help_text="ISO date or datetime (exclusive)")
    limit = serializers.IntegerField(required=False, min_value=1)
    offset = serializers.IntegerField(required=False, min_value=0, max_value=OFFSET_MAX, default=0)

    def validate_bbox(self, value):
        try:
            parts = tuple(float(p) for p in value.split(","))
        except ValueError:
            raise serializers.ValidationError(_("bbox: vier Zahlen erwartet (minLon,minLat,maxLon,maxLat).")) from None
        if len(parts) != 4:
            raise serializers.ValidationError(_("bbox: vier Zahlen erwartet (minLon,minLat,maxLon,maxLat)."))
        x0, y0, x1, y1 = parts
        if not (-180 <= x0 <= 180 and -180 <= x1 <= 180 and -90 <= y0 <= 90 and -90 <= y1 <= 90):
            raise serializers.ValidationError(_("bbox: Koordinaten außerhalb des gültigen Bereichs (WGS 84)."))
        if x0 > x1 or y0 > y1:
            raise serializers.ValidationError(_("bbox: Minimum muss kleiner als Maximum sein."))
        return parts

    def validate_status(self, value):
        statuses = tuple(v for v in value.split(",") if v)
        unknown = [v for v in statuses if v not in Report.Status.values]
        if unknown:
            raise serializers.ValidationError(_("Unbekannter Status: %s") % ", ".join(unknown))
        return statuses

    def validate_category(self, value):
        slugs = [v for v in value.split(",") if v]
        found = dict(category_list(active_only=False).filter(slug__in=slugs).values_list("slug", "id"))
        unknown = [v for v in slugs if v not in found]
        if unknown:
            raise serializers.ValidationError(_("Unbekannte Kategorie: %s") % ", ".join(unknown))
        return tuple(found.values())

    def _datetime(self, value):
        from datetime import datetime, time

        from django.utils import timezone

        try:  # parse_* return None for a malformed value, raise ValueError for 2020-13-01
            dt = parse_datetime(value)
            if dt is None:
                d = parse_date(value)
                if d is None:
                    raise ValueError(value)
                dt = datetime.combine(d, time.min)
            return dt if timezone.is_aware(dt) else timezone.make_aware(dt)
        except (ValueError, OverflowError):
            raise serializers.ValidationError(_("Ungültiges Datum (ISO 8601 erwartet).")) from None

    def validate_created_after(self, value):
        return self._datetime(value)

    def validate_created_before(self, value):
        return self._datetime(value)

    def validate_limit(self, value):
        return min(value, stadtmelder_setting("LIST_MAX_PAGE_SIZE"))


class ReportListPageSerializer(serializers.Serializer):
    """The schema of a list page in the OpenAPI document (the view writes the JSON itself)."""
    type = serializers.ChoiceField(choices=["FeatureCollection"])
    numberMatched = serializers.IntegerField(
        required=False, min_value=0,
        help_text="Exact number of matching reports; only present when counted exactly "
                  "(up to STADTMELDER LIST_COUNT_MAX, 10,000 by default).")
    numberMatchedAtLeast = serializers.IntegerField(
        required=False, min_value=1,
        help_text="Present instead of numberMatched when more reports match than are counted: "
                  "a lower bound (at least this many match; the list UI says 'more than "
                  "numberMatchedAtLeast - 1'). Follow the 'next' link to page on.")
    numberReturned = serializers.IntegerField(min_value=0)
    links = serializers.ListField(child=serializers.DictField(), help_text="'next' and 'prev' pages")
    features = serializers.ListField(child=serializers.DictField(), help_text="GeoJSON Features, newest first")


class ReportListCreateView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    renderer_classes = [JSONRenderer, GeoJSONRenderer]
    throttle_classes = [ReportCreateThrottle]

    @extend_schema(
        operation_id="v1_reports_list",
        parameters=[ReportListQuerySerializer],
        responses={(200, "application/geo+json"): ReportListPageSerializer},
        summary=gettext_lazy("Meldungen als GeoJSON (öffentlich, seitenweise)"),
    )
    def get(self, request):
        query = ReportListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        limit = q.get("limit") or stadtmelder_setting("LIST_DEFAULT_PAGE_SIZE")
        filters = selectors.ReportListFilter(
            bbox=q.get("bbox"), statuses=q.get("status", ()), category_ids=q.get("category", ()),
            created_after=q.get("created_after"), created_before=q.get("created_before"),
            limit=limit, offset=q["offset"],
        )
        page = selectors.report_list_geojson(filters=filters, language=_lang())
        links = []
        base = request.build_absolute_uri(request.path)
        params = request.query_params.copy()
        if page.has_next:
            params["offset"], params["limit"] = q["offset"] + limit, limit
            links.append({"rel": "next", "type": "application/geo+json", "href": f"{base}?{urlencode(params)}"})
        if q["offset"] > 0:
            params["offset"], params["limit"] = max(0, q["offset"] - limit), limit
            links.append({"rel": "prev", "type": "application/geo+json", "href": f"{base}?{urlencode(params)}"})
        number = {"numberMatched" if page.exact else "numberMatchedAtLeast": page.matched}
        head = json.dumps({"type": "FeatureCollection", **number, "numberReturned": len(page.features),
                           "links": links})
        body = head[:-1] + ', "features": [' + ",".join(page.features) + "]}"
        return HttpResponse(body, content_type="application/geo+json")

    @extend_schema(request={"multipart/form-data": s.ReportCreateSerializer,
                            "application/json": s.ReportCreateSerializer},
                   responses={201: s.ReportCreatedSerializer}, summary=gettext_lazy("Meldung erstellen"))
    def post(self, request):
        data = _request_fields(request)
        photos = request.FILES.getlist("photos") if request.FILES else []
        if hasattr(data, "setlist"):
            data.setlist("photos", photos)
        else:
            data["photos"] = photos
        form = s.ReportCreateSerializer(data=data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        point = Point(v["lon"], v["lat"], srid=4326) if "lon" in v else None
        channel = v["channel"]
        if channel in (Report.Channel.PHONE, Report.Channel.FIELD) and not request.user.is_staff:
            raise PermissionDenied(_("Nur Mitarbeitende dürfen Meldungen für diesen Kanal erfassen."))
        report = services.report_create(
            category=v["category"], point=point, address=v.get("address", ""),
            location_text=v.get("location_text", ""), description=v.get("description", ""),
            answers=v.get("answers"), photos=v.get("photos", []), reporter_name=v.get("name", ""),
            reporter_email=v.get("email", ""), reporter_phone=v.get("phone", ""), channel=channel,
            language=v.get("language") or _lang(), submission_key=v.get("submission_key"),
            owner=citizen_user(request),
        )
        code = status.HTTP_200_OK if getattr(report, "was_resubmitted", False) else status.HTTP_201_CREATED
        public = selectors.report_get_by_token(token=report.tracking_token)
        return Response(s.ReportCreatedSerializer(public, context={"request": request, "report": report}).data,
                        status=code)


class ReportDetailView(APIView):
    @extend_schema(responses=s.ReportPublicSerializer, summary=gettext_lazy("Meldung (öffentlich)"))
    def get(self, request, pk: int):
        report = selectors.report_get_public(pk=pk)
        if report is None:
            raise NotFound(_("Meldung nicht gefunden."))
        return Response(s.ReportPublicSerializer(report, context={"request": request}).data)


class ReportTrackView(APIView):
    @extend_schema(responses=s.ReportPublicSerializer, summary=gettext_lazy("Meldung über den Verfolgungscode"))
    def get(self, request, token: str):
        report = selectors.report_get_by_token(token=token)
        if report is None:
            raise NotFound(_("Meldung nicht gefunden."))
        return Response(s.ReportPublicSerializer(report, context={"request": request}).data)


class ReportReopenView(APIView):
    @extend_schema(request=s.ReopenSerializer, responses={200: s.ReportPublicSerializer, 409: ConflictSerializer},
                   summary=gettext_lazy("Meldung wieder öffnen (Meldende, über den Verfolgungscode)"))
    def post(self, request, token: str):
        report = selectors.report_get_by_token(token=token)
        if report is None:
            raise NotFound(_("Meldung nicht gefunden."))
        form = s.ReopenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.report_reopen_by_reporter(report=report, note=form.validated_data["note"])
        report = selectors.report_get_by_token(token=token)
        return Response(s.ReportPublicSerializer(report, context={"request": request}).data)


class RouteView(APIView):
    @extend_schema(parameters=[s.RouteQuerySerializer], responses=OpenApiTypes.OBJECT,
                   summary=gettext_lazy("Zuständigkeit erklären (speichert nichts)"))
    def get(self, request):
        query = s.RouteQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        try:
            decision = route_point(point=Point(q["lon"], q["lat"], srid=4326), category=q["category"])
        except OutsideCity as exc:
            message = (_("Dieser Ort liegt außerhalb des Stadtgebiets. Zuständig ist: %(a)s.") % {"a": exc.authority}
                       if exc.authority else _("Dieser Ort liegt außerhalb des Stadtgebiets."))
            return Response({"detail": message, "errors": {"location": [message]}, "inside_city": False,
                             "authority": exc.authority}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"inside_city": True, "category": q["category"].slug,
                         "target_days": q["category"].sla_days, **decision.as_explanation()})


class NearbyQuerySerializer(s.RouteQuerySerializer):
    pass


class NearbyResultSerializer(serializers.Serializer):
    """The answer of /api/v1/reports/nearby: the search radius and the reports within it."""

    radius_m = serializers.IntegerField(help_text="the category's duplicate radius in metres")
    results = s.NearbySerializer(many=True)


class ReportNearbyView(APIView):
    @extend_schema(parameters=[NearbyQuerySerializer], responses=NearbyResultSerializer,
                   summary=gettext_lazy("Offene Meldungen derselben Kategorie in der Nähe"))
    def get(self, request):
        query = NearbyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        reports = selectors.report_nearby(point=Point(q["lon"], q["lat"], srid=4326), category=q["category"])
        return Response({"radius_m": q["category"].duplicate_radius_m,
                         "results": s.NearbySerializer(reports, many=True).data})


class ReportSupportView(APIView):
    @extend_schema(request=s.SupportSerializer, responses={201: OpenApiTypes.OBJECT, 200: OpenApiTypes.OBJECT,
                                                           409: ConflictSerializer},
                   summary=gettext_lazy("„Ich auch“: Meldung unterstützen"))
    def post(self, request, pk: int):
        report = selectors.report_get_public(pk=pk)
        if report is None:
            raise NotFound(_("Meldung nicht gefunden."))
        form = s.SupportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        key = services.supporter_key_make(
            client_token=form.validated_data.get("supporter_token", ""),
            remote_addr=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        report, created = services.report_support(report=report, supporter_key=key)
        return Response({"id": report.pk, "supporter_count": report.supporter_count, "created": created},
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# --- staff -----------------------------------------------------------------------

class IsStaff(permissions.BasePermission):
    message = gettext_lazy("Nur für Mitarbeitende der Stadtverwaltung.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


class StaffReportMixin:
    permission_classes = [IsStaff]

    def get_report(self, request, pk: int) -> Report:
        report = selectors.report_get_for_staff(user=request.user, pk=pk)
        if report is None:
            if Report.objects.filter(pk=pk).exists():
                raise PermissionDenied(_("Diese Meldung gehört nicht zu Ihrem Fachbereich."))
            raise NotFound(_("Meldung nicht gefunden."))
        return report

    def staff_response(self, request, pk: int, code=status.HTTP_200_OK):
        report = selectors.report_get_for_staff(user=request.user, pk=pk) or Report.objects.get(pk=pk)
        return Response(s.ReportStaffSerializer(report, context={"request": request}).data, status=code)


class StaffReportDetailView(StaffReportMixin, APIView):
    @extend_schema(responses=s.ReportStaffSerializer, summary=gettext_lazy("Meldung (Mitarbeitende, mit Kontaktdaten)"))
    def get(self, request, pk: int):
        self.get_report(request, pk)
        return self.staff_response(request, pk)


class StaffStatusView(StaffReportMixin, APIView):
    @extend_schema(request=s.StatusChangeSerializer, responses={200: s.ReportStaffSerializer, 409: ConflictSerializer},
                   summary=gettext_lazy("Status ändern (mit Notiz)"))
    def post(self, request, pk: int):
        report = self.get_report(request, pk)
        form = s.StatusChangeSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        v = form.validated_data
        services.report_status_change(report=report, to_status=v["status"], note_public=v.get("note_public", ""),
                                      note_internal=v.get("note_internal", ""), actor=request.user,
                                      duplicate_of=v.get("duplicate_of"))
        return self.staff_response(request, pk)


class StaffRerouteView(StaffReportMixin, APIView):
    @extend_schema(request=s.RerouteSerializer, responses=s.ReportStaffSerializer,
                   summary=gettext_lazy("Kategorie/Ort ändern und neu zuweisen"))
    def post(self, request, pk: int):
        report = self.get_report(request, pk)
        form = s.RerouteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        point = Point(v["lon"], v["lat"], srid=4326) if "lon" in v else None
        services.report_reroute(report=report, category=v.get("category"), point=point, reason=v["reason"],
                                department=v.get("department"), actor=request.user)
        return self.staff_response(request, pk)


class StaffModerateView(StaffReportMixin, APIView):
    @extend_schema(request=s.ModerateSerializer, responses=s.ReportStaffSerializer, summary=gettext_lazy("Moderieren"))
    def post(self, request, pk: int):
        report = self.get_report(request, pk)
        form = s.ModerateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        services.report_moderate(
            report=report, moderation=v.get("moderation"), public_description=v.get("public_description"),
            photo_decisions={p["id"]: p["moderation"] for p in v.get("photos", [])}, actor=request.user,
        )
        return self.staff_response(request, pk)


__all__ = [name for name in dir() if name.endswith("View")]
