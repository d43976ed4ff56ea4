from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.http import HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_history_model_for_model

from .audit import access_record
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


class _MaskedDeltaHelper(HistoricalRecordContextHelper):
    """Names every changed field but shows values only for the fields the change page shows."""

    def __init__(self, *args, shown: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.shown = shown

    def prepare_delta_change_value(self, change, value):
        if change.field not in self.shown:
            return "(not shown)"
        return super().prepare_delta_change_value(change, value)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Who changed what and when, for those allowed to read it; never edited, never reverted.

    Reading a model's history needs the history model's own view permission (administrators
    have it), not just the permission to view the record. With `access_object_type` set, each
    look at a record's history is written to the access log under the record's reference.
    """

    access_object_type = ""

    def _access_record(self, request, object_id, detail: str) -> None:
        obj = self.model._default_manager.filter(pk=object_id).first()
        if self.access_object_type and obj is not None:
            access_record(
                request=request,
                action="view",
                object_type=self.access_object_type,
                object_ref=str(obj),
                detail=detail,
            )

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200:
            self._access_record(request, object_id, "admin history")
        return response

    def has_change_history_permission(self, request, obj=None):
        return False

    def has_view_history_permission(self, request, obj=None):
        history_opts = get_history_model_for_model(self.model)._meta
        return request.user.has_perm(f"{history_opts.app_label}.view_{history_opts.model_name}")

    def has_view_history_or_change_history_permission(self, request, obj=None):
        return self.has_view_history_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history reverts on POST even when its button is hidden: only reading here.
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if response.status_code == 200:
            self._access_record(request, object_id, "admin history version")
        return response

    def get_historical_record_context_helper(self, request, historical_record):
        shown = set(flatten_fieldsets(self.get_fieldsets(request)))
        return _MaskedDeltaHelper(self.model, historical_record, shown=shown)
