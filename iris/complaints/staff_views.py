"""The IRIS officers' complaint pages, under /staff/iris/complaints/: the queue and one page per
complaint, from which every act is done. Built as returns/views.py is: one scoped fetch helper,
a form to read what was sent, one service per write (each writes the access log itself)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from iomuk.audit import access_history, access_record
from iomuk.forms import filters_that_hold
from iomuk.searches import (
    KEY,
    search_address,
    search_keep,
    search_made,
    search_read,
    search_words,
)
from iomuk.staff import staff_page
from iris.recruiters import contact_services
from iris.recruiters.contact_forms import ImpostorForm
from iris.recruiters.selectors import recruiters_like, recruiters_named

from . import services
from .clocks import complaint_clocks, complaints_by_urgency
from .models import Complaint
from .selectors import complaint_timeline, complaints_search
from .staff_forms import ComposeForm, MatchForm, QueueFilterForm, ReferForm, StageMoveForm

PAGE_SIZE = 25
QUEUE = "iris-complaints:queue"
# The queue's fields that may name a person or a complaint: never in an address.
QUEUE_SEARCH_WORDS = ("q",)
# Where the match box's words are kept: one complaint page's search, whichever complaint.
FIND = "iris-complaints:find"
# Search words longer than this are not a name anyone typed: the search reads no further.
MOST_SEARCHED = 200


def _get_complaint_for_user(request, reference: str) -> Complaint:
    # Officers see every complaint; anyone else was refused by the permission before this.
    return get_object_or_404(
        Complaint.objects.select_related("recruiter", "unlisted_country"),
        reference="".join(reference.upper().split()),
    )


@staff_page
@login_required
@permission_required("iris.view_complaint", raise_exception=True)
@never_cache
def complaint_queue(request):
    # The search may be a complainant's or an agent's name, or a reference: sent by POST and
    # kept in the session, so the address (history, access logs, Referer) holds only a key.
    if request.method == "POST":
        form = QueueFilterForm(request.POST)
        if form.is_valid():
            return search_made(request, form, page=QUEUE, personal=QUEUE_SEARCH_WORDS)
        query, status = "", 400
    else:
        read = search_read(request, page=QUEUE, personal=QUEUE_SEARCH_WORDS)
        if read.forgotten:
            messages.info(request, "That search has expired. Type the words again to search.")
        elif read.words_in_address:
            messages.info(request, "Type the words in the search box to search.")
        form = QueueFilterForm(read.data)
        query, status = read.query, 200
    filters = filters_that_hold(form)
    complaints = complaints_search(
        q=filters.get("q", ""),
        stage=filters.get("stage", ""),
        needs_matching=filters.get("matching", False),
        in_danger=filters.get("danger", False),
    )
    # Most urgent first: someone in danger, then overdue, then the soonest deadline.
    complaints = complaints_by_urgency(complaints)
    if filters.get("overdue"):
        complaints = complaints.filter(overdue=True)
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    # Who looked is on record; the search words are not (they may be names).
    access_record(
        request=request,
        action="list",
        object_type=services.OBJECT_TYPE,
        object_ref="(complaint queue)",
        detail=f"page {page.number}, {page.paginator.count} complaints",
    )
    ctx = {"form": form, "page": page, "query": query}
    return render(request, "iris/staff/complaint_queue.html", ctx, status=status)


def _complaint_page(request, complaint: Complaint, *, status: int = 200, error: str = "", **forms):
    access_record(
        request=request,
        action="view",
        object_type=services.OBJECT_TYPE,
        object_ref=complaint.reference,
    )
    # The recruiter search's words, kept in the session by complaint_find (never in the address).
    kept = search_words(request.session, page=FIND, key=request.GET.get(KEY, ""))
    if kept is None and request.GET.get(KEY):
        messages.info(request, "That search has expired. Type the words again to search.")
    find = (kept or {}).get("find", "")
    ctx = {
        "complaint": complaint,
        "error": error,
        "timeline": complaint_timeline(complaint),
        "clocks": complaint_clocks(complaint),
        "compose_form": forms.get("compose_form") or ComposeForm(complaint=complaint),
        "move_form": forms.get("move_form") or StageMoveForm(complaint=complaint),
        "refer_form": forms.get("refer_form")
        or ReferForm(initial={"referred_on": timezone.localdate()}),
        "can_refer": complaint.consent_to_referral,
        "impostor_form": forms.get("impostor_form") or _impostor_form(complaint),
        "find": find,
        # Always set: a name the template looks up and does not find is logged at DEBUG with the
        # whole context (the complainant's words, the search words) in the exception.
        "form": None,
        "access_log": access_history(
            object_type=services.OBJECT_TYPE, object_ref=complaint.reference
        )[:50],
    }
    if complaint.recruiter_id is None:
        # The roster's own search (names, typos, accreditation numbers, page addresses), for
        # what the officer typed, else for the name the complainant gave.
        ctx["searched"] = find or complaint.recruiter_name_given or complaint.unlisted_name
        if find:
            ctx["found"] = recruiters_named(text=find)[:10]
        else:
            ctx["found"] = recruiters_like(text=ctx["searched"])
    failing = [f for f in forms.values() if f is not None and not f.is_valid()]
    if failing:
        ctx["form"] = failing[0]
    return render(request, "iris/staff/complaint_detail.html", ctx, status=status)


@staff_page
@login_required
@permission_required("iris.view_complaint", raise_exception=True)
@never_cache
def complaint_detail(request, reference):
    complaint = _get_complaint_for_user(request, reference)
    return _complaint_page(request, complaint)


@staff_page
@require_POST
@login_required
@permission_required("iris.view_complaint", raise_exception=True)
def complaint_find(request, reference):
    """The match box's search, sent by POST (an agent's name is often a person's): its words are
    kept in the session and the complaint's page shown again with only their key."""
    complaint = _get_complaint_for_user(request, reference)
    find = " ".join(request.POST.get("find", "").split())[:MOST_SEARCHED]
    key = search_keep(request.session, page=FIND, words={"find": find}) if find else ""
    path = reverse("iris-complaints:detail", args=[complaint.reference])
    response = redirect(search_address(path, key=key) + "#match-title")
    response.status_code = 303  # See Other: the page is fetched by GET, never sent again
    return response


