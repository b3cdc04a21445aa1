"""Input validation and public output of the reports API.

Public output serializers read the public views (`reporter.public`: `PublicReport`,
`PublicPhoto`, `PublicStatusChange`), which hold no reporter name, email or phone, no original
text, no internal notes, no EXIF data and no unmoderated photo.
"""
import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reporter.models import PublicPhoto, PublicReport, PublicStatusChange, Report, ReportPhoto
from reporter.public import public_coordinate
from reporter.selectors import report_list_for_staff
from routing_rules.models import Category, Department


class CategoryField(serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": _("Unbekannte Kategorie „{value}“."),
        "invalid": _("Ungültige Kategorie."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", queryset=Category.objects.filter(is_active=True)
                         .select_related("default_department"), **kwargs)


class LonLatMixin(serializers.Serializer):
    """WGS 84 longitude/latitude, both or neither."""

    lon = serializers.FloatField(required=False, min_value=-180, max_value=180,
                                 help_text="WGS 84 longitude (EPSG:4326)")
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90,
                                 help_text="WGS 84 latitude (EPSG:4326)")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if ("lon" in attrs) != ("lat" in attrs):
            raise serializers.ValidationError({"lat" if "lon" in attrs else "lon": _("lon und lat gehören zusammen.")})
        return attrs


