"""Admin of the topic rules: superusers see all; a clerk sees and edits only the rules of
their own departments (`routing_rules.access.DepartmentScopedAdmin`) and can give a rule
only to one of them. The topic is one of the form's topics.

The mails taken in (`InboundMail`: key, outcome, case reference; no personal data) are a
read-only list for superusers, to follow the intake."""
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from routing_rules.access import DepartmentScopedAdmin, departments_of

from .models import InboundMail, TopicRule
from .routing import topic_choices


class TopicRuleForm(forms.ModelForm):
    topic = forms.ChoiceField(label=_("Thema"), required=False)

    class Meta:
        model = TopicRule
        fields = ["name", "topic", "keywords", "department", "order", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("jedes Thema"))] + topic_choices()
        self.fields["topic"].help_text = TopicRule._meta.get_field("topic").help_text


@admin.register(TopicRule)
class TopicRuleAdmin(DepartmentScopedAdmin):
    form = TopicRuleForm
    list_display = ["order", "name", "topic", "keywords", "department", "is_active"]
    list_display_links = ["name"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active", "department"]
    list_select_related = ["department"]
    search_fields = ["name", "keywords"]
    ordering = ["order", "id"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department":
            kwargs["queryset"] = departments_of(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request):
        # The department filter would list every department's name: only for superusers.
        return self.list_filter if request.user.is_superuser else ["is_active"]


@admin.register(InboundMail)
class InboundMailAdmin(admin.ModelAdmin):
    list_display = ["received_at", "outcome", "case", "key"]
    list_filter = ["outcome"]
    list_select_related = ["case"]
    search_fields = ["case__reference"]
    ordering = ["-received_at", "-pk"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
