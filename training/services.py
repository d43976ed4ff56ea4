"""The rules of training: booking seats, the waiting list, reminders, attendance, certificates.

Seats are only ever taken under a row lock on the session, inside one transaction, so two
people can never be given the last seat. Freeing a seat needs no extra care beyond that lock.
"""

import hashlib
import secrets
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from icalendar import Calendar, Event

from iomuk.anonymise import anonymise, anonymise_each
from iomuk.outbox import Attachment, outbox_enqueue
from iomuk.throttle import throttle_key_exceeded

from .models import AdaptedSessionRequest, Booking, Certificate, Session

LONDON = ZoneInfo("Europe/London")
# No 0/O or 1/I: references are read out over the phone.
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


class BookingError(Exception):
    """A booking cannot be made or changed; the message is fit to show the person."""


class SessionConflict(BookingError):
    """Someone else saved the session after this person opened it."""


class BookingExists(BookingError):
    def __init__(self, booking: Booking):
        super().__init__(_("This email address already has a booking for this session."))
        self.booking = booking


def _code(prefix: str, length: int = 6) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


# ---------------------------------------------------------------------------
# Seats and the session's state
# ---------------------------------------------------------------------------
def _session_for_change(session_id: int) -> Session:
    """The session's row, locked for a change to it or its bookings."""
    session = Session.objects.select_for_update(of=("self",)).select_related("course")
    return session.get(pk=session_id)


def session_seats_taken(*, session: Session) -> int:
    if hasattr(session, "seats_taken"):
        return session.seats_taken
    return session.bookings.filter(state__in=Booking.SEAT_STATES).count()


def session_status(*, session: Session, now=None) -> str:
    """One of "open", "full", "closed", "cancelled", "past" for what the public may do."""
    now = now or timezone.now()
    if session.state == Session.State.CANCELLED:
        return "cancelled"
    if session.starts_at <= now:
        return "past"
    if session.booking_deadline <= now:
        return "closed"
    if session_seats_taken(session=session) >= session.capacity:
        return "full"
    return "open"


def booking_waiting_position(*, booking: Booking) -> int | None:
    """Where a waiting booking stands in its session's line (1 is next), else None."""
    if booking.state != Booking.State.WAITING:
        return None
    ahead = Booking.objects.filter(
        session_id=booking.session_id, state=Booking.State.WAITING
    ).filter(
        Q(created_at__lt=booking.created_at) | Q(created_at=booking.created_at, id__lt=booking.id)
    )
    return ahead.count() + 1


def booking_status(*, booking: Booking, now=None) -> str:
    """What the attendee's own page says: the booking's state until the session starts, then
    "attended", "absent", "under_way" or "unmarked" (roll call not taken yet), or "missed"
    (never had a seat)."""
    now = now or timezone.now()
    session = booking.session
    if booking.state == Booking.State.CANCELLED or session.state == Session.State.CANCELLED:
        return Booking.State.CANCELLED
    if session.starts_at > now:
        return booking.state
    if booking.state != Booking.State.CONFIRMED:
        return "missed"
    if booking.attended is None:
        return "under_way" if session.ends_at > now else "unmarked"
    return "attended" if booking.attended else "absent"


def sessions_instead(*, booking: Booking, limit: int = 3) -> list[Session]:
    """A few sessions still open for booking, other than the booking's own: the same course
    first, then the soonest."""
    others = session_list_bookable(filters={}).exclude(pk=booking.session_id)
    shown = list(others.filter(course_id=booking.session.course_id)[:limit])
    if len(shown) < limit:
        shown += others.exclude(pk__in=[s.pk for s in shown])[: limit - len(shown)]
    return shown


