"""Admin for departments, categories and routing rules (rules are ordered by priority), and
the user accounts, which only superusers may see (they hold staff and, with the citizen
account, citizens' names and addresses; `routing_rules.access`)."""
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from .access import SuperuserOnlyAdmin
from .models import Category, Department, RoutingRule


def admin_close_to_clerks() -> None:
    """Re-register the accounts and the third-party tables that name people (login attempts
    with addresses, API tokens) for superusers only, whatever a clerk's permissions; their own
    admin classes are kept. Called from `RoutingRulesConfig.ready()`, after every admin module
    (axes' included) was imported."""
    closed = [(get_user_model(), UserAdmin), (Group, GroupAdmin)]
    for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog", "authtoken.TokenProxy",
                  "oauth2_provider.Application", "oauth2_provider.AccessToken", "oauth2_provider.RefreshToken",
                  "oauth2_provider.IDToken", "oauth2_provider.Grant"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        registered = admin.site._registry.get(model)
        closed.append((model, type(registered) if registered else admin.ModelAdmin))
    for model, base in closed:
        if issubclass(base, SuperuserOnlyAdmin):
            continue
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, type(f"{model.__name__}Admin", (SuperuserOnlyAdmin, base), {}))


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
