"""Admin for Open311 clients: a new client's key is made on save and shown once.

API clients and their submissions span every department: superusers only."""
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from routing_rules.access import SuperuserOnlyAdmin

from . import services
from .models import Open311Client, Open311Submission


@admin.register(Open311Client)
class Open311ClientAdmin(SuperuserOnlyAdmin):
    list_display = ["name", "prefix_display", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "key_prefix"]

    @admin.display(description=_("Anfang des Schlüssels"))
    def prefix_display(self, obj):
        return format_html("<code>{}…</code>", obj.key_prefix)

    def get_fields(self, request, obj=None):
        return ["name"] if obj is None else ["name", "is_active", "key_prefix", "created_at", "last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["key_prefix", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        client, raw = services.client_create(name=obj.name)
        obj.pk, obj.key_hash, obj.key_prefix, obj.created_at = client.pk, client.key_hash, client.key_prefix, \
            client.created_at
        obj._state.adding = False
        messages.warning(request, format_html(
            _("Neuer API-Schlüssel (wird nur dieses eine Mal angezeigt): {}"), format_html("<code>{}</code>", raw)))


@admin.register(Open311Submission)
class Open311SubmissionAdmin(SuperuserOnlyAdmin):
    """Which client filed which report: read-only."""

    list_display = ["report", "client", "created_at"]
    list_filter = ["client"]
    list_select_related = ["client", "report"]
    raw_id_fields = ["report"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