def _refused(request, complaint: Complaint, exc: services.ComplaintError, **forms):
    complaint.refresh_from_db()
    status = 409 if isinstance(exc, services.StageMovedMeanwhile) else 400
    return _complaint_page(request, complaint, status=status, error=str(exc), **forms)


def _back(complaint: Complaint):
    return redirect("iris-complaints:detail", reference=complaint.reference)


@staff_page
@require_POST
@login_required
@permission_required("iris.change_complaint", raise_exception=True)
def complaint_compose(request, reference):
    """A message to the complainant or an internal note, and a stage move with it if chosen."""
    complaint = _get_complaint_for_user(request, reference)
    form = ComposeForm(request.POST, complaint=complaint)
    if not form.is_valid():
        return _complaint_page(request, complaint, compose_form=form)
    data = form.cleaned_data
    note = data["kind"] == ComposeForm.NOTE
    perm = "iris.add_complaintnote" if note else "iris.add_complaintmessage"
    if not request.user.has_perm(perm):
        raise PermissionDenied
    try:
        with transaction.atomic():  # the move and what is written with it, or neither
            written = _compose(request, complaint, data, note)
    except services.ComplaintError as exc:
        # What was typed stays in the box, and a move is offered again from where it is now.
        complaint.refresh_from_db()
        again = request.POST.copy()
        again["from_stage"] = complaint.stage
        return _refused(
            request, complaint, exc, compose_form=ComposeForm(again, complaint=complaint)
        )
    if note:
        messages.success(request, "Internal note added. The complainant does not see it.")
    else:
        told = "is emailed that there is news" if complaint.email else "sees it when tracking"
        messages.success(
            request, f"Message sent in {written.get_language_display()}; the complainant {told}."
        )
    return _back(complaint)


