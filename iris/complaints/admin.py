"""Data administration of complaints: read-only. An officer's work on a complaint (stages,
messages, notes, referrals, matching) is done in the staff pages, through the services, which
tell the complainant and write the access log; nothing here writes what a service owns."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from iomuk.admin import ReadOnlyHistoryAdmin, StrictListAdmin

from .models import (
    Complaint,
    ComplaintAddition,
    ComplaintCategory,
    ComplaintEvidence,
    ComplaintMessage,
    ComplaintNote,
    ComplaintTransition,
    Referral,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransitionInline(ReadOnlyInline):
    model = ComplaintTransition
    fields = ["from_stage", "to_stage", "by", "at"]


class ReferralInline(ReadOnlyInline):
    model = Referral
    fields = ["authority", "country", "referred_on", "their_reference", "by"]


class MessageInline(ReadOnlyInline):
    model = ComplaintMessage
    fields = ["body", "language", "shared_with_complainant", "by", "at"]
    verbose_name_plural = "messages (written in the staff pages)"


class NoteInline(ReadOnlyInline):
    model = ComplaintNote
    fields = ["body", "by", "at"]
    verbose_name_plural = "internal notes (never shown to the complainant)"


class AdditionInline(ReadOnlyInline):
    model = ComplaintAddition
    fields = ["body", "at"]
    verbose_name_plural = "added by the complainant from the tracking page"


class EvidenceInline(ReadOnlyInline):
    model = ComplaintEvidence
    fields = ["download", "addition", "content_type", "size", "uploaded_at"]

    @admin.display(description="file")
    def download(self, obj):
        return format_html(
            '<a href="{}">Download</a>', reverse("iris:evidence-download", args=[obj.pk])
        )


class NeedsMatchingFilter(admin.SimpleListFilter):
    """Reports naming a recruiter the complainant took to be on the roster, not yet linked."""

    title = "recruiter to match"
    parameter_name = "matching"

    def lookups(self, request, model_admin):
        return [("needed", "Needs matching")]

    def queryset(self, request, queryset):
        if self.value() == "needed":
            return queryset.filter(recruiter__isnull=True).exclude(recruiter_name_given="")
        return queryset


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyHistoryAdmin):
    access_object_type = "iris.complaint"
    list_display = ["reference", "stage", "about", "in_danger", "anonymous", "created_at"]
    list_filter = [
        "stage",
        NeedsMatchingFilter,
        "categories",
        "in_danger",
        "preferred_language",
        "created_at",
    ]
    search_fields = ["reference"]
    list_select_related = ["recruiter"]
    date_hierarchy = "created_at"
    inlines = [
        TransitionInline,
        ReferralInline,
        AdditionInline,
        MessageInline,
        NoteInline,
        EvidenceInline,
    ]
    fields = [
        "reference",
        "officers_page",
        "stage",
        "recruiter",
        "recruiter_name_given",
        "unlisted_name",
        "unlisted_country",
        "unlisted_contact",
        "categories",
        "happened_when",
        "recruitment_country",
        "destination_country",
        "description",
        "in_danger",
        "anonymous",
        "name",
        "email",
        "phone",
        "safe_contact",
        "preferred_language",
        "consent_to_referral",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # complaints come in through the public form

    def has_change_permission(self, request, obj=None):
        return False  # every change is a service's, made from the staff pages

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="about")
    def about(self, obj):
        if obj.needs_matching:
            return f"{obj.recruiter_name_given} (needs matching)"
        return obj.recruiter_display

    @admin.display(description="officers' page")
    def officers_page(self, obj):
        url = reverse("iris-complaints:detail", args=[obj.reference])
        return format_html('<a href="{}">Work on it in the staff pages</a>', url)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        complaint = Complaint.objects.filter(pk=object_id).first()
        if complaint and self.has_view_permission(request, complaint):
            self._access_record(request, object_id, "admin")
        return super().change_view(request, object_id, form_url, extra_context)


admin.site.register(ComplaintCategory, StrictListAdmin)
