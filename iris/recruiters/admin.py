from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from iomuk.admin import ReadOnlyHistoryAdmin, StrictListAdmin
from iomuk.csv_export import csv_response
from iris.complaints.models import Complaint

from . import services
from .models import (
    AccreditationState,
    ApiKey,
    Application,
    Country,
    Recruiter,
    Sector,
)

# What an administrator edits of a recruiter here (its standing is decided on the staff page).
RECRUITER_DETAILS = [
    "legal_name",
    "trading_names",
    "slug",
    "registration_number",
    "hq_country",
    "website",
    "contact_email",
    "contact_phone",
]


class CurrentStateFilter(admin.SimpleListFilter):
    """The accreditation as of today: an accreditation past its date counts as expired."""

    title = _("accreditation (today)")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return AccreditationState.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.with_current_state().filter(current_state=self.value())
        return queryset


class RecruiterAdminForm(forms.ModelForm):
    """The recruiter's details; its countries of operation are two lists, saved by the service."""

    origin_countries = forms.ModelMultipleChoiceField(
        Country.objects.all(),
        required=False,
        label=_("Recruits workers from"),
        widget=FilteredSelectMultiple(_("countries"), is_stacked=False),
    )
    destination_countries = forms.ModelMultipleChoiceField(
        Country.objects.all(),
        required=False,
        label=_("Places workers in"),
        widget=FilteredSelectMultiple(_("countries"), is_stacked=False),
    )

    class Meta:
        model = Recruiter
        fields = [*RECRUITER_DETAILS, "sectors"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for kind in ("origin", "destination"):
                self.initial[f"{kind}_countries"] = [
                    op.country_id for op in self.instance.operations.filter(kind=kind)
                ]


class RecruiterComplaintInline(admin.TabularInline):
    model = Complaint
    fields = ["link", "stage", "created_at"]
    readonly_fields = ["link", "stage", "created_at"]
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("complaints about this recruiter")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("reference"))
    def link(self, obj):
        url = reverse("admin:iris_complaint_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.reference)


@admin.register(Recruiter)
class RecruiterAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "legal_name",
        "accreditation_number",
        "current_state",
        "valid_until",
        "hq_country",
    ]
    list_filter = [CurrentStateFilter, "state", "sectors", "hq_country", "valid_until"]
    search_fields = ["legal_name", "search_name", "accreditation_number", "slug"]
    prepopulated_fields = {"slug": ["legal_name"]}
    filter_horizontal = ["sectors"]
    form = RecruiterAdminForm
    inlines = [RecruiterComplaintInline]
    # The standing changes only by an officer's decision on the staff page, which asks for
    # the reason or review note each one needs: the admin shows it and links there.
    actions = ["export_csv"]
    list_select_related = ["hq_country"]
    readonly_fields = ["state", "decide_link", "accreditation_number", "granted_on", "valid_until"]

    @admin.display(description=_("decisions"))
    def decide_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("iris-recruiters:detail", args=[obj.slug]),
            _("Suspend, lift, renew or withdraw on the recruiter's staff page"),
        )

    def save_model(self, request, obj, form, change):
        # Through the services, as every writer: the roster's search and the API follow.
        data = form.cleaned_data
        links = {
            "sectors": data["sectors"],
            "origin_countries": data["origin_countries"],
            "destination_countries": data["destination_countries"],
        }
        if not change:
            made = services.recruiter_create(
                **{name: data[name] for name in RECRUITER_DETAILS if name in data},
                **links,
            )
            obj.pk = made.pk
            return
        changed = {name: data[name] for name in form.changed_data if name in RECRUITER_DETAILS}
        services.recruiter_update(recruiter=obj, **changed, **links)

    def save_related(self, request, form, formsets, change):
        # The sectors and countries were saved by the service; the inline of complaints is
        # read-only and saves nothing.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.display(description=_("accreditation today"), ordering="state")
    def current_state(self, obj):
        return obj.effective_state_label

    @admin.action(description=_("Export selected recruiters as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        header = [
            "legal_name",
            "trading_names",
            "slug",
            "accreditation_number",
            "state",
            "granted_on",
            "valid_until",
            "hq_country",
            "sectors",
        ]
        rows = (
            [
                r.legal_name,
                "; ".join(r.trading_name_list),
                r.slug,
                r.accreditation_number or "",
                r.effective_state,
                r.granted_on or "",
                r.valid_until or "",
                r.hq_country_id,
                "; ".join(s.code for s in r.sectors.all()),
            ]
            for r in queryset.select_related("hq_country").prefetch_related("sectors")
        )
        return csv_response("iris-recruiters.csv", header, rows)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "reference",
        "organisation_name",
        "organisation_type",
        "hq_country",
        "language",
        "state",
        "created_at",
    ]
    list_filter = ["state", "organisation_type", "language"]
    search_fields = ["reference", "organisation_name"]
    readonly_fields = [
        "reference",
        "language",
        "state",
        "decided_at",
        "decided_by",
        "recruiter",
        "created_at",
        "anonymised_at",
    ]
    actions = ["accept", "reject"]

    def get_fields(self, request, obj=None):
        # The reference the applicant quotes comes first.
        fields = super().get_fields(request, obj)
        return ["reference", *[name for name in fields if name != "reference"]]

    def has_change_permission(self, request, obj=None):
        # Once anonymised, an application is kept for the figures only.
        return super().has_change_permission(request, obj) and not (obj and obj.anonymised_at)

    @admin.action(description=_("Accept selected applications"), permissions=["change"])
    def accept(self, request, queryset):
        self._decide(request, queryset, services.application_accept)

    @admin.action(description=_("Reject selected applications"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, services.application_reject)

    def _decide(self, request, queryset, service):
        for application in queryset:
            try:
                service(application=application, by=request.user)
            except services.ApplicationError as exc:
                self.message_user(request, f"{application}: {exc}", messages.WARNING)
            else:
                self.message_user(request, f"{application}: done; the applicant is emailed.")


@admin.register(Country)
class CountryAdmin(StrictListAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


admin.site.register(Sector, StrictListAdmin)


@admin.register(ApiKey)
class ApiKeyAdmin(StrictListAdmin):
    """Partners' keys to the open API: issued here and shown once, then only revoked."""

    list_display = ["name", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    fields = ["name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke_keys"]

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, not deleted: the list keeps who had a key and until when

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "name"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        key, token = services.api_key_issue(name=form.cleaned_data["name"])
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = (
            key.pk,
            key.prefix,
            key.key_hash,
            key.created_at,
        )
        request._issued_api_key = key, token

    def response_add(self, request, obj, post_url_continue=None):
        # The new key is shown on this page, once, and never put in the `messages` cookie
        # (signed, not encrypted) nor in any cache.
        key, token = request._issued_api_key
        response = render(
            request,
            "admin/iris/apikey_issued.html",
            {**self.admin_site.each_context(request), "key": key, "token": token},
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke the selected keys", permissions=["change"])
    def revoke_keys(self, request, queryset):
        for key in queryset:
            services.api_key_revoke(key=key)
        messages.success(request, f"{queryset.count()} revoked.")