def _compose(request, complaint: Complaint, data: dict, note: bool):
    if data["to_stage"]:
        # Moved first: a stale move refuses the whole act, and nothing is written or sent.
        complaint = services.complaint_advance(
            complaint=complaint,
            from_stage=data["from_stage"],
            to_stage=data["to_stage"],
            by=request.user,
            request=request,
        )
    if note:
        return services.complaint_note_add(
            complaint=complaint, body=data["body"], by=request.user, request=request
        )
    return services.complaint_message_add(
        complaint=complaint,
        shared_with_complainant=True,
        template=data["template"],
        body=data["body"],
        language=data["language"],
        by=request.user,
        request=request,
    )


@staff_page
@require_POST
@login_required
@permission_required("iris.change_complaint", raise_exception=True)
def complaint_move(request, reference):
    complaint = _get_complaint_for_user(request, reference)
    form = StageMoveForm(request.POST, complaint=complaint)
    if not form.is_valid():
        return _complaint_page(request, complaint, move_form=form)
    try:
        complaint = services.complaint_advance(
            complaint=complaint,
            from_stage=form.cleaned_data["from_stage"],
            to_stage=form.cleaned_data["to_stage"],
            by=request.user,
            request=request,
        )
    except services.ComplaintError as exc:
        # The choice stays chosen, now from where the complaint is: sending again is deliberate.
        complaint.refresh_from_db()
        again = StageMoveForm(
            {"from_stage": complaint.stage, "to_stage": form.cleaned_data["to_stage"]},
            complaint=complaint,
        )
        return _refused(request, complaint, exc, move_form=again)
    told = " The complainant is emailed that there is news." if complaint.email else ""
    stage = complaint.get_stage_display()
    messages.success(request, f"{complaint.reference} moved to {stage}.{told}")
    return _back(complaint)


@staff_page
@require_POST
@login_required
@permission_required("iris.add_referral", raise_exception=True)
def complaint_refer(request, reference):
    complaint = _get_complaint_for_user(request, reference)
    form = ReferForm(request.POST)
    if not form.is_valid():
        return _complaint_page(request, complaint, refer_form=form)
    try:
        services.complaint_refer(
            complaint=complaint, by=request.user, request=request, **form.cleaned_data
        )
    except services.ComplaintError as exc:
        return _refused(request, complaint, exc, refer_form=ReferForm(request.POST))
    messages.success(request, "Referral recorded; the complaint is at Referred to an authority.")
    return _back(complaint)


@staff_page
@require_POST
@login_required
@permission_required("iris.change_complaint", raise_exception=True)
def complaint_match(request, reference):
    complaint = _get_complaint_for_user(request, reference)
    form = MatchForm(request.POST)
    if not form.is_valid():
        return _complaint_page(request, complaint, error=" ".join(form.errors["recruiter"]))
    try:
        services.complaint_recruiter_match(
            complaint=complaint,
            recruiter=form.cleaned_data["recruiter"],
            by=request.user,
            request=request,
        )
    except services.ComplaintError as exc:
        return _refused(request, complaint, exc)
    messages.success(request, f"Linked to {form.cleaned_data['recruiter'].legal_name}.")
    return _back(complaint)


def _impostor_form(complaint: Complaint, data=None) -> ImpostorForm:
    # The contact the complainant gave, for the officer to cut down to one number or address.
    first_line = next((line.strip() for line in complaint.unlisted_contact.splitlines()), "")
    initial = {"value": first_line[:200], "reported_on": timezone.localdate(complaint.created_at)}
    return ImpostorForm(data, prefix="impostor", initial=initial)


@staff_page
@require_POST
@login_required
@permission_required("iris.change_complaint", raise_exception=True)
def complaint_impostor(request, reference):
    """Put the contact a complaint names on the warning list: the list says whom it imitates
    and when it was reported, never who reported it."""
    complaint = _get_complaint_for_user(request, reference)
    form = _impostor_form(complaint, request.POST)
    if form.is_valid():
        try:
            contact_services.impostor_add(
                imitates=complaint.recruiter,
                source="complaint",
                by=request.user,
                request=request,
                **{**form.cleaned_data, "note": form.cleaned_data["note"] or complaint.reference},
            )
        except contact_services.ContactError as exc:
            form.add_error("value", str(exc))
        else:
            messages.success(
                request, "Added to the warning list: the public check warns of it now."
            )
            return _back(complaint)
    return _complaint_page(request, complaint, status=400, impostor_form=form)
