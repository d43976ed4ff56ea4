from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from iomuk.audit import access_record
from iomuk.csv_export import csv_response
from iomuk.staff import staff_page
from iomuk.throttle import public_form, throttle_exceeded, throttled_response

from . import documents, selectors, services
from .forms import (
    AdaptedSessionRequestForm,
    AttendanceForm,
    BookingForm,
    CertificateCheckForm,
    SessionFilterForm,
)
from .models import Booking, Session

PAGE_SIZE = 12


class _FirstSessions(Paginator):
    """Pages through a list cut at its first TRAINING_MOST_LISTED sessions, counted by their key
    alone: a count of the whole cut would work out the seats taken of each of them."""

    @cached_property
    def count(self) -> int:
        return self.object_list.values("pk").count()


def index(request):
    today = timezone.localdate()
    form = SessionFilterForm(request.GET or None, today=today)
    sessions = selectors.session_list_bookable(
        filters=form.cleaned_filters() if request.GET else {}
    )
    most = settings.TRAINING_MOST_LISTED
    page = _FirstSessions(sessions[:most], PAGE_SIZE).get_page(request.GET.get("page"))
    for session in page.object_list:
        session.seats_left = max(session.capacity - session.seats_taken, 0)
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "filter_form": form,
        "page": page,
        "query": query.urlencode(),
        "or_more": most if page.paginator.count == most else None,
    }
    return render(request, "training/index.html", ctx)


@public_form(scope="training-booking", limit_setting="TRAINING_BOOKING_LIMIT")
def session_detail(request, slug):
    try:
        session = selectors.session_with_seats(slug=slug)
    except Session.DoesNotExist:
        raise Http404 from None
    status = selectors.session_status(session=session)
    if request.method != "POST":
        return _session_page(request, session, status, BookingForm())
    form = BookingForm(request.POST)
    if status in ("open", "full") and form.is_valid():
        try:
            services.booking_request(session_id=session.pk, **form.cleaned_data)
        except services.BookingError as exc:
            form.add_error(None, str(exc))
            session = selectors.session_with_seats(slug=slug)
            status = selectors.session_status(session=session)
        else:
            # The same page whether the address was new or already booked: the link to the
            # booking goes only to the inbox, so typing someone's address tells nothing.
            return redirect("training:booking-sent", slug=session.slug)
    elif status not in ("open", "full"):
        form.add_error(None, str(_STATUS_MESSAGES[status]))
    return _session_page(request, session, status, form)


def _session_page(request, session: Session, status: str, form: BookingForm):
    ctx = {
        "session": session,
        "status": status,
        "seats_left": max(session.capacity - session.seats_taken, 0),
        "waiting_count": session.waiting_count,
        "form": form,
    }
    return render(request, "training/session_detail.html", ctx, status=400 if form.errors else 200)


_STATUS_MESSAGES = {
    "cancelled": gettext_lazy("This session has been cancelled, so it cannot be booked."),
    "past": gettext_lazy("This session has already taken place."),
    "closed": gettext_lazy("Booking for this session has closed."),
}


def _booking_for_token(token: str) -> Booking:
    return get_object_or_404(selectors.bookings_with_course(), token=token)


def _booking_ctx(booking: Booking) -> dict:
    status = selectors.booking_status(booking=booking)
    return {
        "booking": booking,
        "session": booking.session,
        "status": status,
        "position": selectors.booking_waiting_position(booking=booking),
        "can_cancel": status in Booking.ACTIVE_STATES,
    }


def booking_sent(request, slug):
    try:
        session = selectors.session_with_seats(slug=slug)
    except Session.DoesNotExist:
        raise Http404 from None
    return render(request, "training/booking_sent.html", {"session": session})


def booking_detail(request, token):
    booking = _booking_for_token(token)
    ctx = _booking_ctx(booking)
    if ctx["status"] == "attended":
        ctx["certificate"] = selectors.certificate_of(booking=booking)
    if ctx["status"] in (Booking.State.CANCELLED, "missed"):
        ctx["other_sessions"] = selectors.sessions_instead(booking=booking)
    return render(request, "training/booking_detail.html", ctx)


def booking_cancel(request, token):
    """Cancelling asks first: the booking page links here, and only the button here cancels."""
    booking = _booking_for_token(token)
    ctx = _booking_ctx(booking)
    if request.method != "POST":
        if not ctx["can_cancel"]:
            return redirect("training:booking", token=booking.token)
        return render(request, "training/booking_cancel.html", ctx)
    was = booking.state
    try:
        services.booking_cancel(booking=booking)
    except services.BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(_CANCELLED_MESSAGES[was]))
    return redirect("training:booking", token=booking.token)


_CANCELLED_MESSAGES = {
    Booking.State.CONFIRMED: gettext_lazy(
        "Your booking is cancelled. We have sent you an email to confirm."
    ),
    Booking.State.WAITING: gettext_lazy(
        "You have left the waiting list. We have sent you an email to confirm."
    ),
    Booking.State.OFFERED: gettext_lazy(
        "You have turned down the seat, and left the waiting list. Thank you for letting us know."
    ),
}


