from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as SignInLog
from django.contrib import admin, messages
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_history_model_for_model

from .accounts import enrolment_link_send
from .audit import access_record
from .models import AccessLog, OutboxMessage, User
from .outbox import outbox_dispatch, outbox_retry_failed
from .searches import KEY as SEARCH_KEY
from .searches import search_address, search_keep, search_words


class _StrictChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The search words are the session's, found by StrictListAdmin.changelist_view; any in
        # the address were taken out before the list was made.
        self.query = getattr(request, "admin_search_words", "")
        return super().get_queryset(request, exclude_parameters)

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        lookup_params.pop(SEARCH_KEY, None)  # the search's key, carried by every link: no filter
        return lookup_params

    def get_filters(self, request):
        specs, has_filters, remaining, duplicates, active = super().get_filters(request)
        # Each filter of the sidebar took its own parameters; the date hierarchy's year, month
        # and day became a range on its field. Anything left is a lookup nobody offered.
        hierarchy = {f"{self.date_hierarchy}__gte", f"{self.date_hierarchy}__lt"}
        unknown = set(remaining) - (hierarchy if self.date_hierarchy else set())
        if unknown:
            raise DisallowedModelAdminLookup(f"Filtering by {', '.join(sorted(unknown))}")
        return specs, has_filters, remaining, duplicates, active


class StrictListAdmin(admin.ModelAdmin):
    """An admin list filters only by what it shows: its list filters, its date hierarchy and a
    search through its search fields. Any other lookup in the URL (Django allows one on every
    field by default, `?date_of_birth__year=1975`) gets the plain 400 page.

    With `access_object_type` set, each look at the list, searched or not, is written to the
    access log: who, which filters, that a search was made and how long it was (never its
    words: they may be a name), and how many records matched.

    Every ModelAdmin of the portal derives from this (tests/iomuk/test_admin_lists.py).
    """

    access_object_type = ""

    def get_changelist(self, request, **kwargs):
        return _StrictChangeList

    def changelist_view(self, request, extra_context=None):
        # The search box is sent by POST (templates/admin/search_form.html): its words may be a
        # name or an email, so they are kept in the session and the list's address, and every
        # link on it, carries only their key (iomuk/searches.py).
        page = f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
        searching = request.method == "POST" and SEARCH_VAR in request.POST
        if searching and not {"action", "index", "_save"} & set(request.POST):
            return _admin_search_made(request, page=page)
        query = request.GET.copy()
        if query.get(SEARCH_VAR, "").strip():
            messages.info(request, "Type the words in the search box to search.")
        query.pop(SEARCH_VAR, None)
        key = query.get(SEARCH_KEY, "")
        kept = search_words(request.session, page=page, key=key) if key else None
        if key and kept is None:
            messages.info(request, "That search has expired. Type the words again to search.")
            query.pop(SEARCH_KEY)
        request.GET = query
        request.admin_search_words = (kept or {}).get(SEARCH_VAR, "")
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if self.access_object_type and response.status_code == 200 and changelist is not None:
            access_record(
                request=request,
                action="list",
                object_type=self.access_object_type,
                object_ref="(admin list)",
                detail=_list_detail(changelist),
            )
        return response


def _admin_search_made(request, *, page: str) -> HttpResponseRedirect:
    words = request.POST.get(SEARCH_VAR, "")
    key = (
        search_keep(request.session, page=page, words={SEARCH_VAR: words}) if words.strip() else ""
    )
    # The list's other parameters (filters, order, popup) came as the form's hidden fields.
    unsent = (SEARCH_VAR, SEARCH_KEY, "csrfmiddlewaretoken")
    filters = {name: value for name, value in request.POST.items() if name not in unsent}
    response = HttpResponseRedirect(search_address(request.path, key=key, filters=filters))
    response.status_code = 303  # See Other: the list is fetched by GET, never sent again
    return response


def _list_detail(changelist: ChangeList) -> str:
    filters = changelist.get_filters_params()
    parts = ["admin"]
    if changelist.query:
        parts.append(f"search of {len(changelist.query)} characters")
    if filters:
        # Only the sidebar's own parameters reach here: stages, countries, ids and dates.
        parts.append(
            "filters " + "&".join(f"{k}={','.join(v)}" for k, v in sorted(filters.items()))
        )
    parts.append(f"{changelist.result_count} results")
    return ", ".join(parts)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(StrictListAdmin):
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
        outbox_dispatch(message_ids=ids)
        self.message_user(request, f"{count} message(s) queued again.", messages.SUCCESS)


@admin.register(AccessLog)
class AccessLogAdmin(StrictListAdmin):
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


class ReadOnlyHistoryAdmin(StrictListAdmin, SimpleHistoryAdmin):
    """Who changed what and when, for those allowed to read it; never edited, never reverted.

    Reading a model's history needs the history model's own view permission (administrators
    have it), not just the permission to view the record. With `access_object_type` set, each
    look at a record's history is written to the access log under the record's reference.
    """

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

    def _known_id(self, object_id) -> None:
        # A hand-typed address with an id that is not one (".../abc/history/") is a plain 404.
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError as exc:
            raise Http404 from exc

    def history_view(self, request, object_id, extra_context=None):
        self._known_id(object_id)
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
        self._known_id(object_id)
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if response.status_code == 200:
            self._access_record(request, object_id, "admin history version")
        return response

    def get_historical_record_context_helper(self, request, historical_record):
        shown = set(flatten_fieldsets(self.get_fieldsets(request)))
        return _MaskedDeltaHelper(self.model, historical_record, shown=shown)


# The libraries' own admins (loaded before this app's) list by the same rule.
for _model, _library_admin in [
    (Group, auth_admin.GroupAdmin),
    (TOTPDevice, TOTPDeviceAdmin),
    (AccessAttempt, axes_admin.AccessAttemptAdmin),
    (SignInLog, axes_admin.AccessLogAdmin),
    (AccessFailureLog, axes_admin.AccessFailureLogAdmin),
]:
    admin.site.unregister(_model)
    admin.site.register(
        _model, type(_library_admin.__name__, (StrictListAdmin, _library_admin), {})
    )


@admin.register(User)
class UserAdmin(StrictListAdmin, auth_admin.UserAdmin):
    actions = ["send_set_up_link"]

    @admin.action(
        description="Send a set-up link for the authenticator app", permissions=["change"]
    )
    def send_set_up_link(self, request, queryset):
        # The link replaces the authenticator once used: for a new account or a lost phone.
        sent = sum(enrolment_link_send(user=user) for user in queryset)
        self.message_user(request, f"{sent} set-up link(s) sent by email.", messages.SUCCESS)
        if sent < queryset.count():
            self.message_user(
                request, "Accounts with no email address were skipped.", messages.WARNING
            )
