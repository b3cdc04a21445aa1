"""Input validation and output of the field-crew API.

A task shows what the crew needs on site, including the original description and internal
notes (the crew is internal), processed photos (also those waiting for moderation) — but
never the reporter's name, email or phone, never photo originals or their EXIF data. The
output lists its fields explicitly.
"""
from datetime import UTC

from django.contrib.gis.geos import Point
from django.utils.dateparse import parse_datetime
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.openapi import ConflictSerializer, ErrorSerializer  # noqa: F401  (the API's error bodies)
from reporter.models import Report, ReportPhoto, StatusChange

from .actions import ACTIONS, actions_allowed
from .conf import mobile_setting

# Decimal places of coordinates: 6 ≈ 0.1 m at our latitude.
COORD_PRECISION = 6


def rfc3339(moment) -> str:
    """UTC with a "Z": no "+" that a query string would turn into a space."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --- input --------------------------------------------------------------------------

class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=200, trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                 help_text="a label for the device, e.g. „Diensthandy Trupp 3“")


class TaskListQuerySerializer(serializers.Serializer):
    near = serializers.CharField(required=False, help_text="lon,lat (WGS 84): sort by distance, adds distance_m")
    within_m = serializers.FloatField(required=False, min_value=1, max_value=100_000,
                                      help_text="only tasks within this many metres of `near`")
    since = serializers.CharField(required=False, help_text="RFC 3339 timestamp, the `sync_token` of the last "
                                                            "sync: only changed tasks, plus `removed`")
    limit = serializers.IntegerField(required=False, min_value=1)
    offset = serializers.IntegerField(required=False, min_value=0, default=0)

    def validate_near(self, value) -> Point:
        message = _("near: „lon,lat“ erwartet (WGS 84, Dezimalgrad), z. B. near=12.08,50.88.")
        try:
            lon, lat = (float(p) for p in value.split(","))
        except ValueError:
            raise serializers.ValidationError(message) from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise serializers.ValidationError(_("near: Koordinaten außerhalb des gültigen Bereichs (WGS 84)."))
        return Point(lon, lat, srid=4326)

    def validate_since(self, value):
        # A "+" of the offset arrives as a space when the client did not encode it.
        moment = parse_datetime(value.strip().replace(" ", "+"))
        if moment is None or moment.tzinfo is None:
            raise serializers.ValidationError(
                _("since: Zeitpunkt nach RFC 3339 mit Zeitzone erwartet, z. B. 2026-12-01T08:00:00Z."))
        return moment

    def validate_limit(self, value):
        return min(value, mobile_setting("MAX_PAGE_SIZE"))

    def validate(self, attrs):
        if "within_m" in attrs and "near" not in attrs:
            raise serializers.ValidationError({"within_m": _("within_m braucht near.")})
        return attrs


def _unknown_action_message() -> str:
    # DRF fills in "{input}" with str.format; the catalogue text is the one services.task_transition uses.
    return _("Unbekannte Aktion „%(a)s“. Möglich: %(all)s.") % {"a": "{input}", "all": ", ".join(ACTIONS)}


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS, error_messages={
        "invalid_choice": lazy(_unknown_action_message, str)(),
    })
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000,
                                 help_text="public note: the reporter reads it")
    note_internal = serializers.CharField(required=False, allow_blank=True, max_length=5000,
                                          help_text="internal note for the department")
    photos_before = serializers.ListField(child=serializers.FileField(), required=False,
                                          help_text="images before the work (multipart)")
    photos_after = serializers.ListField(child=serializers.FileField(), required=False,
                                         help_text="images after the work (multipart)")


# --- output -------------------------------------------------------------------------

class TaskCategorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(source="display_name")
    icon = serializers.CharField()


class TaskPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportPhoto
        fields = ["id", "kind", "url", "thumbnail_url", "created_at"]

    def _abs(self, f) -> str | None:
        request = self.context.get("request")
        if not f:
            return None
        return request.build_absolute_uri(f.url) if request else f.url

    def get_url(self, obj) -> str | None:
        return self._abs(obj.image)

    def get_thumbnail_url(self, obj) -> str | None:
        return self._abs(obj.thumbnail)


class TaskNoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatusChange
        fields = ["kind", "from_status", "to_status", "note_public", "note_internal", "created_at"]


class PointSerializer(serializers.Serializer):
    type = serializers.CharField(default="Point")
    coordinates = serializers.ListField(child=serializers.FloatField(), help_text="[lon, lat], WGS 84")


class TaskSerializer(serializers.ModelSerializer):
    """One task as the crew app sees it: the schema of the API and the reference of its JSON.

    The endpoints send the JSON that PostgreSQL builds (`mobile_api.task_json`), field for
    field the same as this serializer's output for a report with `crew_history` and
    `crew_photos` (tests/mobile_api/test_task_json.py compares the two).
    """

    category = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display")
    location = serializers.SerializerMethodField()
    crew = serializers.SerializerMethodField()
    department = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    distance_m = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "category", "status", "status_label", "location", "address", "location_text",
                  "description", "crew", "department", "due_date", "assigned_at", "created_at", "updated_at",
                  "version", "allowed_actions", "distance_m", "notes", "photos"]

    @extend_schema_field(TaskCategorySerializer)
    def get_category(self, obj):
        return TaskCategorySerializer(obj.category).data

    @extend_schema_field(PointSerializer)
    def get_location(self, obj):
        return {"type": "Point", "coordinates": [round(obj.location.x, COORD_PRECISION),
                                                 round(obj.location.y, COORD_PRECISION)]}

    def get_crew(self, obj) -> dict | None:
        return {"id": obj.crew_id, "name": obj.crew.name} if obj.crew_id else None

    def get_department(self, obj) -> dict:
        return {"slug": obj.department.slug, "name": obj.department.name}

    @extend_schema_field(TaskNoteSerializer(many=True))
    def get_notes(self, obj):
        return TaskNoteSerializer(getattr(obj, "crew_history", []), many=True).data

    @extend_schema_field(TaskPhotoSerializer(many=True))
    def get_photos(self, obj):
        return TaskPhotoSerializer(getattr(obj, "crew_photos", []), many=True, context=self.context).data

    def get_allowed_actions(self, obj) -> list[str]:
        # A task taken away from the crew (handed back) offers nothing more.
        return actions_allowed(obj.status) if obj.crew_id else []

    def get_distance_m(self, obj) -> float | None:
        distance = getattr(obj, "distance_m", None)
        return None if distance is None else round(distance, 1)


class TaskPageSerializer(serializers.Serializer):
    """Schema of GET tasks."""

    results = TaskSerializer(many=True)
    next = serializers.URLField(allow_null=True, help_text="the next page (same query), or null")
    removed = serializers.ListField(child=serializers.IntegerField(),
                                    help_text="with `since`: ids of tasks that left the list since then")
    sync_token = serializers.CharField(help_text="RFC 3339 timestamp; pass it as `since` next time")


class CrewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    department = serializers.CharField(source="department.name")


class MeSerializer(serializers.Serializer):
    username = serializers.CharField(source="get_username")
    name = serializers.CharField(source="get_full_name")
    crews = CrewSerializer(many=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="send as `Authorization: Crew <token>`; shown only once")
    token_type = serializers.CharField(default="Crew")
    user = MeSerializer()


class StaleSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField()
    task = TaskSerializer()