@require_POST
def booking_accept(request, token):
    booking = _booking_for_token(token)
    try:
        services.offer_accept(booking=booking)
    except services.BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The seat is yours. We have emailed your confirmation and calendar file.")
        )
    return redirect("training:booking", token=booking.token)


def booking_certificate(request, token):
    """The attendee's own certificate, from their booking page."""
    booking = _booking_for_token(token)
    certificate = get_object_or_404(selectors.certificates_with_course(), booking=booking)
    response = HttpResponse(
        documents.certificate_pdf(certificate=certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'attachment; filename="cpd-certificate.pdf"'
    return response


def booking_calendar(request, token):
    booking = _booking_for_token(token)
    response = HttpResponse(
        documents.booking_calendar(booking=booking), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="training-session.ics"'
    return response


@public_form(scope="training-request", limit_setting="TRAINING_REQUEST_LIMIT")
def adapted_request(request):
    form = AdaptedSessionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.adapted_request_create(**form.cleaned_data)
        except services.BookingError as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "training/request_done.html", {"made": made})
    ctx = {"form": form}
    return render(request, "training/request_form.html", ctx, status=400 if form.errors else 200)


def _certificate_lookups_paused(request) -> HttpResponse | None:
    """The polite 429 page once this client has checked too many codes; counts this check."""
    limit, period = settings.CERTIFICATE_LOOKUP_LIMIT
    if throttle_exceeded(request, scope="certificate-lookup", limit=limit, period=period):
        return throttled_response(request, period=period)
    return None


def certificate_lookup(request):
    """The form to check a certificate: a code, typed any way, leads to its page."""
    data = request.POST if request.method == "POST" else request.GET
    if "code" in data and (paused := _certificate_lookups_paused(request)):
        return paused
    form = CertificateCheckForm(data if "code" in data else None)
    if form.is_valid():
        code = services.certificate_code_normalise(form.cleaned_data["code"])
        if code:
            return redirect("training:certificate", code=code)
        form.add_error("code", _("Enter the code printed on the certificate."))
    status = 400 if form.errors else 200
    return render(request, "training/certificate_lookup.html", {"form": form}, status=status)


def certificate_check(request, code):
    normal = services.certificate_code_normalise(code)
    if not normal:
        return redirect("training:certificate-lookup")
    if normal != code:
        return redirect("training:certificate", code=normal)
    if paused := _certificate_lookups_paused(request):
        return paused
    # One indexed query, found or not: a guessed code costs what a real one does.
    certificate = selectors.certificate_find(code=code)
    if certificate is None:
        # Said plainly, with the form to try again; still a 404 for anything counting links.
        ctx = {"form": CertificateCheckForm(initial={"code": code}), "code": code}
        return render(request, "training/certificate_lookup.html", ctx, status=404)
    ctx = {"certificate": certificate, "session": certificate.booking.session}
    return render(request, "training/certificate_check.html", ctx)


@staff_page
@login_required
@permission_required("training.change_booking", raise_exception=True)
def attendance(request, slug):
    session = get_object_or_404(selectors.sessions_with_course(), slug=slug)
    bookings = selectors.session_roll_call(session=session)
    form = AttendanceForm(request.POST or None, bookings=bookings)
    access_record(
        request=request,
        action="view",
        object_type="training.session",
        object_ref=session.slug,
        detail="attendance list",
    )
    if request.method == "POST" and "all_present" in request.POST:
        try:
            changed = services.attendance_mark_all_present(session=session)
        except services.BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d attendee marked present.", "%(n)d attendees marked present.", changed
                )
                % {"n": changed},
            )
        return redirect("training:attendance", slug=session.slug)
    elif request.method == "POST" and form.is_valid():
        try:
            changed = services.attendance_mark(session=session, attended=form.attended())
            issued = []
            if "certificates" in request.POST:
                issued = services.certificates_issue(session=session)
        except services.BookingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Attendance saved (%(changed)s changed). Certificates sent: %(issued)s.")
                % {"changed": changed, "issued": len(issued)},
            )
            return redirect("training:attendance", slug=session.slug)
    ctx = {"session": session, "form": form, "started": session.starts_at <= timezone.now()}
    return render(request, "training/attendance.html", ctx)


@staff_page
@login_required
@permission_required("training.view_booking", raise_exception=True)
def attendees_csv(request, slug):
    session = get_object_or_404(selectors.sessions_with_course(), slug=slug)
    access_record(
        request=request,
        action="export",
        object_type="training.session",
        object_ref=session.slug,
        detail="attendee list CSV",
    )
    return session_csv_response(sessions=[session])


def session_csv_response(*, sessions) -> HttpResponse:
    name = sessions[0].slug if len(sessions) == 1 else "sessions"
    header = [
        "session",
        "reference",
        "state",
        "name",
        "email",
        "organisation",
        "sector",
        "job title",
        "requirements",
        "attended",
    ]
    rows = (
        [
            b.session.slug,
            b.reference,
            b.state,
            b.name,
            b.email,
            b.organisation,
            b.get_sector_display(),
            b.job_title,
            b.requirements,
            {True: "yes", False: "no"}.get(b.attended, ""),
        ]
        for b in selectors.bookings_for_export(sessions=sessions)
    )
    return csv_response(f"attendees-{name}.csv", header, rows)
