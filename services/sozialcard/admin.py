"""The admin of programmes, partners, tills and cards, scoped to the user's departments
(`routing_rules.access`): a programme by its deciding office, a partner by the office that
manages it, a card by its programme's office, a till by its partner's office.

A till's API key is made by the action "Neue Kasse mit Schlüssel" only (`services.till_create`,
the key shown once); cards are issued by the clerk's decision, never typed in here.
"""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from config.admin_widgets import MapAdminMixin
from routing_rules.access import DepartmentScopedAdmin

from .models import Card, DiscountCategory, Partner, PartnerDiscount, PartnerLocation, Programme, Till
from .services import card_revoke, till_revoke


class DiscountCategoryInline(admin.TabularInline):
    model = DiscountCategory
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(DepartmentScopedAdmin):
    list_display = ("name_de", "slug", "department", "max_validity_months", "minimum_age", "is_active")
    inlines = [DiscountCategoryInline]


class PartnerLocationInline(MapAdminMixin, admin.StackedInline):
    model = PartnerLocation
    extra = 0


class PartnerDiscountInline(admin.TabularInline):
    model = PartnerDiscount
    extra = 0


@admin.register(Partner)
class PartnerAdmin(DepartmentScopedAdmin):
    list_display = ("name", "department", "is_active")
    inlines = [PartnerLocationInline, PartnerDiscountInline]


@admin.register(PartnerLocation)
class PartnerLocationAdmin(MapAdminMixin, DepartmentScopedAdmin):
    department_path = "partner__department"
    list_display = ("name", "partner", "address")


@admin.register(Till)
class TillAdmin(DepartmentScopedAdmin):
    department_path = "partner__department"
    list_display = ("name", "partner", "key_prefix", "created_at", "revoked_at")
    readonly_fields = ("key_prefix", "created_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # a key is made by `manage.py sozialcard_till_create` (shown once)

    @admin.action(description=_("Schlüssel der gewählten Kassen sperren"))
    def revoke(self, request, queryset):
        for till in queryset:
            till_revoke(till=till)
        self.message_user(request, _("Gesperrt."), messages.SUCCESS)


@admin.register(Card)
class CardAdmin(DepartmentScopedAdmin):
    department_path = "programme__department"
    list_display = ("programme", "given_name", "birth_year", "valid_from", "valid_until", "kind", "revoked_at")
    list_filter = ("programme", "kind")
    readonly_fields = ("programme", "category", "owner", "case", "given_name", "birth_year", "valid_from",
                       "valid_until", "kind", "device_generation", "revoked_at", "revocation_reason")
    fields = readonly_fields
    actions = ["revoke_ended", "revoke_lost"]

    def has_add_permission(self, request):
        return False  # cards come from a clerk's decision on an application

    @admin.action(description=_("Gewählte Karten sperren: Leistung beendet"))
    def revoke_ended(self, request, queryset):
        for card in queryset:
            card_revoke(card=card, reason=Card.Revocation.BENEFIT_ENDED)
        self.message_user(request, _("Gesperrt."), messages.SUCCESS)

    @admin.action(description=_("Gewählte Karten sperren: Karte verloren"))
    def revoke_lost(self, request, queryset):
        for card in queryset:
            card_revoke(card=card, reason=Card.Revocation.LOST)
        self.message_user(request, _("Gesperrt."), messages.SUCCESS)
