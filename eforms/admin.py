"""Admin of form definitions (superusers only): a definition is checked against the schema on
save; an existing version cannot be changed except for `is_active` — a changed form is added
as a new version with the same slug."""
import json

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from routing_rules.access import SuperuserOnlyAdmin

from .definition import definition_errors
from .models import FormDefinition
from .services import form_definition_create


class FormDefinitionAddForm(forms.ModelForm):
    class Meta:
        model = FormDefinition
        fields = ["slug", "title", "definition", "is_active"]

    def clean_definition(self):
        definition = self.cleaned_data["definition"]
        errors = definition_errors(definition)
        if errors:
            raise forms.ValidationError([forms.ValidationError(e, code="schema") for e in errors])
        return definition


@admin.register(FormDefinition)
class FormDefinitionAdmin(SuperuserOnlyAdmin):
    list_display = ["slug", "version", "title", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["slug", "title"]
    form = FormDefinitionAddForm

    def get_readonly_fields(self, request, obj=None):
        return ["slug", "version", "title", "pretty_definition", "created_at"] if obj else []

    def get_fields(self, request, obj=None):
        if obj:
            return ["slug", "version", "title", "pretty_definition", "created_at", "is_active"]
        return ["slug", "title", "definition", "is_active"]

    @admin.display(description=_("Definition"))
    def pretty_definition(self, obj):
        from django.utils.html import format_html

        return format_html("<pre>{}</pre>", json.dumps(obj.definition, ensure_ascii=False, indent=2))

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["is_active"])
            return
        created = form_definition_create(slug=obj.slug, definition=obj.definition, title=obj.title,
                                         is_active=obj.is_active)
        obj.pk, obj.version, obj.created_at = created.pk, created.version, created.created_at
