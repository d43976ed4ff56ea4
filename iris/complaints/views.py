"""The complainant's pages: reporting a recruiter, the receipt, following the report and
adding to it; and an officer's checked download of evidence."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.files.storage import default_storage
from django.core.validators import slug_re
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from iomuk.audit import access_record
from iomuk.staff import staff_page
from iomuk.storage import NOT_STORED_MESSAGE, UploadNotStored
from iomuk.throttle import public_form
from iris.recruiters.selectors import recruiter_name_for_public

from . import services
from .forms import ComplaintAdditionForm, ComplaintForm, TrackForm
from .models import Complaint, ComplaintEvidence

SUBMITTED_KEY = "iris_submitted"
TRACKED_KEY = "iris_tracked"


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
                complaint, code = services.complaint_submit(
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
            except services.DuplicateSubmission:
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
                "emailed": services.complaint_receipt_contents(
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
    return recruiter_name_for_public(slug=slug) if slug_re.fullmatch(slug) else ""


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
            complaint = services.complaint_find(
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
        "is_open": services.complaint_is_open(complaint),
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
        services.complaint_addition_add(
            complaint=complaint,
            body=form.cleaned_data["body"],
            evidence=tuple(form.cleaned_data["evidence"]),
            submission_token=form.cleaned_data["token"],
        )
    except services.ComplaintFinished:
        return redirect("iris:complaint-tracked")  # the page says it is finished, and what to do
    except services.DuplicateSubmission:
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
