"""Admin of the OZG monitor, scoped by department (`routing_rules.access`): superusers see
every entry; a clerk sees and edits the entries of their own departments and can give an
entry only to one of them. For a plug-in service, what it declares (title, LeiKa key, start
page, and topic or maturity where declared) is shown read-only. "CSV importieren" on the list
imports a file all or nothing (`ozgmonitor.csv_import`); a clerk's import is scoped likewise."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from portal.selectors import service_list
from routing_rules.access import DepartmentScopedAdmin, departments_of

from .csv_import import COLUMNS, CsvImportError, services_import_csv
from .maturity import maturity_errors
from .models import Origin, OzgService, OzgServiceChange
from .services import ozg_service_save


class OzgServiceForm(forms.ModelForm):
    url = forms.URLField(label=_("Adresse der Leistung"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = OzgService
        fields = ["key", "origin", "title", "title_en", "url", "provider", "leika_key", "topic", "department",
                  "status", "go_live_date", "target_date", "delivery_route", "maturity_model", "maturity"]

    def clean(self):
        cleaned = super().clean()
        errors = maturity_errors(cleaned.get("maturity_model") or "1.1", cleaned.get("maturity") or {})
        if errors:
            self.add_error("maturity", errors)
        return cleaned


class ChangeInline(admin.TabularInline):
    model = OzgServiceChange
    fields = ["changed_on", "status", "maturity_level"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CsvUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV-Datei"), help_text=_("UTF-8, mit Kopfzeile; Spalten: %(columns)s")
                           % {"columns": ", ".join(COLUMNS)})


@admin.register(OzgService)
class OzgServiceAdmin(DepartmentScopedAdmin):
    form = OzgServiceForm
    inlines = [ChangeInline]
    list_display = ["title", "key", "origin", "topic", "status", "maturity_level", "department", "target_date"]
    list_filter = ["status", "origin", "topic"]
    list_select_related = ["department"]
    search_fields = ["title", "key", "leika_key"]
    change_list_template = "admin/ozgmonitor/ozgservice/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        fixed = ["maturity_level"]
        if obj is None or obj.origin != Origin.PORTAL:
            return fixed + (["origin"] if obj is not None else [])
        fixed += ["key", "origin", "title", "leika_key", "url"]
        declared = {service.slug: service for service in service_list()}.get(obj.key)
        if declared is not None and declared.ozg_topic:
            fixed.append("topic")
        if declared is not None and declared.ozg_maturity:
            fixed += ["maturity_model", "maturity"]
        return fixed

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department":
            kwargs["queryset"] = departments_of(user=request.user)
            kwargs["required"] = not request.user.is_superuser  # a clerk's entry stays in their scope
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        ozg_service_save(service=obj)

    def get_urls(self):
        return [path("import/", self.admin_site.admin_view(self.import_view), name="ozgmonitor_ozgservice_import"),
                *super().get_urls()]

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = CsvUploadForm(request.POST or None, request.FILES or None)
        errors, status = [], 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    result = services_import_csv(content=form.cleaned_data["file"].read(), user=request.user)
                except CsvImportError as exc:
                    errors, status = exc.errors, 400
                else:
                    self.message_user(request, _("%(created)d Leistungen angelegt, %(updated)d geändert.")
                                      % {"created": result.created, "updated": result.updated}, messages.SUCCESS)
                    return redirect(reverse("admin:ozgmonitor_ozgservice_changelist"))
            else:
                status = 400
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "errors": errors, "title": _("Leistungen aus CSV importieren")}
        return TemplateResponse(request, "admin/ozgmonitor/ozgservice/import.html", context, status=status)
