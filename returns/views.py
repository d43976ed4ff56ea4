import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from iomuk.audit import access_history, access_record
from iomuk.charts import stacked_bars
from iomuk.searches import search_made, search_read
from iomuk.staff import staff_page

from . import services
from .forms import (
    AdvanceForm,
    AssignForm,
    CaseFilterForm,
    CaseUpdateForm,
    ConsentForm,
    DocumentForm,
    FollowUpForm,
    NoteForm,
    OutcomeEmailForm,
    PlanFormSet,
    ReferralForm,
    VersionForm,
)
from .models import ConsentPurpose, Dimension, ReturnCase, Stage
from .selectors import (
    case_consents,
    case_documents,
    case_follow_ups,
    case_is_visible_to,
    case_notes,
    case_search,
    case_transitions,
    cases_with_people_visible_to,
    caseworkers_assignable,
    follow_ups_due,
    referrals_made_by,
    referrer_details_for,
)

OBJECT_TYPE = "returns.case"
REFERENCE = re.compile(r"RR-[0-9]{4}-[0-9]{4,6}")
PAGE_SIZE = 25
CASE_LIST = "returns:case-list"
# The case list's fields that may name a person: never in an address.
CASE_SEARCH_WORDS = ("q",)


def index(request):
    return render(request, "returns/index.html")


def _record(request, case: ReturnCase, action: str, detail: str = "") -> None:
    access_record(
        request=request,
        action=action,
        object_type=OBJECT_TYPE,
        object_ref=case.reference,
        detail=detail,
    )


def _get_case_for_user(request, reference: str) -> ReturnCase:
    # A case the user may not see answers exactly as one that does not exist.
    if not REFERENCE.fullmatch(reference):
        raise Http404
    return get_object_or_404(cases_with_people_visible_to(request.user), reference=reference)


