"""Admin of FIT-Connect: destinations per department and service, submissions (read only).

A clerk sees and edits only the destinations of their own departments and may give one
only to one of them (`routing_rules.access`); the submissions list shows the state and the
logged attempts (no personal data: ids, steps, technical outcomes), also scoped by the case's
lead department.
"""
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.types import case_type_list
from routing_rules.access import DepartmentScopedAdmin, departments_of

from .models import FitConnectAttempt, FitConnectDestination, FitConnectSubmission


class FitConnectDestinationForm(forms.ModelForm):
    service = forms.ChoiceField(label=_("Leistung"))

    class Meta:
        model = FitConnectDestination
        fields = ["department", "service", "destination_id", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The services that file cases (a destination for anything else would never be used).
        self.fields["service"].choices = [(t.slug, t.slug) for t in case_type_list()]


@admin.register(FitConnectDestination)
class FitConnectDestinationAdmin(DepartmentScopedAdmin):
    form = FitConnectDestinationForm
    list_display = ["department", "service", "destination_id", "is_active"]
    list_filter = ["is_active", "service"]
    list_select_related = ["department"]
    ordering = ["department__name", "service"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department":
            kwargs["queryset"] = departments_of(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FitConnectAttemptInline(admin.TabularInline):
    model = FitConnectAttempt
    fields = ["created_at", "step", "outcome", "detail"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FitConnectSubmission)
class FitConnectSubmissionAdmin(DepartmentScopedAdmin):
    department_path = "case__department"
    list_display = ["case", "state", "submission_id", "attempts", "submitted_at", "answered_at"]
    list_filter = ["state"]
    list_select_related = ["case"]
    search_fields = ["case__reference", "submission_id"]
    inlines = [FitConnectAttemptInline]
    fields = ["case", "destination_id", "state", "submission_id", "remote_case_id", "attempts", "last_error",
              "created_at", "submitted_at", "answered_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
