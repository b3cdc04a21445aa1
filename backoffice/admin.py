"""Admin for answer templates (configuration stays in the admin; the work happens in the back office)."""
from django.contrib import admin

from .models import AnswerTemplate


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "department", "category", "status", "order", "is_active"]
    list_filter = ["is_active", "status", "department", "category"]
    list_editable = ["order", "is_active"]
    search_fields = ["title", "body"]