@staff_page
@login_required
@permission_required("returns.submit_referral", raise_exception=True)
@never_cache
def referral_new(request):
    form = ReferralForm(
        request.POST or None,
        request.FILES or None,
        initial=referrer_details_for(request.user),
        session=request.session,
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_refer(
                by=request.user,
                data=form.case_data(),
                services=form.cleaned_data["services"],
                document=form.cleaned_data.get("document"),
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            form.release_held()
            _record(request, case, "create")
            messages.success(
                request,
                _("Thank you: the referral is received as %(reference)s.")
                % {"reference": case.reference},
            )
            if case_is_visible_to(user=request.user, case=case):
                return redirect("returns:case-detail", reference=case.reference)
            return redirect("returns:my-referrals")
    return render(request, "returns/referral_new.html", {"form": form})


@staff_page
@login_required
@permission_required("returns.submit_referral", raise_exception=True)
@never_cache
def my_referrals(request):
    page = Paginator(referrals_made_by(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "returns/my_referrals.html", {"page": page})


@staff_page
@login_required
@permission_required("returns.submit_referral", raise_exception=True)
@never_cache
def referral_detail(request, reference):
    # Only the referrer's own: another's referral answers as one that does not exist.
    if not REFERENCE.fullmatch(reference):
        raise Http404
    case = get_object_or_404(referrals_made_by(request.user), reference=reference)
    ctx = {
        "case": case,
        "next_step": services.REFERRAL_NEXT_STEP[case.stage],
        "outcome": services.referral_outcome(case=case),
        "emails_wanted": services.referral_outcome_emails_wanted(case=case),
    }
    return render(request, "returns/referral_detail.html", ctx)


@staff_page
@require_POST
@login_required
@permission_required("returns.submit_referral", raise_exception=True)
def referral_emails(request, reference):
    if not REFERENCE.fullmatch(reference):
        raise Http404
    case = get_object_or_404(referrals_made_by(request.user), reference=reference)
    form = OutcomeEmailForm(request.POST)
    if form.is_valid():
        wanted = form.cleaned_data["wanted"]
        services.referral_outcome_email_choose(case=case, by=request.user, wanted=wanted)
        messages.success(
            request,
            _("We will email you when the outcome of this referral changes.")
            if wanted
            else _("We will not email you about the outcome of this referral."),
        )
    return redirect("returns:referral-detail", reference=case.reference)


@staff_page
@login_required
@permission_required("returns.view_returncase", raise_exception=True)
@never_cache
def case_list(request):
    user = request.user
    if user.has_perm("returns.view_all_cases"):
        caseworkers = list(caseworkers_assignable())
        # The workspace links to "my cases" for anyone, an administrator outside the roles too.
        if user not in caseworkers:
            caseworkers.append(user)
    else:
        caseworkers = [user]
    # The search words may be a survivor's name: sent by POST and kept in the session, so the
    # address (history, access logs, Referer) holds only a key and the other filters.
    if request.method == "POST":
        form = CaseFilterForm(request.POST, caseworkers=caseworkers)
        if form.is_valid():
            return search_made(request, form, page=CASE_LIST, personal=CASE_SEARCH_WORDS)
        query, status = "", 400
    else:
        read = search_read(request, page=CASE_LIST, personal=CASE_SEARCH_WORDS)
        if read.forgotten:
            messages.info(request, _("That search has expired. Type the words again to search."))
        elif read.words_in_address:
            messages.info(request, _("Type the words in the search box to search."))
        form = CaseFilterForm(read.data, caseworkers=caseworkers)
        query, status = read.query, 200
    cases = case_search(user=user, filters=form.cleaned_data if form.is_valid() else None)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    # Who looked at the list is on record too; the search words are not (they may be names).
    access_record(
        request=request,
        action="list",
        object_type=OBJECT_TYPE,
        object_ref="(case list)",
        detail=f"page {page.number}, {page.paginator.count} cases",
    )
    ctx = {
        "form": form,
        "page": page,
        "query": query,
        "can_take": user.has_perm("returns.change_returncase"),
    }
    return render(request, "returns/case_list.html", ctx, status=status)


def _case_page(
    request,
    case: ReturnCase,
    *,
    status: int = 200,
    error: str = "",
    conflicts: list | None = None,
    conflict_in: str = "",
    **forms,
):
    user = request.user
    _record(request, case, "view")
    plan_formset = forms.get("plan_formset") or PlanFormSet(
        queryset=case.plan_items.all(), prefix="plan"
    )
    plan_items = list(case.plan_items.all())
    plan_version = forms.get("plan_version") or VersionForm(
        initial={"version": case.version}, prefix="plan"
    )
    ctx = {
        "case": case,
        "error": error,
        "plan_formset": plan_formset,
        "plan_version": plan_version,
        "conflicts": conflicts,
        "conflict_in": conflict_in,
        "transitions": case_transitions(case),
        # Each move the table allows, with what (if anything) in the plan stands in its way.
        "moves": [
            (
                stage,
                Stage(stage).label,
                services.move_refused_by_plan(case=case, to_stage=stage, plan_items=plan_items),
            )
            for stage in services.moves_allowed(case=case, user=user)
        ],
        "advance_form": forms.get("advance_form") or AdvanceForm(initial={"version": case.version}),
        "can_change": user.has_perm("returns.change_returncase"),
        "waiting_for": services.case_waiting_for(case=case),
    }
    ctx["can_take"] = ctx["can_change"] and case.assigned_caseworker_id is None and case.is_open
    # A move refused because the case moved meanwhile may no longer be offered: its reason is
    # still shown, so nothing typed is lost.
    sent = ctx["advance_form"].data
    if sent.get("reason") and sent.get("to_stage") not in [stage for stage, *_ in ctx["moves"]]:
        ctx["unsent_move"] = {
            "label": dict(Stage.choices).get(sent.get("to_stage"), ""),
            "reason": sent["reason"],
        }
    if ctx["can_change"]:
        ctx["update_form"] = forms.get("update_form") or CaseUpdateForm(
            instance=case, initial={"version": case.version}, prefix="details"
        )
    if user.has_perm("returns.view_casenote"):
        ctx["notes"] = case_notes(case)
    if user.has_perm("returns.add_casenote"):
        ctx["note_form"] = forms.get("note_form") or NoteForm()
    if user.has_perm("returns.view_casedocument"):
        ctx["documents"] = case_documents(case)
    if user.has_perm("returns.add_casedocument"):
        ctx["document_form"] = forms.get("document_form") or DocumentForm()
    if user.has_perm("returns.assign_case"):
        ctx["assign_form"] = forms.get("assign_form") or AssignForm(
            initial={"version": case.version, "caseworker": case.assigned_caseworker_id},
            caseworkers=caseworkers_assignable(),
        )
    if user.has_perm("returns.view_followup"):
        ctx.update(_follow_up_figures(case))
    if user.has_perm("returns.view_caseconsent"):
        ctx["consents"] = case_consents(case)
        ctx["consent_summary"] = [
            (
                purpose.label,
                [c.partner for c in ctx["consents"] if c.purpose == purpose and c.is_active],
            )
            for purpose in ConsentPurpose
        ]
    if user.has_perm("returns.change_caseconsent"):
        ctx["consent_form"] = forms.get("consent_form") or ConsentForm(prefix="consent")
    ctx["can_subject_access"] = user.has_perm("returns.subject_access")
    if user.has_perm("returns.view_case_access_log"):
        ctx["access_log"] = access_history(object_type=OBJECT_TYPE, object_ref=case.reference)[:100]
    # The failing form (if any) is `form`, so the page title says "Error:".
    failing = [f for f in forms.values() if f is not None and not f.is_valid()]
    if failing:
        first = failing[0]
        if hasattr(first, "forms"):  # the plan's formset: its first row with an error
            ctx["error"] = ctx["error"] or " ".join(first.non_form_errors())
            first = next((f for f in first.forms if f.errors), None)
        ctx["form"] = first
    return render(request, "returns/case_detail.html", ctx, status=status)


@staff_page
@login_required
@permission_required("returns.view_returncase", raise_exception=True)
@never_cache
def case_detail(request, reference):
    case = _get_case_for_user(request, reference)
    return _case_page(request, case)


def _refused(request, case: ReturnCase, exc: services.CaseError, **forms):
    case.refresh_from_db()
    status = 409 if isinstance(exc, services.CaseConflict) else 400
    return _case_page(request, case, status=status, error=str(exc), **forms)


def _against_now(data, case: ReturnCase, version_key: str):
    """The data of a refused form, to draw it again against the case as it is saved now."""
    data = data.copy()
    data[version_key] = str(case.version)
    return data


@staff_page
@require_POST
@login_required
@permission_required("returns.change_returncase", raise_exception=True)
def case_advance(request, reference):
    case = _get_case_for_user(request, reference)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, advance_form=form)
    from_stage = case.stage
    try:
        services.case_advance(
            case=case,
            to_stage=form.cleaned_data["to_stage"],
            by=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
            reason_category=form.cleaned_data["reason_category"],
        )
    except services.CaseError as exc:
        # The reason typed stays in its box, ready to send again.
        case.refresh_from_db()
        again = AdvanceForm(_against_now(request.POST, case, "version"))
        return _refused(request, case, exc, advance_form=again)
    _record(request, case, "stage", f"{from_stage} -> {case.stage}")
    messages.success(
        request, _("The case is now at: %(stage)s.") % {"stage": case.get_stage_display()}
    )
    return redirect("returns:case-detail", reference=case.reference)


@staff_page
@require_POST
@login_required
@permission_required("returns.change_returncase", raise_exception=True)
def case_update(request, reference):
    case = _get_case_for_user(request, reference)
    form = CaseUpdateForm(request.POST, instance=case, prefix="details")
    if not form.is_valid():
        case.refresh_from_db()
        return _case_page(request, case, update_form=form)
    changed = ", ".join(name for name in form.changed_data if name != "version")
    try:
        services.case_update(
            case=case,
            by=request.user,
            changes=form.changes(),
            expected_version=form.cleaned_data["version"],
        )
    except services.CaseError as exc:
        case.refresh_from_db()
        if not isinstance(exc, services.CaseConflict):
            return _refused(request, case, exc, update_form=form)
        # Refused because someone saved first: what they changed, beside what this person typed,
        # which stays in the form to save again against the new version.
        conflicts = form.changed_by_others(case)
        data = _against_now(request.POST, case, "details-version")
        form.data_against(data, case)
        again = CaseUpdateForm(data, instance=case, prefix="details")
        return _refused(
            request, case, exc, conflicts=conflicts, conflict_in="details", update_form=again
        )
    _record(request, case, "change", changed or "no change")
    messages.success(request, _("The case details are saved."))
    return redirect("returns:case-detail", reference=case.reference)


@staff_page
@require_POST
@login_required
@permission_required("returns.assign_case", raise_exception=True)
def case_assign(request, reference):
    case = _get_case_for_user(request, reference)
    form = AssignForm(request.POST, caseworkers=caseworkers_assignable())
    if not form.is_valid():
        return _case_page(request, case, assign_form=form)
    try:
        services.case_assign(
            case=case,
            caseworker=form.cleaned_data["caseworker"],
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except services.CaseError as exc:
        case.refresh_from_db()
        again = AssignForm(
            _against_now(request.POST, case, "version"), caseworkers=caseworkers_assignable()
        )
        return _refused(request, case, exc, assign_form=again)
    assignee = case.assigned_caseworker
    _record(request, case, "assign", assignee.get_username() if assignee else "intake queue")
    messages.success(request, _("The assignment is saved."))
    return redirect("returns:case-detail", reference=case.reference)


@staff_page
@require_POST
@login_required
@permission_required("returns.change_returncase", raise_exception=True)
def case_take(request, reference):
    # Taken by a colleague a moment ago, or never there: the same answer, and no leak.
    gone = _("This case is no longer in the intake queue.")
    try:
        case = _get_case_for_user(request, reference)
        services.case_take(case=case, by=request.user)
    except (Http404, services.CaseError):
        messages.error(request, gone)
        return redirect(f"{reverse('returns:case-list')}?caseworker=none")
    _record(request, case, "assign", f"taken by {request.user.get_username()}")
    messages.success(request, _("You have taken this case from the intake queue."))
    return redirect("returns:case-detail", reference=case.reference)


@staff_page
@require_POST
@login_required
@permission_required("returns.change_returnplanitem", raise_exception=True)
def plan_update(request, reference):
    case = _get_case_for_user(request, reference)
    formset = PlanFormSet(request.POST, queryset=case.plan_items.all(), prefix="plan")
    version = VersionForm(request.POST, prefix="plan")
    if not (formset.is_valid() and version.is_valid()):
        return _case_page(request, case, plan_formset=formset, plan_version=version)
    try:
        services.plan_update(
            case=case,
            by=request.user,
            changes={form.instance.pk: form.changes() for form in formset.forms},
            expected_version=version.cleaned_data["version"],
        )
    except services.CaseError as exc:
        case.refresh_from_db()
        saved = {item.pk: item for item in case.plan_items.all()}
        data = _against_now(request.POST, case, "plan-version")
        conflicts = None
        if isinstance(exc, services.CaseConflict):
            # Refused because someone saved first: their changes beside the rows as typed.
            conflicts = []
            for form in formset.forms:
                conflicts += form.changed_by_others(saved[form.instance.pk])
                form.data_against(data, saved[form.instance.pk])
        again = PlanFormSet(data, queryset=case.plan_items.all(), prefix="plan")
        return _refused(
            request,
            case,
            exc,
            conflicts=conflicts,
            conflict_in="plan" if conflicts is not None else "",
            plan_formset=again,
            plan_version=VersionForm(data, prefix="plan"),
        )
    _record(request, case, "change", "plan")
    messages.success(request, _("The return plan is saved."))
    return redirect("returns:case-detail", reference=case.reference)


@staff_page
@require_POST
@login_required
@permission_required("returns.add_casenote", raise_exception=True)
def note_add(request, reference):
    case = _get_case_for_user(request, reference)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, note_form=form)
    note = services.case_note_add(case=case, by=request.user, text=form.cleaned_data["text"])
    _record(request, case, "note", f"note {note.pk}")
    messages.success(request, _("The note is added."))
    return redirect("returns:case-detail", reference=case.reference)


@staff_page
@require_POST
@login_required
@permission_required("returns.add_casedocument", raise_exception=True)
def document_add(request, reference):
    case = _get_case_for_user(request, reference)
    form = DocumentForm(request.POST, request.FILES, session=request.session)
    if not form.is_valid():
        return _case_page(request, case, document_form=form)
    try:
        document = services.case_document_add(
            case=case,
            by=request.user,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        )
    except services.CaseError as exc:
        return _refused(request, case, exc)
    form.release_held()
    _record(request, case, "upload", f"document {document.pk}")
    messages.success(request, _("The document is stored."))
    return redirect("returns:case-detail", reference=case.reference)


@staff_page
@login_required
@permission_required("returns.view_casedocument", raise_exception=True)
@never_cache
def document_download(request, reference, document_id):
    case = _get_case_for_user(request, reference)
    document = get_object_or_404(case.documents, pk=document_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    _record(request, case, "download", f"document {document.pk}")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _follow_up_figures(case: ReturnCase) -> dict:
    """Each follow-up with its scores (out of 100), and a chart of the same figures."""
    follow_ups = [(f, services.follow_up_scores(f)) for f in case_follow_ups(case)]
    dimensions = list(Dimension)
    bars = [
        (
            _("%(months)d months: %(dimension)s")
            % {"months": follow_up.months, "dimension": dimension.label},
            [round(scores[dimension] * 100)],
        )
        for follow_up, scores in follow_ups
        for dimension in dimensions
        if scores[dimension] is not None
    ]
    rows = [
        (
            follow_up,
            [None if scores[d] is None else round(scores[d] * 100) for d in dimensions],
            None if scores["composite"] is None else round(scores["composite"] * 100),
        )
        for follow_up, scores in follow_ups
    ]
    chart = stacked_bars(
        id="chart-follow-up-scores",
        title=_("Reintegration scores at each follow-up"),
        desc=_("One bar per follow-up and dimension: its score out of 100."),
        series=[_("Score out of 100")],
        rows=bars,
        scale_to=100,
    )
    return {
        "follow_ups": rows,
        "score_dimensions": [d.label for d in dimensions],
        "score_chart": chart if bars else None,
    }


@staff_page
@login_required
@permission_required("returns.view_followup", raise_exception=True)
@never_cache
def follow_up_queue(request):
    queue = follow_ups_due(user=request.user)
    access_record(
        request=request,
        action="list",
        object_type=OBJECT_TYPE,
        object_ref="(follow-up queue)",
        detail=f"{len(queue['overdue'])} overdue, {len(queue['this_week'])} this week",
    )
    return render(request, "returns/follow_up_queue.html", {"queue": queue})


@staff_page
@login_required
@permission_required("returns.change_followup", raise_exception=True)
@never_cache
def follow_up_record(request, reference, follow_up_id):
    case = _get_case_for_user(request, reference)
    follow_up = get_object_or_404(case.follow_ups, pk=follow_up_id)
    form = FollowUpForm(request.POST or None, indicators=services.survey_indicators())
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record(
                follow_up=follow_up,
                by=request.user,
                contact=form.cleaned_data["contact"],
                answers=form.answers(),
                support=form.cleaned_data["support"],
            )
        except services.CaseError as exc:
            error = str(exc)
        else:
            _record(request, case, "follow-up", f"{follow_up.months} months recorded")
            messages.success(request, _("The follow-up is recorded."))
            return redirect("returns:case-detail", reference=case.reference)
    _record(request, case, "view", f"follow-up {follow_up.months} months")
    ctx = {"case": case, "follow_up": follow_up, "form": form, "error": error}
    return render(request, "returns/follow_up_record.html", ctx, status=400 if error else 200)


@staff_page
@require_POST
@login_required
@permission_required("returns.change_caseconsent", raise_exception=True)
def consent_add(request, reference):
    case = _get_case_for_user(request, reference)
    form = ConsentForm(request.POST, prefix="consent")
    if not form.is_valid():
        return _case_page(request, case, status=400, consent_form=form)
    try:
        consent = services.consent_record(case=case, by=request.user, **form.cleaned_data)
    except services.CaseError as exc:
        return _refused(request, case, exc, consent_form=form)
    _record(request, case, "consent", f"{consent.purpose} recorded")
    messages.success(request, _("The consent is recorded."))
    return redirect("returns:case-detail", reference=case.reference)


@staff_page
@require_POST
@login_required
@permission_required("returns.change_caseconsent", raise_exception=True)
def consent_withdraw(request, reference, consent_id):
    case = _get_case_for_user(request, reference)
    consent = get_object_or_404(case.consents, pk=consent_id)
    try:
        services.consent_withdraw(consent=consent, by=request.user)
    except services.CaseError as exc:
        return _refused(request, case, exc)
    _record(request, case, "consent", f"{consent.purpose} withdrawn")
    messages.success(request, _("The withdrawal of consent is recorded."))
    return redirect("returns:case-detail", reference=case.reference)


@staff_page
@login_required
@permission_required("returns.subject_access", raise_exception=True)
@never_cache
def subject_access_export(request, reference):
    case = _get_case_for_user(request, reference)
    export = services.case_subject_access_export(case=case, by=request.user)
    _record(request, case, "export", "subject access request (JSON)")
    response = JsonResponse(export, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-subject-access.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_page
@require_POST
@login_required
@permission_required("returns.subject_access", raise_exception=True)
def case_erase(request, reference):
    case = _get_case_for_user(request, reference)
    try:
        services.case_erase(case=case, by=request.user)
    except services.CaseError as exc:
        return _refused(request, case, exc)
    messages.success(request, _("The person's data is erased from this case."))
    return redirect("returns:case-detail", reference=case.reference)
