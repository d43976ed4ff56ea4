from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iomuk.admin import ReadOnlyHistoryAdmin, StrictListAdmin
from iomuk.audit import access_record

from . import selectors, services
from .forms import SESSION_EDIT_GROUPS, SessionAdminForm
from .models import AdaptedSessionRequest, Booking, Certificate, Course, Session
from .views import session_csv_response


@admin.register(Course)
class CourseAdmin(StrictListAdmin):
    list_display = ["title", "cpd_hours"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["audiences"]
    search_fields = ["title"]


SESSION_STATUS_LABELS = {
    "open": _("Open for booking"),
    "full": _("Full"),
    "closed": _("Booking closed"),
    "cancelled": _("Cancelled"),
    "past": _("Past"),
}


def _certificates_send(model_admin, request, sessions) -> None:
    issued = 0
    try:
        for session in sessions:
            issued += len(services.certificates_issue(session=session))
    except services.BookingError as exc:
        model_admin.message_user(request, str(exc), messages.ERROR)
    model_admin.message_user(
        request, ngettext("%d certificate sent.", "%d certificates sent.", issued) % issued
    )


@admin.register(Session)
class SessionAdmin(StrictListAdmin):
    form = SessionAdminForm
    list_display = [
        "__str__",
        "format",
        "region",
        "status",
        "capacity",
        "seats_taken",
        "seats_left",
        "roll_call",
    ]
    list_filter = ["state", "format", "region", "course", "starts_at", "ends_at"]
    date_hierarchy = "starts_at"
    search_fields = ["slug", "course__title", "venue"]
    list_select_related = ["course"]
    actions = ["cancel_sessions", "send_certificates", "export_attendees"]
    # The form's groups, with the state shown (it changes only through the actions) and the
    # version the page was drawn from carried along.
    fieldsets = [
        (title, {"fields": [*names, *extra]})
        for (title, names), extra in zip(
            SESSION_EDIT_GROUPS, [["state"], [], [], ["loaded_version"]], strict=True
        )
    ]
    readonly_fields = ["state"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                seats_taken=Count("bookings", filter=Q(bookings__state__in=Booking.SEAT_STATES))
            )
        )

    @admin.display(description=_("seats taken"), ordering="seats_taken")
    def seats_taken(self, obj):
        return obj.seats_taken

    @admin.display(description=_("status"))
    def status(self, obj):
        # What a coordinator needs: a past session is past, not "Scheduled".
        return SESSION_STATUS_LABELS[selectors.session_status(session=obj)]

    @admin.display(description=_("seats left"))
    def seats_left(self, obj):
        if selectors.session_status(session=obj) in ("past", "cancelled"):
            return "—"
        return max(obj.capacity - obj.seats_taken, 0)

    @admin.display(description=_("roll call"))
    def roll_call(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("training:attendance", args=[obj.slug]), _("Roll call")
        )

    def save_model(self, request, obj, form, change):
        # Through the service: a change of time or place is announced, new seats are offered.
        services.session_save(
            session=obj,
            changed=[name for name in form.changed_data if name != "loaded_version"]
            if change
            else [],
            expected_version=form.cleaned_data.get("loaded_version") if change else None,
        )

    @admin.action(description=_("Cancel the selected sessions and tell everyone booked"))
    def cancel_sessions(self, request, queryset):
        for session in queryset:
            services.session_cancel(session=session)
        self.message_user(request, _("Sessions cancelled; attendees are being told."))

    @admin.action(description=_("Send certificates to attendees marked present"))
    def send_certificates(self, request, queryset):
        _certificates_send(self, request, queryset)

    @admin.action(description=_("Export the attendee list (CSV)"))
    def export_attendees(self, request, queryset):
        for session in queryset:
            access_record(
                request=request,
                action="export",
                object_type="training.session",
                object_ref=session.slug,
                detail="attendee list CSV (admin)",
            )
        return session_csv_response(sessions=list(queryset))


@admin.register(Booking)
class BookingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["reference", "session", "name", "sector", "state", "attended", "created_at"]
    list_filter = ["state", "sector", "attended", "session__course", "created_at"]
    search_fields = ["reference", "email", "name", "organisation"]
    list_select_related = ["session__course"]
    actions = ["mark_attended", "mark_absent", "send_certificates"]
    fields = [
        "reference",
        "session",
        "state",
        "name",
        "email",
        "organisation",
        "sector",
        "job_title",
        "requirements",
        "created_at",
        "offered_at",
        "offer_expires_at",
        "cancelled_at",
        "reminder_sent_at",
        "attended",
    ]
    readonly_fields = [f for f in fields if f != "attended"]

    def has_add_permission(self, request):
        return False  # bookings are made by attendees, under the seat lock

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: the seat must go to the waiting list

    def _mark(self, request, queryset, value):
        count = 0
        try:
            for session_id in set(queryset.values_list("session_id", flat=True)):
                session = Session.objects.get(pk=session_id)
                ids = queryset.filter(session_id=session_id).values_list("pk", flat=True)
                count += services.attendance_mark(
                    session=session, attended=dict.fromkeys(ids, value)
                )
        except services.BookingError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, _("%d bookings updated.") % count)

    @admin.action(description=_("Mark as attended"))
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, True)

    @admin.action(description=_("Mark as absent"))
    def mark_absent(self, request, queryset):
        self._mark(request, queryset, False)

    @admin.action(description=_("Send certificates (attendees marked present only)"))
    def send_certificates(self, request, queryset):
        _certificates_send(
            self, request, Session.objects.filter(pk__in=queryset.values("session_id"))
        )


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "booking", "issued_at"]
    search_fields = ["code", "booking__reference"]
    readonly_fields = ["code", "booking", "issued_at"]

    def has_add_permission(self, request):
        return False


@admin.register(AdaptedSessionRequest)
class AdaptedSessionRequestAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "reference",
        "organisation",
        "sector",
        "people",
        "format",
        "state",
        "created_at",
    ]
    list_filter = ["state", "sector", "format"]
    search_fields = ["reference", "organisation"]
    readonly_fields = [
        "reference",
        "organisation",
        "contact_name",
        "email",
        "phone",
        "sector",
        "people",
        "preferred_dates",
        "format",
        "needs",
        "created_at",
        "state",
        "anonymised_at",
    ]
    fields = [*readonly_fields, "answer_notes"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Once anonymised, a request is kept for the figures only.
        return super().has_change_permission(request, obj) and not (obj and obj.anonymised_at)

    def save_model(self, request, obj, form, change):
        # Only notes written make a request answered, not a Save pressed on an unchanged page.
        if "answer_notes" in form.changed_data:
            services.adapted_request_answer(request=obj, notes=obj.answer_notes)
