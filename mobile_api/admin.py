"""Admin of crew tokens: see who is logged in on which device, revoke a token (lost phone).

Tokens name crew members of every department: superusers only."""
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from routing_rules.access import SuperuserOnlyAdmin

from .models import CrewToken


@admin.register(CrewToken)
class CrewTokenAdmin(SuperuserOnlyAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        # Tokens come from the app's login or `manage.py create_crew_token` (shown once there).
        return False

    @admin.action(description=_("Ausgewählte Tokens widerrufen"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, ngettext("%d Token widerrufen.", "%d Tokens widerrufen.", count) % count,
                          messages.SUCCESS)
