"""Admin for the catalogue: organisations with members, groups, tags, datasets with their
resources (upload or link), and API tokens.

Admin changes pass through the services' helpers: uploaded files get size, SHA-256 and
media type (`resource_file_store`), and a saved dataset gets a new `metadata_modified`
and search index entry (`dataset_touch`). A new API token is shown once, in a message.
"""
from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.admin_widgets import MapAdminMixin
from routing_rules.access import SuperuserOnlyAdmin

from . import services
from .geo.admin import GEO_ADMIN_FIELDS, GeoIngestAdminMixin
from .geo.services import geo_ingest_fields_refresh, geo_ingest_queue
from .models import ApiToken, Dataset, Group, Organization, OrganizationMember, Resource, Tag, UpstreamPush
from .validation import fields as f

# Django 6 makes https the default scheme of URL form fields; opt in now.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class OrganizationMemberInline(admin.TabularInline):
    model = OrganizationMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "name", "email"]
    search_fields = ["name", "title"]
    prepopulated_fields = {"name": ["title"]}
    inlines = [OrganizationMemberInline]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "name", "theme"]
    search_fields = ["name", "title"]
    prepopulated_fields = {"name": ["title"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


def _resource_prepare(resource: Resource) -> None:
    """A resource saved in the admin: keep what an ingest wrote since the form was read, describe
    a new upload (size, SHA-256), mark links, guess format and media type from the file name or URL."""
    if not resource._state.adding:
        geo_ingest_fields_refresh(resource=resource)
    if resource.upload and not resource.upload._committed:
        services.resource_file_store(resource=resource, upload=resource.upload.file)
    elif not resource.upload:
        resource.url_type = Resource.UrlType.LINK
        geo_ingest_queue(resource=resource)  # drops the features of a removed upload
    source = resource.filename or resource.url
    resource.format = resource.format or f.format_guess(source)
    resource.mimetype = resource.mimetype or f.mimetype_guess(source)


class ResourceInline(GeoIngestAdminMixin, admin.StackedInline):
    formfield_overrides = URL_FIELDS
    model = Resource
    extra = 0
    fields = ["name", "description", "url", "upload", "format", "mimetype", "position", "size", "hash",
              "last_modified", *GEO_ADMIN_FIELDS]
    readonly_fields = ["size", "hash", "last_modified", *GEO_ADMIN_FIELDS]


@admin.register(Dataset)
class DatasetAdmin(MapAdminMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "title", "owner_org", "private", "state", "metadata_modified"]
    list_filter = ["state", "private", "owner_org", "groups", "license_id"]
    list_select_related = ["owner_org"]
    search_fields = ["name", "title", "notes"]
    prepopulated_fields = {"name": ["title"]}
    filter_horizontal = ["groups"]
    autocomplete_fields = ["tags"]
    readonly_fields = ["id", "metadata_created", "metadata_modified", "creator_user"]
    fieldsets = [
        (None, {"fields": ["name", "title", "notes", "owner_org", "private", "state", "license_id"]}),
        (_("Schlagwörter und Themen"), {"fields": ["tags", "groups"]}),
        (_("DCAT-AP.de"), {"fields": ["spatial", "temporal_start", "temporal_end", "frequency", "contributor_id"]}),
        (_("Kontakt"), {"fields": ["author", "author_email", "maintainer", "maintainer_email", "url", "version"]}),
        (_("Verwaltung"), {"fields": ["id", "extras", "creator_user", "metadata_created", "metadata_modified"]}),
    ]
    inlines = [ResourceInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.creator_user = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Resource:
            return super().save_formset(request, form, formset, change)
        for resource in formset.save(commit=False):
            _resource_prepare(resource)
            resource.save()
        for resource in formset.deleted_objects:
            resource.delete()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.dataset_touch(dataset=form.instance)


@admin.register(Resource)
class ResourceAdmin(GeoIngestAdminMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["__str__", "package", "format", "url_type", "size", "metadata_modified"]
    list_filter = ["format", "url_type"]
    list_select_related = ["package"]
    search_fields = ["name", "package__name", "url"]
    raw_id_fields = ["package"]
    fields = ["package", "name", "description", "url", "upload", "format", "mimetype", "position", "resource_type",
              "extras", "url_type", "size", "hash", "last_modified", *GEO_ADMIN_FIELDS]
    readonly_fields = ["url_type", "size", "hash", "last_modified", *GEO_ADMIN_FIELDS]

    def save_model(self, request, obj, form, change):
        _resource_prepare(obj)
        super().save_model(request, obj, form, change)
        services.dataset_touch(dataset=obj.package)


@admin.register(OrganizationMember)
class OrganizationMemberAdmin(SuperuserOnlyAdmin):
    list_display = ["user", "organization", "capacity"]
    list_filter = ["capacity", "organization"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(SuperuserOnlyAdmin):
    list_display = ["name", "user", "prefix_display", "created", "last_used", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "user__username", "prefix"]
    autocomplete_fields = ["user"]
    readonly_fields = ["prefix", "created", "last_used"]

    @admin.display(description=_("Anfang"))
    def prefix_display(self, obj):
        return format_html("<code>{}…</code>", obj.prefix)

    def get_fields(self, request, obj=None):
        return ["user", "name"] if obj is None else ["user", "name", "prefix", "created", "last_used", "revoked"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["user", "prefix", "created", "last_used"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, raw = services.api_token_create(user=obj.user, name=obj.name)
        obj.pk = token.pk
        obj.token_hash, obj.prefix, obj.created = token.token_hash, token.prefix, token.created
        obj._state.adding = False
        messages.warning(request, format_html(
            _("Neues API-Token (wird nur dieses eine Mal angezeigt): {}"), format_html("<code>{}</code>", raw)))


@admin.register(UpstreamPush)
class UpstreamPushAdmin(admin.ModelAdmin):
    """The log of pushes to the upstream CKAN (opendata.upstream): read-only."""

    list_display = ["upstream_name", "action", "status", "attempts", "created", "last_attempt_at", "finished_at"]
    list_filter = ["status", "action"]
    search_fields = ["dataset_name", "upstream_name", "error"]
    date_hierarchy = "created"
    list_select_related = ["dataset"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
