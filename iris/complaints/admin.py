"""Data administration of complaints."""

import copy
from datetime import date

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from iomuk.admin import ReadOnlyHistoryAdmin, StrictListAdmin
from iomuk.audit import access_record
from iomuk.forms import DateInput
from iris.recruiters.models import Country, Recruiter
from iris.recruiters.selectors import recruiters_like, recruiters_named

from . import services as complaints
from .message_templates import message_template_choices
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


class TransitionInline(admin.TabularInline):
    model = ComplaintTransition
    fields = ["from_stage", "to_stage", "by", "at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReferralInline(admin.TabularInline):
    model = Referral
    fields = ["authority", "country", "referred_on", "their_reference", "by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class MessageInlineForm(forms.ModelForm):
    # Free text is taken to be in English unless the officer says otherwise.
    language = forms.ChoiceField(
        label=_("The language it is written in"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,
    )

    class Meta:
        model = ComplaintMessage
        fields = ["body", "language", "shared_with_complainant"]

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or settings.LANGUAGE_CODE


class MessageInline(admin.StackedInline):
    model = ComplaintMessage
    form = MessageInlineForm
    fields = ["body", "language", "shared_with_complainant", "by", "at"]
    readonly_fields = ["by", "at"]
    extra = 1
    can_delete = False
    verbose_name_plural = _("messages (shared ones are seen by the complainant)")

    def has_change_permission(self, request, obj=None):
        return False


class NoteInline(admin.StackedInline):
    model = ComplaintNote
    fields = ["body", "by", "at"]
    readonly_fields = ["by", "at"]
    extra = 1
    can_delete = False
    verbose_name_plural = _("internal notes (never shown to the complainant)")

    def has_change_permission(self, request, obj=None):
        return False


class AdditionInline(admin.StackedInline):
    model = ComplaintAddition
    fields = ["body", "at", "files"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("added by the complainant from the tracking page")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("files (in the evidence below)"))
    def files(self, obj):
        return obj.evidence.count()


class EvidenceInline(admin.TabularInline):
    model = ComplaintEvidence
    fields = ["download", "addition", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("iris:evidence-download", args=[obj.pk]), _("Download")
        )


class NeedsMatchingFilter(admin.SimpleListFilter):
    """Reports naming a recruiter the complainant took to be on the roster, not yet linked."""

    title = _("recruiter to match")
    parameter_name = "matching"

    def lookups(self, request, model_admin):
        return [("needed", _("Needs matching"))]

    def queryset(self, request, queryset):
        if self.value() == "needed":
            return queryset.filter(recruiter__isnull=True).exclude(recruiter_name_given="")
        return queryset


class MatchForm(forms.Form):
    """The recruiter a complaint is about: one of the suggestions, or whatever the roster's
    search finds exactly one of."""

    recruiter = forms.ModelChoiceField(
        queryset=Recruiter.objects.all(), required=False, widget=forms.HiddenInput
    )
    named = forms.CharField(
        label=_("Its name, accreditation number or roster page address"),
        required=False,
        max_length=250,
    )

    def clean(self):
        data = super().clean()
        if not data.get("recruiter"):
            found = recruiters_named(text=data.get("named", ""))
            if len(found) != 1:
                raise forms.ValidationError(
                    _("Give a name, number or address that finds exactly one recruiter.")
                )
            data["recruiter"] = found[0]
        return data


class ReferForm(forms.Form):
    authority = forms.CharField(max_length=200)
    country = forms.ModelChoiceField(queryset=Country.objects.all())
    referred_on = forms.DateField(initial=date.today, widget=DateInput)
    their_reference = forms.CharField(max_length=100, required=False)


class StageMoveForm(forms.Form):
    """One move along the workflow, from the stage the officer saw; the service checks the rules."""

    from_stage = forms.ChoiceField(choices=Complaint.Stage.choices, widget=forms.HiddenInput)
    to_stage = forms.ChoiceField(
        choices=Complaint.Stage.choices,
        error_messages={"required": _("Choose where to move it.")},
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, initial={"from_stage": complaint.stage}, **kwargs)
        # The moves the workflow allows from here, in its order, as the page offers them.
        self.offered = [
            (stage, Complaint.Stage(stage).label)
            for stage in complaints.complaint_next_stages(complaint)
        ]


class ComplaintMessageForm(forms.Form):
    """A message to the complainant: a ready-made one, sent in their language, or free text."""

    template = forms.ChoiceField(
        label=_("Message"),
        required=False,
        widget=forms.RadioSelect,
        choices=[("", _("My own words, below")), *message_template_choices()],
    )
    body = forms.CharField(
        label=_("Your own words"), required=False, max_length=5000, widget=forms.Textarea
    )
    language = forms.ChoiceField(
        label=_("The language your own words are in"),
        choices=[("", _("Choose")), *settings.LANGUAGES],
        required=False,
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        # The language the complainant reads, named in English and in its own words.
        name, own = (
            complaint.get_preferred_language_display(),
            complaint.preferred_language_own_name,
        )
        self.reads = name if name == own else f"{name} ({own})"
        # For a reader of English, English is the obvious answer; for anyone else the officer
        # says which language their own words are in, so nothing is assumed.
        self.reads_english = complaint.preferred_language == settings.LANGUAGE_CODE
        if self.reads_english:
            self.fields["language"].initial = settings.LANGUAGE_CODE

    def clean(self):
        data = super().clean()
        body = data.get("body", "").strip()
        if not data.get("template") and not body:
            raise forms.ValidationError(_("Choose a message or write your own."))
        if data.get("template") and body:
            raise forms.ValidationError(_("Choose a message or write your own, not both."))
        if body and not data.get("language"):
            raise forms.ValidationError(_("Say which language your own words are in."))
        if not data.get("language"):
            data["language"] = settings.LANGUAGE_CODE  # unused: a template is in their language
        return data


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyHistoryAdmin):
    access_object_type = "iris.complaint"
    change_form_template = "iris/admin_complaint_change.html"
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
    actions = ["mark_under_review", "mark_resolved", "mark_closed", "mark_withdrawn"]
    fields = [
        "reference",
        "stage",
        "refer_link",
        "recruiter",
        "recruiter_name_given",
        "match_link",
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
    readonly_fields = [f for f in fields]

    def has_add_permission(self, request):
        return False  # complaints come in through the public form

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("about"))
    def about(self, obj):
        if obj.needs_matching:
            return _("%(name)s (needs matching)") % {"name": obj.recruiter_name_given}
        return obj.recruiter_display

    @admin.display(description=_("match"))
    def match_link(self, obj):
        if obj.recruiter_id:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:iris_complaint_match", args=[obj.pk]),
            _("Link to a recruiter"),
        )

    @admin.display(description=_("referral"))
    def refer_link(self, obj):
        if not obj.consent_to_referral:
            return _("No consent to referral.")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:iris_complaint_refer", args=[obj.pk]),
            _("Refer to an authority"),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        complaint = Complaint.objects.filter(pk=object_id).first()
        if complaint and self.has_view_or_change_permission(request, complaint):
            access_record(
                request=request,
                action="view",
                object_type="iris.complaint",
                object_ref=complaint.reference,
            )
        if complaint and self.has_change_permission(request, complaint):
            extra_context = {
                "move_form": StageMoveForm(complaint=complaint),
                "message_form": ComplaintMessageForm(complaint=complaint),
                **(extra_context or {}),  # a form sent back, as it was sent
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _sent_back(self, request, complaint: Complaint, **forms):
        """The complaint's page again, with a refused form as it was sent: its errors beside
        it and everything the officer typed or chose still in it, to correct and send again."""
        as_shown = copy.copy(request)
        as_shown.method = "GET"  # draw the page; the change form itself is not being saved
        return self.change_view(as_shown, str(complaint.pk), extra_context=forms)

    def save_formset(self, request, form, formset, change):
        # New messages and notes go through the services, which record who and tell whom.
        for obj in formset.save(commit=False):
            if obj.pk:
                continue
            if isinstance(obj, ComplaintMessage):
                complaints.complaint_message_add(
                    complaint=form.instance,
                    body=obj.body,
                    shared_with_complainant=obj.shared_with_complainant,
                    language=obj.language,
                    by=request.user,
                )
            elif isinstance(obj, ComplaintNote):
                complaints.complaint_note_add(
                    complaint=form.instance, body=obj.body, by=request.user
                )

    def get_urls(self):
        return [
            path(
                "<int:pk>/match/",
                self.admin_site.admin_view(self.match_view),
                name="iris_complaint_match",
            ),
            path(
                "<int:pk>/refer/",
                self.admin_site.admin_view(self.refer_view),
                name="iris_complaint_refer",
            ),
            path(
                "<int:pk>/message/",
                self.admin_site.admin_view(self.message_view),
                name="iris_complaint_message",
            ),
            path(
                "<int:pk>/move/",
                self.admin_site.admin_view(self.move_view),
                name="iris_complaint_move",
            ),
            *super().get_urls(),
        ]

    def _posted(self, request, pk: int, form_class, name: str):
        """The complaint and its bound form, or the answer to give instead: 403 without the
        right, back to the complaint's page for a GET, or the page with the form sent back."""
        complaint = get_object_or_404(Complaint, pk=pk)
        if not self.has_change_permission(request, complaint):
            return complaint, None, HttpResponse(status=403)
        if request.method != "POST":
            return complaint, None, redirect("admin:iris_complaint_change", complaint.pk)
        form = form_class(request.POST, complaint=complaint)
        if not form.is_valid():
            return complaint, form, self._sent_back(request, complaint, **{name: form})
        return complaint, form, None

    def move_view(self, request, pk: int):
        """Move the complaint from its own page: the workflow's rules, who and when recorded."""
        complaint, form, answer = self._posted(request, pk, StageMoveForm, "move_form")
        if answer:
            return answer
        try:
            complaint = complaints.complaint_advance(
                complaint=complaint,
                from_stage=form.cleaned_data["from_stage"],
                to_stage=form.cleaned_data["to_stage"],
                by=request.user,
            )
        except complaints.ComplaintError as exc:
            # The officer's choice stays chosen, now from the stage the complaint is at: if a
            # colleague moved it meanwhile, sending again is a deliberate move from there.
            complaint.refresh_from_db()
            again = StageMoveForm(
                {"from_stage": complaint.stage, "to_stage": form.cleaned_data["to_stage"]},
                complaint=complaint,
            )
            again.full_clean()
            again.add_error(None, str(exc))
            return self._sent_back(request, complaint, move_form=again)
        else:
            done = (
                _("%(ref)s moved to %(stage)s. The complainant is told there is news.")
                if complaint.email
                else _("%(ref)s moved to %(stage)s.")
            )
            ref, stage = complaint.reference, complaint.get_stage_display()
            self.message_user(request, done % {"ref": ref, "stage": stage})
        return redirect("admin:iris_complaint_change", complaint.pk)

    def message_view(self, request, pk: int):
        """Write to the complainant from the complaint's page: a template in their language, or
        free text marked with the language it is in."""
        complaint, form, answer = self._posted(request, pk, ComplaintMessageForm, "message_form")
        if answer:
            return answer
        try:
            message = complaints.complaint_message_add(
                complaint=complaint,
                shared_with_complainant=True,
                by=request.user,
                **form.cleaned_data,
            )
        except complaints.ComplaintError as exc:
            form.add_error(None, str(exc))
            return self._sent_back(request, complaint, message_form=form)
        else:
            done = (
                _("Message sent in %(language)s; the complainant is emailed that there is news.")
                if complaint.email
                else _("Message sent in %(language)s; the complainant sees it when tracking.")
            )
            self.message_user(request, done % {"language": message.get_language_display()})
        return redirect("admin:iris_complaint_change", complaint.pk)

    def match_view(self, request, pk: int):
        """Link a complaint to the recruiter it is about, from the roster's closest matches to
        the name given or any recruiter found by search."""
        complaint = get_object_or_404(Complaint, pk=pk)
        if not self.has_change_permission(request, complaint):
            return HttpResponse(status=403)
        form = MatchForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                complaints.complaint_recruiter_match(
                    complaint=complaint, recruiter=form.cleaned_data["recruiter"], by=request.user
                )
            except complaints.ComplaintError as exc:
                form.add_error(None, str(exc))  # shown on this page, with what was typed
            else:
                self.message_user(request, _("The complaint is linked to the recruiter."))
                return redirect("admin:iris_complaint_change", complaint.pk)
        name = complaint.recruiter_name_given or complaint.unlisted_name
        ctx = {
            **self.admin_site.each_context(request),
            "title": _("Link %(ref)s to a recruiter") % {"ref": complaint.reference},
            "form": form,
            "complaint": complaint,
            "name": name,
            "suggestions": recruiters_like(text=name),
            "opts": self.model._meta,
        }
        return render(request, "iris/admin_match.html", ctx)

    def refer_view(self, request, pk: int):
        complaint = get_object_or_404(Complaint, pk=pk)
        if not self.has_change_permission(request, complaint):
            return HttpResponse(status=403)
        form = ReferForm(request.POST or None, initial={"referred_on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                complaints.complaint_refer(
                    complaint=complaint, by=request.user, **form.cleaned_data
                )
            except complaints.ComplaintError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, _("Referral recorded; the complainant is told."))
                return redirect("admin:iris_complaint_change", complaint.pk)
        ctx = {
            **self.admin_site.each_context(request),
            "title": _("Refer %(ref)s") % {"ref": complaint.reference},
            "form": form,
            "complaint": complaint,
            "opts": self.model._meta,
        }
        return render(request, "iris/admin_refer.html", ctx)

    def _advance(self, request, queryset, to_stage):
        for complaint in queryset:
            try:
                complaints.complaint_advance(
                    complaint=complaint, to_stage=to_stage, by=request.user
                )
            except complaints.ComplaintError as exc:
                self.message_user(request, f"{complaint}: {exc}", messages.WARNING)
            else:
                self.message_user(request, f"{complaint}: moved.")

    @admin.action(description=_("Move to: under review"), permissions=["change"])
    def mark_under_review(self, request, queryset):
        self._advance(request, queryset, Complaint.Stage.UNDER_REVIEW)

    @admin.action(description=_("Move to: resolved"), permissions=["change"])
    def mark_resolved(self, request, queryset):
        self._advance(request, queryset, Complaint.Stage.RESOLVED)

    @admin.action(description=_("Move to: closed"), permissions=["change"])
    def mark_closed(self, request, queryset):
        self._advance(request, queryset, Complaint.Stage.CLOSED)

    @admin.action(description=_("Move to: withdrawn"), permissions=["change"])
    def mark_withdrawn(self, request, queryset):
        self._advance(request, queryset, Complaint.Stage.WITHDRAWN)


admin.site.register(ComplaintCategory, StrictListAdmin)