# ---------------------------------------------------------------------------
# Calendar file and certificate PDF
# ---------------------------------------------------------------------------
def booking_calendar(*, booking: Booking) -> bytes:
    """The session as an iCalendar file, in Europe/London time; the link only once confirmed."""
    session = booking.session
    cal = Calendar()
    cal.add("prodid", "-//IOM UK//Training//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{booking.reference}@training.iom-uk.example")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at.astimezone(LONDON))
    event.add("dtend", session.ends_at.astimezone(LONDON))
    event.add("summary", session.course.title)
    url = f"{settings.SITE_URL}/training/bookings/{booking.token}/"
    description = [session.course.summary, "", f"{_('Booking reference')}: {booking.reference}"]
    if session.format == Session.Format.ONLINE:
        if booking.state == Booking.State.CONFIRMED and session.online_link:
            event.add("location", session.online_link)
            description.append(f"{_('Joining link')}: {session.online_link}")
    else:
        event.add("location", ", ".join(p for p in [session.venue, session.address] if p))
    description.append(f"{_('Your booking')}: {url}")
    event.add("description", "\n".join(description))
    event.add("url", url)
    if session.state == Session.State.CANCELLED or booking.state == Booking.State.CANCELLED:
        event.add("status", "CANCELLED")
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _calendar_attachment(booking: Booking) -> Attachment:
    return Attachment("training-session.ics", "text/calendar", booking_calendar(booking=booking))


