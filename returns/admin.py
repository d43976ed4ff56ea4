"""The admin for return cases: read-only, limited by the same selector as the case pages.

Changes go through the case page, where the stage rules, optimistic locking and the access
log apply; the admin is for looking things up and exporting figures that identify nobody.
"""

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import Count
from simple_history.models import DeletedObject

from iomuk.admin import ReadOnlyHistoryAdmin, StrictListAdmin, _MaskedDeltaHelper
from iomuk.audit import access_record
from iomuk.csv_export import csv_response

from .models import CaseTransition, ReturnCase, ReturnPlanItem, SurveyIndicator
from .selectors import cases_named, cases_visible_to


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlanItemInline(_ReadOnly, admin.TabularInline):
    model = ReturnPlanItem

    fields = ["service", "status", "due_date"]
    readonly_fields = fields
    extra = 0


class TransitionInline(_ReadOnly, admin.TabularInline):
    model = CaseTransition

    fields = ["at", "from_stage", "to_stage", "by", "reason"]
    readonly_fields = fields
    extra = 0


class _CaseDeltaHelper(_MaskedDeltaHelper):
    """A change in the history names people and stages as the case page does: the caseworker
    by name ("—" for nobody, not "Deleted user (pk=None)"), the stage by its label."""

    def prepare_delta_change_value(self, change, value):
        if change.field not in self.shown:
            return "(not shown)"
        field = self.model._meta.get_field(change.field)
        if isinstance(value, DeletedObject):
            # simple-history wraps an empty foreign key as a deleted object of pk None.
            return "—" if value.pk is None else str(value)
        if hasattr(value, "get_full_name"):
            return value.get_full_name() or value.get_username()
        if field.choices:
            return dict(field.flatchoices).get(value, value) if value else "—"
        return super().prepare_delta_change_value(change, value)


@admin.register(ReturnCase)
class ReturnCaseAdmin(_ReadOnly, ReadOnlyHistoryAdmin):
    access_object_type = "returns.case"
    list_display = ["reference", "country", "stage", "risk", "assigned_caseworker", "created_at"]
    list_filter = ["stage", "country", "risk"]
    # The full name is encrypted: it is searched through its blind index, by whole words.
    search_fields = ["reference", "preferred_name"]
    list_select_related = ["assigned_caseworker"]
    date_hierarchy = "created_at"
    # Health, safeguarding and contact details stay on the case page, behind its access log.
    fields = [
        "reference",
        "stage",
        "country",
        "destination_town",
        "risk",
        "nrm_status",
        "assigned_caseworker",
        "referrer_type",
        "referred_by",
        "full_name",
        "preferred_name",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [PlanItemInline, TransitionInline]
    actions = ["export_figures"]
    object_history_list_template = "admin/returns/returncase/object_history_list.html"

    def get_queryset(self, request):
        return cases_visible_to(request.user)

    def get_historical_record_context_helper(self, request, historical_record):
        shown = set(flatten_fieldsets(self.get_fieldsets(request)))
        return _CaseDeltaHelper(self.model, historical_record, shown=shown)

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found |= cases_named(queryset, search_term)
        return found, may_have_duplicates

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        case = self.get_queryset(request).filter(pk=object_id).only("reference").first()
        if case is not None and response.status_code == 200:
            access_record(
                request=request,
                action="view",
                object_type="returns.case",
                object_ref=case.reference,
                detail="admin",
            )
        return response

    @admin.action(description="Export figures for the selected cases (CSV)", permissions=["view"])
    def export_figures(self, request, queryset):
        # Counts by country and stage only: no reference, name or date leaves the portal.
        rows = (
            queryset.order_by()
            .values("country", "stage")
            .annotate(cases=Count("pk"))
            .order_by("country", "stage")
        )
        return csv_response(
            "return-case-figures.csv",
            ["country", "stage", "cases"],
            ([row["country"], row["stage"], row["cases"]] for row in rows),
        )


@admin.register(SurveyIndicator)
class SurveyIndicatorAdmin(StrictListAdmin):
    """The survey's indicators, scales and weights are data: corrected here against IOM's
    published annex (they hold no one's answers). An indicator answered once is retired
    (unticked "active"), never deleted: its answers keep pointing at it."""

    list_display = ["code", "dimension", "position", "weight", "active"]
    list_filter = ["dimension", "active"]
    list_editable = ["weight", "active"]
    fields = ["code", "dimension", "position", "question", "scale", "weight", "active"]

    def has_delete_permission(self, request, obj=None):
        return False
