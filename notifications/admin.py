"""Admin for the outbox: read-only list of notifications with their attempt log, and "retry now".

The outbox holds recipients and message bodies of every department and cannot be scoped to
one: superusers only (`routing_rules.access.SuperuserOnlyAdmin`). Clerks see a report's
messages in the back office."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from routing_rules.access import SuperuserOnlyAdmin

from . import services
from .models import Notification, NotificationAttempt


class NotificationAttemptInline(admin.TabularInline):
    model = NotificationAttempt
    fields = ["at", "ok", "status_code", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(SuperuserOnlyAdmin):
    list_display = ["id", "event", "channel", "recipient", "object_id", "state", "attempts",
                    "next_attempt_at", "created_at", "sent_at"]
    list_filter = ["state", "channel", "event"]
    search_fields = ["recipient", "object_id", "subject", "event"]
    date_hierarchy = "created_at"
    # The signing secret never appears in the admin.
    fields = ["channel", "recipient", "event", "object_id", "subject", "body", "payload", "state", "attempts",
              "last_error", "next_attempt_at", "created_at", "sent_at"]
    readonly_fields = fields
    inlines = [NotificationAttemptInline]
    actions = ["retry_now"]

    def has_add_permission(self, request) -> bool:
        # Rows are written by services only (notification_queue).
        return False

    @admin.action(description=_("Jetzt erneut senden"), permissions=["change"])
    def retry_now(self, request, queryset) -> None:
        """Make pending and failed rows due now; the send task is published after the request commits."""
        notification_ids = list(queryset.values_list("id", flat=True))
        retried = sum(services.notification_retry(notification_id=notification_id) is not None
                      for notification_id in notification_ids)
        skipped = len(notification_ids) - retried
        self.message_user(request, ngettext(
            "%(count)d Benachrichtigung wird erneut gesendet.",
            "%(count)d Benachrichtigungen werden erneut gesendet.", retried) % {"count": retried},
            messages.SUCCESS)
        if skipped:
            self.message_user(request, ngettext(
                "%(count)d Benachrichtigung war schon gesendet und wurde übersprungen.",
                "%(count)d Benachrichtigungen waren schon gesendet und wurden übersprungen.", skipped)
                % {"count": skipped}, messages.WARNING)