class JSONObjectField(serializers.JSONField):
    """A JSON object, also accepted as a JSON string (multipart forms)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data) if data.strip() else {}
            except ValueError as exc:
                raise serializers.ValidationError(_("Ungültiges JSON.")) from exc
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("Ein JSON-Objekt wird erwartet."))
        return data


class ReportCreateSerializer(LonLatMixin):
    category = CategoryField()
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    location_text = serializers.CharField(required=False, allow_blank=True, max_length=500)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    answers = JSONObjectField(required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=50)
    channel = serializers.ChoiceField(choices=Report.Channel.choices, default=Report.Channel.API)
    language = serializers.ChoiceField(choices=[("de", "de"), ("en", "en")], required=False)
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=10,
                                   help_text="up to 3 images (multipart)")
    submission_key = serializers.RegexField(
        r"^[A-Za-z0-9_-]{16,64}$", required=False,
        help_text="client-chosen random key per draft (a UUID, 16-64 characters: knowing it reveals the "
                  "tracking token); re-sending it returns the first report (200)")


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Report.Status.choices)
    note_public = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    note_internal = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    duplicate_of = serializers.PrimaryKeyRelatedField(queryset=Report.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only reports the clerk may see: another department's report is "not found" (400),
        # exactly like a number that does not exist.
        request = self.context.get("request")
        if request is not None:
            self.fields["duplicate_of"].queryset = report_list_for_staff(user=request.user)


class RerouteSerializer(LonLatMixin):
    category = CategoryField(required=False)
    department = serializers.SlugRelatedField(
        slug_field="slug", queryset=Department.objects.filter(is_active=True), required=False,
        help_text="target department (slug); without it the routing rules decide",
        error_messages={"does_not_exist": _("Unbekannter Fachbereich „{value}“."),
                        "invalid": _("Ungültiger Fachbereich.")})
    reason = serializers.CharField(max_length=1000)


class PhotoDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    moderation = serializers.ChoiceField(choices=[ReportPhoto.Moderation.APPROVED, ReportPhoto.Moderation.REJECTED])


class ModerateSerializer(serializers.Serializer):
    moderation = serializers.ChoiceField(choices=Report.Moderation.choices, required=False)
    public_description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    photos = PhotoDecisionSerializer(many=True, required=False)


class ReopenSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class SupportSerializer(serializers.Serializer):
    supporter_token = serializers.CharField(required=False, max_length=200,
                                            help_text="random token kept by the client; prevents double support")


class RouteQuerySerializer(serializers.Serializer):
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    category = CategoryField()


# --- output -----------------------------------------------------------------

class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    department = serializers.CharField(source="default_department.name")

    class Meta:
        model = Category
        fields = ["slug", "name", "group", "icon", "sla_days", "photo_required", "duplicate_radius_m",
                  "questions", "department"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["slug", "name", "email"]


class PhotoPublicSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = PublicPhoto
        fields = ["id", "kind", "url", "thumbnail_url"]

    def _abs(self, f):
        request = self.context.get("request")
        return request.build_absolute_uri(f.url) if (f and request) else (f.url if f else None)

    def get_url(self, obj) -> str | None:
        return self._abs(obj.image)

    def get_thumbnail_url(self, obj) -> str | None:
        return self._abs(obj.thumbnail)


class HistoryPublicSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_to_status_display")

    class Meta:
        model = PublicStatusChange
        fields = ["from_status", "to_status", "status_label", "note_public", "created_at"]


class ReportPublicSerializer(serializers.ModelSerializer):
    """A report as anyone may see it (GeoJSON-like feature properties plus lon/lat)."""

    lon = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField()
    category = serializers.CharField(source="category.slug")
    category_name = serializers.CharField(source="category.display_name")
    status_label = serializers.CharField(source="get_status_display")
    department = serializers.CharField(source="department.name")
    target_days = serializers.IntegerField(source="category.sla_days")
    photos = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta:
        model = PublicReport
        fields = ["id", "lon", "lat", "address", "category", "category_name", "status", "status_label",
                  "department", "district", "description", "supporter_count", "target_days",
                  "created_at", "updated_at", "closed_at", "photos", "history"]

    def get_lon(self, obj) -> float:
        return public_coordinate(obj.location.x)

    def get_lat(self, obj) -> float:
        return public_coordinate(obj.location.y)

    @extend_schema_field(PhotoPublicSerializer(many=True))
    def get_photos(self, obj):
        return PhotoPublicSerializer(getattr(obj, "public_photos", []), many=True, context=self.context).data

    @extend_schema_field(HistoryPublicSerializer(many=True))
    def get_history(self, obj):
        return HistoryPublicSerializer(getattr(obj, "public_history", []), many=True).data


class ReportCreatedSerializer(ReportPublicSerializer):
    """The answer to the reporter: the public view plus tracking token and routing explanation,
    which come from the stored report in the context (`context["report"]`), never from the view."""

    tracking_token = serializers.SerializerMethodField()
    tracking_url = serializers.SerializerMethodField()
    routing = serializers.SerializerMethodField()

    class Meta(ReportPublicSerializer.Meta):
        fields = [*ReportPublicSerializer.Meta.fields, "tracking_token", "tracking_url", "routing"]

    def get_tracking_token(self, obj) -> str:
        return self.context["report"].tracking_token

    def get_tracking_url(self, obj) -> str:
        from reporter.notify import tracking_url

        return tracking_url(self.context["report"])

    def get_routing(self, obj) -> dict:
        e = self.context["report"].routing_explanation or {}
        return {k: e.get(k) for k in ("reason", "department_name", "rule_name", "layer_slug", "area_name",
                                      "district", "location_source")}


class ReportStaffSerializer(ReportPublicSerializer):
    """Staff view of a `Report`: everything, including private contact data, the exact location
    and the full history."""

    description = serializers.SerializerMethodField()
    district = serializers.SerializerMethodField()
    original_description = serializers.CharField(source="description")
    public_description = serializers.CharField()
    reporter = serializers.SerializerMethodField()
    routing_explanation = serializers.JSONField()
    staff_history = serializers.SerializerMethodField()
    all_photos = serializers.SerializerMethodField()

    class Meta(ReportPublicSerializer.Meta):
        model = Report
        fields = [*ReportPublicSerializer.Meta.fields, "moderation", "original_description", "public_description",
                  "answers", "channel", "reporter", "routing_explanation", "staff_history", "all_photos"]

    def get_lon(self, obj) -> float:
        return round(obj.location.x, 7)

    def get_lat(self, obj) -> float:
        return round(obj.location.y, 7)

    def get_description(self, obj) -> str:
        """The text the public sees (empty until moderation approved it)."""
        return obj.public_description if obj.moderation == Report.Moderation.APPROVED else ""

    def get_district(self, obj) -> str:
        return (obj.routing_explanation or {}).get("district", "")

    def get_reporter(self, obj) -> dict:
        return {"name": obj.reporter_name, "email": obj.reporter_email, "phone": obj.reporter_phone}

    def get_staff_history(self, obj) -> list:
        return [{"kind": h.kind, "from_status": h.from_status, "to_status": h.to_status,
                 "note_public": h.note_public, "note_internal": h.note_internal, "details": h.details,
                 "actor": h.actor.get_username() if h.actor else None, "created_at": h.created_at}
                for h in obj.history.select_related("actor").all()]

    def get_all_photos(self, obj) -> list:
        return [{"id": p.id, "kind": p.kind, "processing": p.processing, "moderation": p.moderation,
                 "width": p.width, "height": p.height} for p in obj.photos.all()]


class NearbySerializer(serializers.ModelSerializer):
    lon = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField()
    distance_m = serializers.SerializerMethodField()
    category = serializers.CharField(source="category.slug")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = PublicReport
        fields = ["id", "lon", "lat", "distance_m", "category", "status", "status_label", "address",
                  "description", "supporter_count", "created_at"]

    def get_lon(self, obj) -> float:
        return public_coordinate(obj.location.x)

    def get_lat(self, obj) -> float:
        return public_coordinate(obj.location.y)

    def get_distance_m(self, obj) -> float:
        return round(obj.distance_m, 1)
