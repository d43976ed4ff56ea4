"""IRIS officers' pages for recruiters (/staff/iris/recruiters/): the list, one recruiter's
standing and history with reasons, and the decisions on it, each through its service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from iomuk.forms import filters_that_hold
from iomuk.staff import staff_page

from . import contact_services, services
from .contact_forms import ContactForm, ImpostorForm
from .contacts import ImpostorContact, RecruiterContact
from .forms import DecisionForm, StaffRecruiterFilterForm
from .models import AccreditationState, Recruiter
from .selectors import STAFF_PAGE_SIZE, recruiters_for_officers

# Each decision an officer takes, the service that takes it and what it says when done.
DECISIONS = {
    "grant": (services.recruiter_accredit, "note", "Accredited for 12 months."),
    "renew": (services.recruiter_renew, "note", "Renewed for 12 months from today."),
    "suspend": (services.recruiter_suspend, "reason", "Suspended."),
    "lift": (services.recruiter_lift, "note", "Suspension lifted; the dates are unchanged."),
    "withdraw": (services.recruiter_withdraw, "reason", "Withdrawn."),
}


def _get_recruiter_for_officer(slug: str) -> Recruiter:
    return get_object_or_404(Recruiter.objects.select_related("hq_country"), slug=slug)


@staff_page
@login_required
@permission_required("iris.change_recruiter", raise_exception=True)
@never_cache
def recruiter_list(request):
    form = StaffRecruiterFilterForm(request.GET)
    filters = filters_that_hold(form)
    recruiters = recruiters_for_officers(q=filters.get("q", ""), state=filters.get("state", ""))
    page = Paginator(recruiters, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "iris/staff/recruiter_list.html", ctx)


def _recruiter_page(
    request,
    recruiter: Recruiter,
    *,
    failed: str = "",
    form=None,
    status=200,
    contact_form=None,
    impostor_form=None,
):
    open_decisions = services.recruiter_decisions_open(recruiter)
    forms = {kind: DecisionForm(kind=kind, prefix=kind) for kind in open_decisions}
    if failed:
        # Shown even when the decision no longer applies (another officer decided first): the
        # officer reads why it was refused, with their own words still in the box.
        forms[failed] = form
    ctx = {
        "recruiter": recruiter,
        "decisions": recruiter.decisions.select_related("decided_by"),
        "forms": forms,
        "suspended": recruiter.effective_state == AccreditationState.SUSPENDED,
        "contacts": contact_services.contacts_of(recruiter=recruiter),
        "impostors": recruiter.impostors.filter(removed_at__isnull=True),
        "contact_form": contact_form or ContactForm(prefix="contact", initial=_region(recruiter)),
        "impostor_form": impostor_form
        or ImpostorForm(
            prefix="impostor",
            initial={**_region(recruiter), "reported_on": timezone.localdate()},
        ),
    }
    return render(request, "iris/staff/recruiter_detail.html", ctx, status=status)


@staff_page
@login_required
@permission_required("iris.change_recruiter", raise_exception=True)
@never_cache
def recruiter_detail(request, slug: str):
    return _recruiter_page(request, _get_recruiter_for_officer(slug))


@staff_page
@require_POST
@login_required
@permission_required("iris.change_recruiter", raise_exception=True)
def recruiter_decide(request, slug: str, kind: str):
    recruiter = _get_recruiter_for_officer(slug)
    if kind not in DECISIONS:
        return redirect("iris-recruiters:detail", recruiter.slug)
    service, says_why, done = DECISIONS[kind]
    form = DecisionForm(request.POST, kind=kind, prefix=kind)
    if form.is_valid():
        try:
            service(
                recruiter=recruiter,
                by=request.user,
                request=request,
                **{says_why: form.cleaned_data["text"]},
            )
        except services.RecruiterError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("iris-recruiters:detail", recruiter.slug)
    recruiter.refresh_from_db()
    return _recruiter_page(request, recruiter, failed=kind, form=form, status=400)


# ---------------------------------------------------------------------------
# The contact check: a recruiter's authorised contacts, and the warning list
# ---------------------------------------------------------------------------
def _region(recruiter: Recruiter) -> dict:
    """A phone number written the local way is first read as from the recruiter's own country."""
    code = recruiter.hq_country_id
    return {"region": code if code in ("BG", "CZ", "HU", "RO", "GB") else "GB"}


@staff_page
@require_POST
@login_required
@permission_required("iris.change_recruiter", raise_exception=True)
def contact_add(request, slug: str):
    recruiter = _get_recruiter_for_officer(slug)
    form = ContactForm(request.POST, prefix="contact")
    if form.is_valid():
        try:
            contact_services.contact_add(
                recruiter=recruiter, by=request.user, request=request, **form.cleaned_data
            )
        except contact_services.ContactError as exc:
            form.add_error("value", str(exc))
        else:
            messages.success(request, "Contact added: the check answers with it now.")
            return redirect("iris-recruiters:detail", recruiter.slug)
    return _recruiter_page(request, recruiter, contact_form=form, status=400)


@staff_page
@require_POST
@login_required
@permission_required("iris.change_recruiter", raise_exception=True)
def contact_remove(request, slug: str, pk: int):
    recruiter = _get_recruiter_for_officer(slug)
    contact = get_object_or_404(RecruiterContact, recruiter=recruiter, pk=pk)
    try:
        contact_services.contact_remove(contact=contact, by=request.user, request=request)
    except contact_services.ContactError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Contact removed; the recruiter's watchers are told.")
    return redirect("iris-recruiters:detail", recruiter.slug)


@staff_page
@require_POST
@login_required
@permission_required("iris.change_recruiter", raise_exception=True)
def impostor_add(request, slug: str):
    recruiter = _get_recruiter_for_officer(slug)
    form = ImpostorForm(request.POST, prefix="impostor")
    if form.is_valid():
        try:
            contact_services.impostor_add(
                imitates=recruiter, by=request.user, request=request, **form.cleaned_data
            )
        except contact_services.ContactError as exc:
            form.add_error("value", str(exc))
        else:
            messages.success(request, "Added to the warning list: the check warns of it now.")
            return redirect("iris-recruiters:detail", recruiter.slug)
    return _recruiter_page(request, recruiter, impostor_form=form, status=400)


@staff_page
@login_required
@permission_required("iris.change_recruiter", raise_exception=True)
@never_cache
def impostor_list(request):
    page = Paginator(contact_services.impostors_listed(), STAFF_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "iris/staff/impostor_list.html", {"page": page})


@staff_page
@require_POST
@login_required
@permission_required("iris.change_recruiter", raise_exception=True)
def impostor_remove(request, pk: int):
    impostor = get_object_or_404(ImpostorContact, pk=pk)
    try:
        contact_services.impostor_remove(impostor=impostor, by=request.user, request=request)
    except contact_services.ContactError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Taken off the warning list.")
    return redirect("iris-recruiters:impostors")
