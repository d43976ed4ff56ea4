from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from iomuk.audit import access_record
from iomuk.staff import staff_page
from iomuk.storage import NOT_STORED_MESSAGE, UploadNotStored
from iomuk.throttle import public_form, throttle_exceeded, throttled_response

from . import complaints, services, watch
from .forms import (
    ComplaintAdditionForm,
    ComplaintForm,
    JoinForm,
    RosterFilterForm,
    TrackForm,
    VerifyForm,
    VerifyWidgetForm,
    WatchForm,
)
from .models import Complaint, ComplaintEvidence
from .selectors import (
    recruiter_by_number,
    recruiter_for_public,
    roster_entries,
    roster_matches,
    watches_of_address,
)

SUBMITTED_KEY = "iris_submitted"
TRACKED_KEY = "iris_tracked"


def index(request):
    return render(request, "iris/index.html")


@require_GET
def roster(request):
    form = RosterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    # An accreditation number names one recruiter: its page, not a list of one.
    if numbered := recruiter_by_number(number=filters.get("q", "")):
        return redirect("iris:recruiter", numbered.slug)
    most = settings.IRIS_ROSTER_MOST_LISTED
    ids = roster_matches(
        q=filters.get("q", ""),
        country=filters["country"].pk if filters.get("country") else "",
        sector=filters["sector"].pk if filters.get("sector") else "",
        most=most,
    )
    page = Paginator(ids[:most], settings.IRIS_ROSTER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "filter_form": form,
        "page": page,
        "recruiters": roster_entries(ids=page.object_list),
        "more_than": most if len(ids) > most else None,
        "query": query.urlencode(),
        "searched": bool(filters),
    }
    return render(request, "iris/roster.html", ctx)


def recruiter_detail(request, slug: str):
    recruiter = recruiter_for_public(slug=slug)
    if recruiter is None:
        raise Http404
    form = WatchForm(initial={"language": translation.get_language() or settings.LANGUAGE_CODE})
    return render(
        request, "iris/recruiter_detail.html", {"recruiter": recruiter, "watch_form": form}
    )


@require_POST
@public_form(scope="iris-watch", limit_setting="IRIS_WATCH_LIMIT")
def recruiter_watch(request, slug: str):
    recruiter = recruiter_for_public(slug=slug)
    if recruiter is None:
        raise Http404
    form = WatchForm(request.POST)
    if not form.is_valid():
        ctx = {"recruiter": recruiter, "watch_form": form}
        return render(request, "iris/recruiter_detail.html", ctx)
    watch.watch_request(
        recruiter=recruiter,
        email=form.cleaned_data["email"],
        language=form.cleaned_data["language"],
    )
    # The same answer whether the address already watches or not.
    return render(request, "iris/watch_requested.html", {"recruiter": recruiter})


@never_cache
def watch_confirm(request, token: str):
    # A link opened by a mail scanner must not confirm: the button does.
    if request.method == "POST":
        confirmed = watch.watch_confirm(token=token)
        if confirmed is None:
            return render(request, "iris/watch_unknown.html", status=404)
        return render(request, "iris/watch_confirmed.html", {"watch": confirmed})
    return render(request, "iris/watch_confirm.html", {"token": token})


@csrf_exempt  # RFC 8058: a mail client POSTs here with only the token in the URL
@never_cache
def watch_stop(request, token: str):
    if request.method == "POST":
        recruiter = watch.watch_stop(token=token)
        return render(request, "iris/watch_stopped.html", {"recruiter": recruiter})
    return render(request, "iris/watch_stop.html", {"token": token})


@never_cache
def watch_manage(request, token: str):
    if request.method == "POST":
        stopped = watch.watches_stop_all(token=token)
        return render(request, "iris/watch_stopped.html", {"stopped": stopped})
    watches = watches_of_address(token=token)
    if watches is None:
        return render(request, "iris/watch_unknown.html", status=404)
    return render(request, "iris/watch_manage.html", {"watches": watches, "token": token})


def recruiter_proof(request, slug: str):
    recruiter = recruiter_for_public(slug=slug)
    if recruiter is None:
        raise Http404
    ctx = {
        "recruiter": recruiter,
        "checked_at": timezone.localtime(timezone.now()),
        "page_url": settings.SITE_URL + request.path.removesuffix("proof/"),
    }
    return render(request, "iris/recruiter_proof.html", ctx)


