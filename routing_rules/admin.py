"""Admin for departments, categories and routing rules (rules are ordered by priority)."""
from django.contrib import admin

from .models import Category, Department, RoutingRule


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "email", "is_active"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["members"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "group", "default_department", "sla_days", "photo_required", "is_active"]
    list_filter = ["group", "is_active", "default_department"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["priority", "name", "category", "category_group", "layer", "condition", "department", "is_active"]
    list_display_links = ["name"]
    list_editable = ["priority", "is_active"]
    list_filter = ["layer", "department", "is_active"]
    list_select_related = ["category", "layer", "department"]
    ordering = ["priority", "id"]
