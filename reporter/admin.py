"""Back-office admin for reports: history and photos inline, filters per department and status.

Changes of status, routing and moderation go through the API/services (which notify and
record history); the admin shows them and lets staff correct plain fields.
"""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from config.admin_widgets import MapAdminMixin
from routing_rules.access import DepartmentScopedAdmin

from .models import Report, ReportPhoto, StatusChange


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "from_status", "to_status", "note_public", "note_internal", "actor", "details"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    extra = 0
    fields = ["kind", "thumbnail", "processing", "moderation", "width", "height", "original_bytes"]
    readonly_fields = ["kind", "thumbnail", "processing", "width", "height", "original_bytes"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(MapAdminMixin, DepartmentScopedAdmin):
    """Reports of the user's departments only (`routing_rules.access`), as in the back office."""

    list_display = ["id", "category", "status", "department", "moderation", "created_at", "supporter_count"]
    list_filter = ["status", "moderation", "department", "category", "channel"]
    list_select_related = ["category", "department"]
    search_fields = ["=id", "address", "description", "tracking_token"]
    date_hierarchy = "created_at"
    readonly_fields = ["tracking_token", "routing_explanation", "created_at", "updated_at", "closed_at",
                       "supporter_count", "status", "department", "category"]
    map_disabled_fields = ("location",)  # set by the report's creation, shown on the map
    fieldsets = [
        (None, {"fields": ["category", "status", "department", "location", "address", "location_text"]}),
        (_("Inhalt"), {"fields": ["description", "public_description", "moderation", "answers"]}),
        (_("Meldende Person (privat)"), {"fields": ["reporter_name", "reporter_email", "reporter_phone", "language"]}),
        (_("Verwaltung"), {"fields": ["channel", "tracking_token", "routing_explanation", "duplicate_of",
                                      "supporter_count", "created_at", "updated_at", "closed_at"]}),
    ]
    raw_id_fields = ["duplicate_of"]
    inlines = [ReportPhotoInline, StatusChangeInline]
