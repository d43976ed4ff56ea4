from django.contrib import admin, messages

from .models import AccessLog, OutboxMessage
from .outbox import outbox_dispatch, outbox_retry_failed


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "template", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "template"]
    date_hierarchy = "created_at"
    fields = ["template", "state", "attempts", "last_error", "created_at", "sent_at", "subject"]
    readonly_fields = fields
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Try the selected failed messages again", permissions=["view"])
    def retry(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        count = outbox_retry_failed(message_ids=ids)
        for pk in ids:
            outbox_dispatch(message_id=pk)
        self.message_user(request, f"{count} message(s) queued again.", messages.SUCCESS)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "object_type", "object_ref", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_ref", "username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
