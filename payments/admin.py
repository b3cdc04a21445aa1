"""Payments in the admin, read only (the provider owns the state)."""
from django.contrib import admin

from .models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "service", "amount_cents", "currency", "status", "provider", "provider_reference"]
    list_filter = ["status", "service", "provider"]
    readonly_fields = [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
