"""Admin of cases: a read-only view for superusers (clerks work in /sachbearbeitung/vorgaenge/;
every write goes through `cases.services` so that history and notifications stay complete)."""
from django.contrib import admin

from routing_rules.access import SuperuserOnlyAdmin

from .models import Case


class ReadOnlyAdmin(SuperuserOnlyAdmin):
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("reference", "service", "status", "department", "channel", "created_at", "due_date")
    list_filter = ("service", "status", "channel")
    search_fields = ("reference",)
    list_select_related = ("department",)
    date_hierarchy = "created_at"