def certificate_pdf(*, certificate: Certificate) -> bytes:
    """A one-page CPD certificate: holder, course, date, hours and the code to check it with."""
    booking = certificate.booking
    session = booking.session
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title("CPD certificate")
    pdf.add_page()
    if (_FONT_DIR / "DejaVuSans.ttf").exists():
        pdf.add_font("body", "", str(_FONT_DIR / "DejaVuSans.ttf"))
        pdf.add_font("body", "B", str(_FONT_DIR / "DejaVuSans-Bold.ttf"))
        font = "body"

        def text(value: str) -> str:
            return value
    else:  # the core font covers Latin-1 only
        font = "helvetica"

        def text(value: str) -> str:
            return value.encode("latin-1", "replace").decode("latin-1")

    pdf.set_font(font, "B", 28)
    pdf.ln(20)
    pdf.cell(0, 16, text(_("Certificate of attendance")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 14)
    pdf.cell(0, 10, text(_("This is to certify that")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "B", 22)
    pdf.cell(0, 14, text(booking.name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 14)
    pdf.cell(
        0,
        10,
        text(_("attended the CPD accredited session")),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(font, "B", 16)
    pdf.cell(0, 12, text(session.course.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 13)
    day = timezone.localtime(session.starts_at, LONDON).strftime("%d %B %Y")
    hours = session.course.cpd_hours.normalize()
    pdf.cell(0, 10, text(_("on %(day)s") % {"day": day}), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(
        0,
        10,
        text(_("CPD hours: %(hours)s") % {"hours": hours}),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(16)
    pdf.set_font(font, "", 11)
    check = f"{settings.SITE_URL}/training/certificates/{certificate.code}/"
    pdf.cell(
        0,
        8,
        text(_("Verification code: %(code)s") % {"code": certificate.code}),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.cell(
        0,
        8,
        text(_("Check it at %(url)s") % {"url": check}),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.cell(0, 8, text(_("International Organization for Migration (IOM) UK")), align="C")
    return bytes(pdf.output())


# ---------------------------------------------------------------------------
# Booking
# ---------------------------------------------------------------------------
def _email_context(booking: Booking) -> dict:
    return {"booking": booking, "session": booking.session, "course": booking.session.course}


def _send_confirmation(booking: Booking) -> None:
    outbox_enqueue(
        to=booking.email,
        template="training-booking-confirmed",
        context=_email_context(booking),
        attachments=(_calendar_attachment(booking),),
    )


def new_booking_codes() -> tuple[str, str]:
    for _attempt in range(10):
        reference = _code("TR-")
        if not Booking.objects.filter(reference=reference).exists():
            return reference, secrets.token_urlsafe(32)
    raise BookingError(_("Please try again."))  # pragma: no cover - 32**6 references


def booking_create(
    *,
    session_id: int,
    name: str,
    email: str,
    organisation: str,
    sector: str,
    job_title: str,
    requirements: str = "",
    now=None,
) -> Booking:
    """Confirm a seat if one is free, else join the waiting list; one active booking per email."""
    with transaction.atomic():
        session = _session_for_change(session_id)
        now = now or timezone.now()
        status = session_status(session=session, now=now)
        if status == "cancelled":
            raise BookingError(_("This session has been cancelled, so it cannot be booked."))
        if status == "past":
            raise BookingError(_("This session has already taken place."))
        if status == "closed":
            raise BookingError(_("Booking for this session has closed."))
        existing = (
            session.bookings.filter(state__in=Booking.ACTIVE_STATES, email__iexact=email.strip())
            .order_by("created_at")
            .first()
        )
        if existing:
            raise BookingExists(existing)
        seats_taken = session.bookings.filter(state__in=Booking.SEAT_STATES).count()
        state = Booking.State.CONFIRMED if seats_taken < session.capacity else Booking.State.WAITING
        reference, token = new_booking_codes()
        booking = Booking(
            session=session,
            reference=reference,
            token=token,
            name=name.strip(),
            email=email.strip(),
            organisation=organisation.strip(),
            sector=sector,
            job_title=job_title.strip(),
            requirements=requirements.strip(),
            state=state,
            created_at=timezone.now(),
        )
        try:
            booking.full_clean(validate_constraints=False)
        except ValidationError as exc:
            raise BookingError(" ".join(exc.messages)) from exc
        try:
            with transaction.atomic():
                booking.save()
        except IntegrityError as exc:  # only if the lock were bypassed; never a 500
            existing = session.bookings.filter(
                state__in=Booking.ACTIVE_STATES, email__iexact=booking.email
            ).first()
            if existing is None:
                raise BookingError(_("Please try again.")) from exc
            raise BookingExists(existing) from exc
        if state == Booking.State.CONFIRMED:
            _send_confirmation(booking)
        else:
            outbox_enqueue(
                to=booking.email,
                template="training-waiting-list-joined",
                context={
                    **_email_context(booking),
                    "position": booking_waiting_position(booking=booking),
                },
            )
    return booking


def booking_request(*, session_id: int, email: str, **details) -> None:
    """Book `session_id` for `email`, or, if that address already has a booking for it, email
    its link again (throttled). Either way the asker is told only to check that inbox: the
    link to a booking is never shown to whoever typed the address."""
    try:
        booking_create(session_id=session_id, email=email, **details)
    except BookingExists as exc:
        booking_link_resend(booking=exc.booking)


# The link to an existing booking is emailed again at most once in this many seconds per
# session and address, however often someone types that address into the form.
BOOKING_LINK_RESEND_PERIOD = 15 * 60


def booking_link_resend(*, booking: Booking) -> Booking:
    """Email the link to an existing booking to its own address (never show it to the asker),
    at most once per BOOKING_LINK_RESEND_PERIOD for that session and address."""
    if throttle_key_exceeded(
        scope="training-booking-link",
        key=f"{booking.session_id}:{booking.email.lower()}",
        limit=1,
        period=BOOKING_LINK_RESEND_PERIOD,
    ):
        return booking
    with transaction.atomic():
        outbox_enqueue(
            to=booking.email, template="training-booking-link", context=_email_context(booking)
        )
    return booking


def booking_cancel(*, booking: Booking) -> Booking:
    """Cancel a booking or leave the waiting list; a freed seat goes to the next in line."""
    with transaction.atomic():
        session = _session_for_change(booking.session_id)
        booking = (
            Booking.objects.select_for_update().select_related("session__course").get(pk=booking.pk)
        )
        if booking.state == Booking.State.CANCELLED:
            raise BookingError(_("This booking is already cancelled."))
        if session.starts_at <= timezone.now():
            raise BookingError(_("This session has already taken place."))
        was = booking.state
        booking.state = Booking.State.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.offer_expires_at = None
        booking.save(update_fields=["state", "cancelled_at", "offer_expires_at"])
        # A person on the waiting list gave up a place in line, not a seat: the email says so.
        outbox_enqueue(
            to=booking.email,
            template="training-booking-cancelled",
            context={**_email_context(booking), "was": was},
        )
        held_seat = was in Booking.SEAT_STATES
        if held_seat:
            waiting_list_advance(session=session)
    return booking


def waiting_list_advance(*, session: Session) -> list[Booking]:
    """Offer each free seat to the next person waiting, held for TRAINING_OFFER_HOLD_HOURS."""
    offered = []
    with transaction.atomic():
        session = _session_for_change(session.pk)
        now = timezone.now()
        if session.state != Session.State.SCHEDULED or session.starts_at <= now:
            return offered
        free = session.capacity - session.bookings.filter(state__in=Booking.SEAT_STATES).count()
        if free <= 0:
            return offered
        hold = timedelta(hours=settings.TRAINING_OFFER_HOLD_HOURS)
        for booking in session.bookings.filter(state=Booking.State.WAITING).order_by(
            "created_at", "id"
        )[:free]:
            booking.state = Booking.State.OFFERED
            booking.offered_at = now
            # Never hold a seat past the start of the session.
            booking.offer_expires_at = min(now + hold, session.starts_at)
            booking.save(update_fields=["state", "offered_at", "offer_expires_at"])
            outbox_enqueue(
                to=booking.email, template="training-seat-offered", context=_email_context(booking)
            )
            offered.append(booking)
    return offered


def offer_accept(*, booking: Booking) -> Booking:
    """Take the offered seat, if the offer is still open."""
    with transaction.atomic():
        _session_for_change(booking.session_id)
        booking = (
            Booking.objects.select_for_update().select_related("session__course").get(pk=booking.pk)
        )
        if booking.state == Booking.State.CONFIRMED:
            return booking  # a second click changes nothing
        if booking.state != Booking.State.OFFERED or booking.offer_expires_at <= timezone.now():
            raise BookingError(_("This offer is no longer open."))
        booking.state = Booking.State.CONFIRMED
        booking.offer_expires_at = None
        booking.save(update_fields=["state", "offer_expires_at"])
        _send_confirmation(booking)
    return booking


def offers_expire(*, now=None) -> int:
    """Cancel offers not answered in time and pass each seat on; returns how many expired."""
    now = now or timezone.now()
    expired = 0
    session_ids = set(
        Booking.objects.filter(state=Booking.State.OFFERED, offer_expires_at__lte=now).values_list(
            "session_id", flat=True
        )
    )
    for session_id in session_ids:
        with transaction.atomic():
            session = _session_for_change(session_id)
            stale = session.bookings.select_related("session__course").filter(
                state=Booking.State.OFFERED, offer_expires_at__lte=now
            )
            for booking in stale:
                booking.state = Booking.State.CANCELLED
                booking.cancelled_at = now
                booking.offer_expires_at = None
                booking.save(update_fields=["state", "cancelled_at", "offer_expires_at"])
                outbox_enqueue(
                    to=booking.email,
                    template="training-offer-expired",
                    context=_email_context(booking),
                )
                expired += 1
            waiting_list_advance(session=session)
    return expired


# ---------------------------------------------------------------------------
# Coordinators' changes to a session
# ---------------------------------------------------------------------------
CHANGE_FIELDS = ("starts_at", "ends_at", "format", "venue", "address", "region", "online_link")


# What a coordinator edits. Session has no version or updated_at column, so a change is
# detected by comparing these values as they were when the form was drawn.
EDITABLE_FIELDS = (
    "course_id",
    "slug",
    "starts_at",
    "ends_at",
    "booking_deadline",
    "format",
    "venue",
    "address",
    "region",
    "online_link",
    "capacity",
    "state",
)


def session_fingerprint(*, session: Session) -> str:
    """A digest of the session's editable values: it changes whenever anyone saves a change."""
    values = "\x1f".join(repr(getattr(session, name)) for name in EDITABLE_FIELDS)
    return hashlib.sha256(values.encode()).hexdigest()


def session_lock_unchanged(*, session_id: int, fingerprint: str) -> Session:
    """Lock the session's row and refuse if it changed since `fingerprint` was taken.

    Call inside the transaction that saves the edit: the lock holds until it commits, so of two
    coordinators saving at once the second sees the first one's change and is told.
    """
    current = Session.objects.select_for_update().get(pk=session_id)
    if session_fingerprint(session=current) != fingerprint:
        raise SessionConflict(
            _(
                "Someone else changed this session while you were editing it. Reload the page "
                "to see their changes, then make yours again."
            )
        )
    return current


def session_save(*, session: Session, changed: list[str]) -> Session:
    """Save a coordinator's edit: a new time or place is announced, new seats offered."""
    with transaction.atomic():
        if session.pk:
            _session_for_change(session.pk)
        session.full_clean()
        session.save()
        moved = [f for f in changed if f in CHANGE_FIELDS]
        if moved and session.state == Session.State.SCHEDULED:
            for booking in session.bookings.filter(state__in=Booking.ACTIVE_STATES).select_related(
                "session__course"
            ):
                attachments = ()
                if booking.state == Booking.State.CONFIRMED:
                    attachments = (_calendar_attachment(booking),)
                outbox_enqueue(
                    to=booking.email,
                    template="training-session-changed",
                    context=_email_context(booking),
                    attachments=attachments,
                )
        if session.state == Session.State.SCHEDULED:
            waiting_list_advance(session=session)
    return session


def session_cancel(*, session: Session) -> Session:
    """Cancel a session: every booking and place in line ends, and each person is told."""
    with transaction.atomic():
        session = _session_for_change(session.pk)
        if session.state == Session.State.CANCELLED:
            return session
        session.state = Session.State.CANCELLED
        session.save(update_fields=["state"])
        now = timezone.now()
        for booking in session.bookings.filter(state__in=Booking.ACTIVE_STATES):
            booking.state = Booking.State.CANCELLED
            booking.cancelled_at = now
            booking.offer_expires_at = None
            booking.save(update_fields=["state", "cancelled_at", "offer_expires_at"])
            booking.session = session
            outbox_enqueue(
                to=booking.email,
                template="training-session-cancelled",
                context=_email_context(booking),
            )
    return session


def reminders_send(*, now=None) -> int:
    """Remind each confirmed attendee once, in the two days before their session."""
    now = now or timezone.now()
    sent = 0
    due = Booking.objects.filter(
        state=Booking.State.CONFIRMED,
        reminder_sent_at__isnull=True,
        session__state=Session.State.SCHEDULED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + timedelta(days=2),
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update()
                .select_related("session__course")
                .filter(pk=pk, reminder_sent_at__isnull=True, state=Booking.State.CONFIRMED)
                .first()
            )
            if booking is None:
                continue
            booking.reminder_sent_at = now
            booking.save(update_fields=["reminder_sent_at"])
            outbox_enqueue(
                to=booking.email,
                template="training-reminder",
                context=_email_context(booking),
                attachments=(_calendar_attachment(booking),),
            )
            sent += 1
    return sent


# ---------------------------------------------------------------------------
# Attendance and certificates
# ---------------------------------------------------------------------------
def attendance_mark(*, session: Session, attended: dict[int, bool | None]) -> int:
    """Record who came; only confirmed bookings of a session that has started count."""
    if session.starts_at > timezone.now():
        raise BookingError(_("Attendance can be marked once the session has started."))
    changed = 0
    with transaction.atomic():
        bookings = session.bookings.select_for_update().filter(
            state=Booking.State.CONFIRMED, pk__in=list(attended)
        )
        for booking in bookings:
            value = attended[booking.pk]
            if booking.attended != value:
                if value is not True and Certificate.objects.filter(booking=booking).exists():
                    raise BookingError(
                        _("%(ref)s already has a certificate.") % {"ref": booking.reference}
                    )
                booking.attended = value
                booking.save(update_fields=["attended"])
                changed += 1
    return changed


def attendance_mark_all_present(*, session: Session) -> int:
    """Mark every confirmed attendee present, as the roll call's single marks do; returns how
    many marks changed."""
    ids = session.bookings.filter(state=Booking.State.CONFIRMED).values_list("pk", flat=True)
    return attendance_mark(session=session, attended=dict.fromkeys(ids, True))


def certificates_issue(*, session: Session) -> list[Certificate]:
    """Email a CPD certificate to each confirmed attendee marked present who has none yet."""
    issued = []
    with transaction.atomic():
        # The session's row lock makes two coordinators clicking at once issue one certificate.
        session = Session.objects.select_for_update().get(pk=session.pk)
        bookings = session.bookings.filter(
            state=Booking.State.CONFIRMED, attended=True, certificate__isnull=True
        ).select_related("session__course")
        for booking in bookings:
            certificate = Certificate.objects.create(booking=booking, code=new_certificate_code())
            outbox_enqueue(
                to=booking.email,
                template="training-certificate",
                context={**_email_context(booking), "certificate": certificate},
                attachments=(
                    Attachment(
                        "cpd-certificate.pdf",
                        "application/pdf",
                        certificate_pdf(certificate=certificate),
                    ),
                ),
            )
            issued.append(certificate)
    return issued


def certificate_code_normalise(typed: str) -> str:
    """A certificate code as printed (CPD-XXXX-XXXX), however it was typed: any case, with
    spaces or dashes anywhere, with or without the CPD prefix."""
    kept = "".join(ch for ch in typed.upper() if ch.isascii() and (ch.isalnum() or ch == "-"))
    body = kept.replace("-", "").removeprefix("CPD")
    if len(body) == 8:
        return f"CPD-{body[:4]}-{body[4:]}"
    return kept.strip("-")[:40]


def new_certificate_code() -> str:
    while True:
        code = _code("CPD-", 4) + _code("-", 4)
        if not Certificate.objects.filter(code=code).exists():
            return code


# ---------------------------------------------------------------------------
# Requests for an adapted session
# ---------------------------------------------------------------------------
def adapted_request_create(
    *,
    organisation: str,
    contact_name: str,
    email: str,
    phone: str,
    sector: str,
    people: int,
    preferred_dates: str,
    format: str,
    needs: str,
) -> AdaptedSessionRequest:
    """Record an organisation's request for a session adapted to its team and acknowledge it."""
    with transaction.atomic():
        request = AdaptedSessionRequest(
            reference=_code("AR-"),
            organisation=organisation.strip(),
            contact_name=contact_name.strip(),
            email=email.strip(),
            phone=phone.strip(),
            sector=sector,
            people=people,
            preferred_dates=preferred_dates.strip(),
            format=format,
            needs=needs.strip(),
        )
        request.full_clean()
        request.save()
        outbox_enqueue(
            to=request.email, template="training-request-received", context={"request": request}
        )
    return request


def adapted_request_answer(*, request: AdaptedSessionRequest, notes: str) -> AdaptedSessionRequest:
    """Mark a request answered, keeping the coordinator's notes."""
    request.state = AdaptedSessionRequest.State.ANSWERED
    request.answer_notes = notes
    request.full_clean()
    request.save(update_fields=["state", "answer_notes"])
    return request


# ---------------------------------------------------------------------------
# Selectors
# ---------------------------------------------------------------------------
def _seats_taken():
    """Seats taken of each session, as a subquery: counted for the rows shown, not grouped."""
    taken = (
        Booking.objects.filter(session=OuterRef("pk"), state__in=Booking.SEAT_STATES)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), 0)


def session_list_bookable(*, filters: dict, now=None):
    """Upcoming scheduled sessions still taking bookings, with seats_taken annotated."""
    now = now or timezone.now()
    qs = (
        Session.objects.filter(
            state=Session.State.SCHEDULED, starts_at__gt=now, booking_deadline__gt=now
        )
        .select_related("course")
        .annotate(seats_taken=_seats_taken())
        .order_by("starts_at", "id")
    )
    if filters.get("format"):
        qs = qs.filter(format=filters["format"])
    if filters.get("region"):
        qs = qs.filter(region=filters["region"])
    if filters.get("audience"):
        qs = qs.filter(course__audiences__code=filters["audience"])
    if filters.get("month"):
        year, month = filters["month"]
        start = timezone.datetime(year, month, 1, tzinfo=LONDON)
        end = timezone.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=LONDON)
        qs = qs.filter(starts_at__gte=start, starts_at__lt=end)
    return qs


def session_with_seats(*, slug: str) -> Session:
    """The session with its seats taken and the length of its waiting list counted."""
    return (
        Session.objects.select_related("course")
        .annotate(
            seats_taken=Count("bookings", filter=Q(bookings__state__in=Booking.SEAT_STATES)),
            waiting_count=Count("bookings", filter=Q(bookings__state=Booking.State.WAITING)),
        )
        .get(slug=slug)
    )


# ---------------------------------------------------------------------------
# Retention
# ---------------------------------------------------------------------------
# What identifies the attendee; sector, state and attendance stay for the figures.
BOOKING_PERSONAL_DATA = {"name": "", "organisation": "", "job_title": "", "requirements": ""}


def bookings_due_for_anonymising(*, now=None):
    """Bookings of sessions that ended TRAINING_RETENTION_DAYS ago with no certificate still due."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TRAINING_RETENTION_DAYS)
    return (
        Booking.objects.filter(session__ends_at__lt=cutoff, anonymised_at__isnull=True)
        .filter(
            Q(certificate__isnull=False) | ~Q(state=Booking.State.CONFIRMED) | ~Q(attended=True)
        )
        .order_by("pk")
    )


def bookings_anonymise_expired(*, dry_run: bool = False, now=None) -> list[str]:
    """Remove the attendee's personal data from past bookings, in the bookings and their history."""
    references = list(bookings_due_for_anonymising(now=now).values_list("reference", flat=True))
    if dry_run:
        return references
    for reference in references:
        with transaction.atomic():
            booking = Booking.objects.select_for_update().get(reference=reference)
            # The email must stay unique among a session's active bookings: an address that
            # can never receive mail (.invalid is reserved) stands in for it.
            anonymise(
                booking,
                blanks={
                    **BOOKING_PERSONAL_DATA,
                    "email": f"{reference.lower()}@anonymised.invalid",
                },
                now=now or timezone.now(),
                object_type="training.booking",
                object_ref=reference,
                detail=f"session ended over {settings.TRAINING_RETENTION_DAYS} days ago",
            )
    return references


# The organisation, sector, size, format and dates stay, so the figures still add up.
ADAPTED_REQUEST_PERSONAL_DATA = {
    "contact_name": "",
    "email": "",
    "phone": "",
    "needs": "",
    "answer_notes": "",
}


def adapted_requests_due_for_anonymising(*, now=None):
    """Answered requests made over TRAINING_REQUEST_RETENTION_DAYS ago (never one still new)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TRAINING_REQUEST_RETENTION_DAYS)
    return AdaptedSessionRequest.objects.filter(
        state=AdaptedSessionRequest.State.ANSWERED,
        created_at__lt=cutoff,
        anonymised_at__isnull=True,
    ).order_by("pk")


def adapted_requests_anonymise_expired(*, dry_run: bool = False) -> list[str]:
    """Remove the contact's details and the free text from old answered requests."""
    return anonymise_each(
        adapted_requests_due_for_anonymising(),
        key="reference",
        blanks=ADAPTED_REQUEST_PERSONAL_DATA,
        object_type="training.adaptedsessionrequest",
        detail=f"answered, made over {settings.TRAINING_REQUEST_RETENTION_DAYS} days ago",
        dry_run=dry_run,
    )
