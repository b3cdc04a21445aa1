"""Admin of citizen identities (read-mostly: they are made by logins). They hold names,
addresses and birth dates of citizens: superusers only (`routing_rules.access`)."""
from django.contrib import admin

from routing_rules.access import SuperuserOnlyAdmin

from .models import Identity


@admin.register(Identity)
class IdentityAdmin(SuperuserOnlyAdmin):
    list_display = ("user", "issuer", "subject", "trust_level", "last_login_at")
    list_filter = ("trust_level", "issuer")
    search_fields = ("subject", "user__username", "user__email")
    readonly_fields = ("user", "issuer", "subject", "trust_level", "claims", "created_at", "last_login_at")
