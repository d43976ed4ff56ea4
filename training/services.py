"""The rules of training: booking seats, the waiting list, reminders, attendance, certificates.

Seats are only ever taken under a row lock on the session, inside one transaction, so two
people can never be given the last seat. Freeing a seat needs no extra care beyond that lock.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iomuk.anonymise import anonymise_each
from iomuk.outbox import Attachment, outbox_enqueue
from iomuk.references import code_unique
from iomuk.throttle import throttle_key_exceeded

from .documents import calendar_attachment, calendar_cancellation, certificate_pdf
from .models import AdaptedSessionRequest, Booking, Certificate, Session
from .selectors import (
    adapted_requests_due_for_anonymising,
    booking_waiting_position,
    bookings_due_for_anonymising,
    session_status,
)


class BookingError(Exception):
    """A booking cannot be made or changed; the message is fit to show the person."""


class SessionConflict(BookingError):
    """Someone else saved the session after this person opened it."""


class BookingExists(BookingError):
    def __init__(self, booking: Booking):
        super().__init__(_("This email address already has a booking for this session."))
        self.booking = booking


# ---------------------------------------------------------------------------
# Seats and the session's state
# ---------------------------------------------------------------------------
def _session_for_change(session_id: int) -> Session:
    """The session's row, locked for a change to it or its bookings."""
    session = Session.objects.select_for_update(of=("self",)).select_related("course")
    return session.get(pk=session_id)


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
        attachments=(calendar_attachment(booking),),
    )


def new_booking_codes() -> tuple[str, str]:
    """A booking reference no booking has yet, and the secret token of the booking's page."""
    reference = code_unique(
        "TR-######",
        taken=lambda code: Booking.objects.filter(reference=code).exists(),
        error=BookingError,
    )
    return reference, secrets.token_urlsafe(32)


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
            attachments=(calendar_cancellation(booking),),
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
                    attachments=(calendar_cancellation(booking),),
                )
                expired += 1
            waiting_list_advance(session=session)
    return expired


# ---------------------------------------------------------------------------
# Coordinators' changes to a session
# ---------------------------------------------------------------------------
CHANGE_FIELDS = ("starts_at", "ends_at", "format", "venue", "address", "region", "online_link")


SESSION_CONFLICT_MESSAGE = _(
    "Someone else changed this session while you were editing it. Reload the page to see their "
    "changes, then make yours again."
)


def session_lock_at_version(*, session_id: int, expected_version: int) -> Session:
    """Lock the session's row and refuse if it was saved since the form showed `expected_version`.

    Call inside the transaction that saves the edit: the lock holds until it commits, so of two
    coordinators saving at once the second sees the first one's version and is told.
    """
    current = Session.objects.select_for_update().get(pk=session_id)
    if current.version != expected_version:
        raise SessionConflict(SESSION_CONFLICT_MESSAGE)
    return current


def session_save(
    *, session: Session, changed: list[str], expected_version: int | None = None
) -> Session:
    """Save a coordinator's edit made from `expected_version`: the version moves on, a new time
    or place is announced, new seats offered. An edit that changes nothing saves nothing."""
    with transaction.atomic():
        if session.pk:
            current = _session_for_change(session.pk)
            if expected_version is not None and current.version != expected_version:
                raise SessionConflict(SESSION_CONFLICT_MESSAGE)
            if not changed:
                return session
            session.version = current.version + 1
        session.full_clean()
        session.save()
        moved = [f for f in changed if f in CHANGE_FIELDS]
        if moved and session.state == Session.State.SCHEDULED:
            for booking in session.bookings.filter(state__in=Booking.ACTIVE_STATES).select_related(
                "session__course"
            ):
                attachments = ()
                if booking.state == Booking.State.CONFIRMED:
                    attachments = (calendar_attachment(booking),)
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
                attachments=(calendar_cancellation(booking),),
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
                attachments=(calendar_attachment(booking),),
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
    return code_unique(
        "CPD-####-####",
        taken=lambda code: Certificate.objects.filter(code=code).exists(),
        error=BookingError,
    )


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
            reference=code_unique(
                "AR-######",
                taken=lambda code: AdaptedSessionRequest.objects.filter(reference=code).exists(),
                error=BookingError,
            ),
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
# Retention
# ---------------------------------------------------------------------------
# What identifies the attendee; sector, state and attendance stay for the figures.
BOOKING_PERSONAL_DATA = {"name": "", "organisation": "", "job_title": "", "requirements": ""}


def booking_blanks(booking: Booking) -> dict:
    # The email must stay unique among a session's active bookings: an address that can never
    # receive mail (.invalid is reserved) stands in for it.
    return {**BOOKING_PERSONAL_DATA, "email": f"{booking.reference.lower()}@anonymised.invalid"}


def bookings_anonymise_expired(*, dry_run: bool = False, now=None) -> list[str]:
    """Remove the attendee's personal data from past bookings, in the bookings and their history."""
    return anonymise_each(
        bookings_due_for_anonymising(now=now),
        key="reference",
        blanks=booking_blanks,
        object_type="training.booking",
        detail=f"session ended over {settings.TRAINING_RETENTION_DAYS} days ago",
        dry_run=dry_run,
        now=now,
    )


# The organisation, sector, size, format and dates stay, so the figures still add up.
ADAPTED_REQUEST_PERSONAL_DATA = {
    "contact_name": "",
    "email": "",
    "phone": "",
    "needs": "",
    "answer_notes": "",
}


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