@public_form(scope="iris-verify", limit_setting="IRIS_VERIFY_LIMIT")
def verify(request):
    # Sent by POST like every public form; a link with ?number= fills the box in.
    if request.method == "POST":
        form = VerifyForm(request.POST)
    else:
        form = VerifyForm(initial={"number": request.GET.get("number", "")[:30]})
    ctx = {"form": form, "checked": False}
    if form.is_bound and form.is_valid():
        ctx.update(
            checked=True,
            number=form.cleaned_data["number"],
            recruiter=recruiter_by_number(number=form.cleaned_data["number"]),
            checked_at=timezone.localtime(timezone.now()),
        )
    return render(request, "iris/verify.html", ctx)


@public_form(scope="iris-join", limit_setting="IRIS_JOIN_LIMIT")
def join(request):
    if request.method == "POST":
        form = JoinForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            application = services.application_submit(
                **{k: v for k, v in data.items()},
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
            return render(request, "iris/join_done.html", {"application": application})
    else:
        form = JoinForm()
    return render(request, "iris/join.html", {"form": form})


@public_form(scope="iris-complaint", limit_setting="IRIS_COMPLAINT_LIMIT")
def complaint_new(request):
    if request.method == "POST":
        form = ComplaintForm(request.POST, request.FILES, session=request.session)
        token = request.POST.get("token", "")
        if (
            ComplaintForm.token_well_formed(token)
            and Complaint.objects.filter(submission_token=token).exists()
        ):
            return redirect("iris:complaint-submitted")  # a second click on the same form
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint, code = complaints.complaint_submit(
                    recruiter=data["recruiter"],
                    recruiter_name_given=data["recruiter_name_given"],
                    unlisted_name=data["unlisted_name"],
                    unlisted_country=data["unlisted_country"],
                    unlisted_contact=data["unlisted_contact"],
                    categories=data["categories"],
                    happened_when=data["happened_when"],
                    recruitment_country=data["recruitment_country"],
                    destination_country=data["destination_country"],
                    description=data["description"],
                    evidence=tuple(data["evidence"]),
                    anonymous=data["anonymous"],
                    name=data["name"],
                    email=data["email"],
                    email_tracking_code=data["email_code"],
                    phone=data["phone"],
                    safe_contact=data["safe_contact"],
                    preferred_language=data["preferred_language"],
                    consent_to_referral=data["consent_to_referral"],
                    in_danger=data["in_danger"],
                    submission_token=data["token"],
                )
            except complaints.DuplicateSubmission:
                # The same form sent twice at the same moment: the first one was stored.
                return redirect("iris:complaint-submitted")
            except UploadNotStored:
                # The uploads disk is full or read-only: the form again, with what was typed.
                form.add_error(None, NOT_STORED_MESSAGE)
                return render(request, "iris/complaint_new.html", {"form": form})
            form.release_held()
            request.session[SUBMITTED_KEY] = {
                "reference": complaint.reference,
                "code": code,
                "in_danger": complaint.in_danger,
                # What the receipt carried, so the page says it truly: the code only if asked.
                "emailed": complaints.complaint_receipt_contents(
                    complaint=complaint, email_tracking_code=data["email_code"]
                ),
                "to_match": complaint.recruiter_name_given if complaint.needs_matching else "",
            }
            return redirect("iris:complaint-submitted")
        return render(request, "iris/complaint_new.html", {"form": form})

    initial = {
        "preferred_language": translation.get_language() or settings.LANGUAGE_CODE,
        "recruiter_ref": _recruiter_name_from_its_page(request),
    }
    return render(request, "iris/complaint_new.html", {"form": ComplaintForm(initial=initial)})


def _recruiter_name_from_its_page(request) -> str:
    """The name of the recruiter whose "Report this recruiter" link (with its slug) led here."""
    slug = request.GET.get("recruiter", "")[:220]
    recruiter = recruiter_for_public(slug=slug) if slug_re.fullmatch(slug) else None
    return recruiter.legal_name if recruiter else ""


def complaint_submitted(request):
    # The tracking code is shown once: it leaves the session as this page is drawn.
    ctx = {"submitted": request.session.pop(SUBMITTED_KEY, None)}
    return render(request, "iris/complaint_submitted.html", ctx)


@public_form(scope="iris-track", limit_setting="IRIS_TRACK_LIMIT")
def complaint_track(request):
    complaint = None
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            complaint = complaints.complaint_find(
                reference=form.cleaned_data["reference"], code=form.cleaned_data["code"]
            )
            if complaint is None:
                form.add_error(None, TrackForm.not_found_message)
    else:
        form = TrackForm()
    if complaint is not None:
        # The report stays open on this browser, to add to it, until "Done" or the session ends.
        request.session.cycle_key()
        request.session[TRACKED_KEY] = complaint.pk
        return _tracked_page(request, complaint)
    request.session.pop(TRACKED_KEY, None)
    return render(request, "iris/complaint_track.html", {"form": form})


def _tracked_page(request, complaint: Complaint, addition_form=None):
    ctx = {
        "complaint": complaint,
        "shared_messages": complaint.messages.filter(shared_with_complainant=True),
        "additions": complaint.additions.annotate(files=Count("evidence")),
        "is_open": complaints.complaint_is_open(complaint),
        "addition_form": addition_form or ComplaintAdditionForm(),
    }
    return render(request, "iris/complaint_status.html", ctx)


@never_cache
@public_form(scope="iris-complaint-add", limit_setting="IRIS_COMPLAINT_LIMIT")
def complaint_tracked(request):
    """The report found by its reference and code on this browser; the complainant adds to it."""
    pk = request.session.get(TRACKED_KEY)
    complaint = Complaint.objects.filter(pk=pk).first() if pk else None
    if complaint is None:
        messages.info(
            request, _("Enter your reference and tracking code again to see or add to your report.")
        )
        return redirect("iris:complaint-track")
    if request.method != "POST":
        return _tracked_page(request, complaint)
    form = ComplaintAdditionForm(request.POST, request.FILES, session=request.session)
    if not form.is_valid():
        return _tracked_page(request, complaint, addition_form=form)
    try:
        complaints.complaint_addition_add(
            complaint=complaint,
            body=form.cleaned_data["body"],
            evidence=tuple(form.cleaned_data["evidence"]),
            submission_token=form.cleaned_data["token"],
        )
    except complaints.ComplaintFinished:
        return redirect("iris:complaint-tracked")  # the page says it is finished, and what to do
    except complaints.DuplicateSubmission:
        pass  # a second click on the same form: the first one was stored
    except UploadNotStored:
        form.add_error(None, NOT_STORED_MESSAGE)  # the form again, with what was typed
        return _tracked_page(request, complaint, addition_form=form)
    form.release_held()
    messages.success(request, _("We have received what you added. An IRIS officer will read it."))
    return redirect("iris:complaint-tracked")


@staff_page
@permission_required("iris.download_complaintevidence", raise_exception=True)
def evidence_download(request, pk: int):
    evidence = get_object_or_404(ComplaintEvidence.objects.select_related("complaint"), pk=pk)
    access_record(
        request=request,
        action="download",
        object_type="iris.complaint",
        object_ref=evidence.complaint.reference,
        detail=f"evidence {evidence.pk}",
    )
    try:
        handle = default_storage.open(evidence.file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{evidence.complaint.reference}-evidence-{evidence.pk}.{evidence.extension}",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@xframe_options_exempt
@csp_override({**settings.SECURE_CSP, "frame-ancestors": settings.IRIS_WIDGET_FRAME_ANCESTORS})
def verify_widget(request):
    """The verify page as a small, script-free form a partner frames in its own page.

    Sent by GET (a framed form on another site carries no cookie for a CSRF check); checks
    count against the verify page's limit. `?lang=` picks one of the portal's languages.
    """
    form = VerifyWidgetForm(request.GET if "number" in request.GET else None)
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    ctx = {"form": form, "checked": False, "lang": language}
    with translation.override(language):
        if form.is_bound and form.is_valid():
            limit, period = settings.IRIS_VERIFY_LIMIT
            if throttle_exceeded(request, scope="iris-verify", limit=limit, period=period):
                return throttled_response(request, period=period)
            ctx.update(
                checked=True,
                number=form.cleaned_data["number"],
                recruiter=recruiter_by_number(number=form.cleaned_data["number"]),
                checked_at=timezone.localtime(timezone.now()),
            )
        return render(request, "iris/verify_widget.html", ctx)
